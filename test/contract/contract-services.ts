import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { type ServerProcess, startServer } from '../../scripts/lib/server-process';
import { ROOT } from '../../scripts/lib/paths';
import { runCommand } from './processes';

export const BIN = join(ROOT, 'node_modules', '.bin');
export const SPEC_FILE = join(ROOT, 'openapi', 'openapi.yaml');

// Nothing listens on port 1, so a server pointed here gets ECONNREFUSED at
// once: the database-down case that earns the spec's 503s.
const UNREACHABLE_DATABASE_URL = 'postgres://postgres@127.0.0.1:1/unreachable';

// CONTRACT_POSTGRES_URL names a PostgreSQL server to create a throwaway
// database on (CI sets it); without it the service runs on in-memory PGlite.
async function freshDatabase(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const adminUrl = process.env.CONTRACT_POSTGRES_URL;
  if (!adminUrl) return { env: { PGLITE_DATA_DIR: 'memory://' }, drop: () => Promise.resolve() };
  const name = `passenger_contract_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString() }, drop: () => admin(`drop database if exists ${name} with (force)`) };
}

export interface ContractServices {
  // The real service on a fresh database holding the demo passengers, whose
  // uuids are the spec's example uuids (the contract fixtures).
  service: ServerProcess;
  // The same service with its database unreachable, when asked for.
  databaseDown?: ServerProcess;
  // The same service on the same database with API_KEYS set, when asked for:
  // writes without a key earn the spec's 401s there.
  keysRequired?: ServerProcess;
  // The same service on a reachable database that was never migrated, when
  // asked for: every passenger query fails (undefined table), earning the 500s.
  noSchema?: ServerProcess;
  workDir: string;
}

// Starts the services, runs `use`, and stops everything whatever happens.
export async function withContractServices(
  options: { databaseDown: boolean; keysRequired?: boolean; noSchema?: boolean },
  use: (services: ContractServices) => Promise<number>,
): Promise<number> {
  const database = await freshDatabase();
  const empty = options.noSchema ? await freshDatabase() : undefined;
  const workDir = mkdtempSync(join(tmpdir(), 'passenger-contract-'));
  const started: ServerProcess[] = [];
  const start = async (env: Record<string, string>) => {
    const server = await startServer({ SHUTDOWN_DRAIN_MS: '0', ...env });
    started.push(server);
    return server;
  };
  try {
    const service = await start(database.env);
    const databaseDown = options.databaseDown
      ? await start({ DATABASE_URL: UNREACHABLE_DATABASE_URL, MIGRATE_ON_START: 'false', SEED_DEMO_DATA: 'false' })
      : undefined;
    const keysRequired = options.keysRequired
      ? await start({ ...database.env, API_KEYS: randomBytes(24).toString('hex'), MIGRATE_ON_START: 'false', SEED_DEMO_DATA: 'false' })
      : undefined;
    const noSchema = empty ? await start({ ...empty.env, MIGRATE_ON_START: 'false', SEED_DEMO_DATA: 'false' }) : undefined;
    const code = await use({ service, databaseDown, keysRequired, noSchema, workDir });
    if (code !== 0) console.error(`service log (last lines):\n${service.logs.slice(-20).join('\n')}`);
    return code;
  } finally {
    await Promise.all(started.map((server) => server.stop()));
    await database.drop();
    await empty?.drop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

// Dredd's parser only follows $refs to whole schema components, so it and the
// hooks get one fully dereferenced copy of the spec.
export async function bundleSpec(workDir: string): Promise<string> {
  const bundled = join(workDir, 'openapi.json');
  const code = await runCommand(join(BIN, 'redocly'), ['bundle', SPEC_FILE, '--dereferenced', '--ext', 'json', '--output', bundled], {
    timeoutMs: 60_000,
    onLine: () => {
      // redocly's progress output is noise; its exit code says whether it worked.
    },
  });
  if (code !== 0) throw new Error('redocly bundle failed: run `npm run lint:spec`');
  return bundled;
}
