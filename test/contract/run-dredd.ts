// `npm run contract`: Dredd against the built service on a fresh database.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { BIN, bundleSpec, withContractServices } from './contract-services';
import { runCommand } from './processes';

async function main(): Promise<number> {
  return withContractServices(
    { databaseDown: true, keysRequired: true, noSchema: true },
    async ({ service, databaseDown, keysRequired, noSchema, workDir }) => {
      const spec = await bundleSpec(workDir);
      // Dredd ignores positional arguments when given --config, so the run's
      // spec and server URL go into a copy of the committed config.
      const config = join(workDir, 'dredd.yml');
      const committed = parse(readFileSync(join(__dirname, 'dredd.yml'), 'utf8')) as Record<string, unknown>;
      writeFileSync(config, stringify({ ...committed, blueprint: spec, endpoint: service.baseUrl }));
      return runCommand(join(BIN, 'dredd'), ['--config', config], {
        timeoutMs: 180_000,
        env: {
          ...process.env,
          NODE_NO_WARNINGS: '1',
          CONTRACT_SPEC: spec,
          CONTRACT_DATABASE_DOWN_URL: databaseDown!.baseUrl,
          CONTRACT_KEYS_REQUIRED_URL: keysRequired!.baseUrl,
          CONTRACT_NO_SCHEMA_URL: noSchema!.baseUrl,
        },
      });
    },
  );
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
