import { parseArgs } from 'node:util';
import { type Config, loadConfig } from '../config';
import { type DatabaseHandle, describeDatabaseError, openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { createLogger, logDestination } from '../logger';
import { stopRequested } from '../stop-signals';

// Runs a bulk command against the database the server would use (same
// DATABASE_URL / PG* / PGLITE_DATA_DIR), migrated first; prints the error
// alone (e.g. `FILE:LINE: what is wrong`) and exits 1 when it fails.
// `--help` / `-h` prints the usage and exits 0. The arguments are read
// before the database is opened, so a mistyped option is answered at once,
// with the usage, and touches nothing.
export function runBulkCommand<Args>(usage: string, parse: (args: string[]) => Args, command: (handle: DatabaseHandle, args: Args) => Promise<unknown>): void {
  const argv = process.argv.slice(2);
  // strict: false, so this finds --help whatever else is there (not after `--`).
  if (parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, strict: false, allowPositionals: true }).values.help) {
    console.log(usage);
    return;
  }
  let args: Args;
  try {
    args = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError || isParseArgsError(err))) throw err;
    console.error(`${err.message}\n${usage}`);
    process.exitCode = 1;
    return;
  }
  let config: Readonly<Config> | undefined;
  void (async () => {
    config = loadConfig();
    const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, logDestination(config.logFormat));
    const handle = await openDatabase(config.database, { poolMax: 1, logger, statementTimeoutMs: 0 });
    try {
      await migrateToLatest(handle.db, logger);
      await command(handle, args);
    } finally {
      await handle.close();
    }
  })().catch((err: unknown) => {
    // A stop closed the database under the command (nothing stored); stop-signals exits.
    if (stopRequested()) return;
    console.error(describeDatabaseError(err, config?.database));
    process.exitCode = 1;
  });
}

export class UsageError extends Error {}

// node:util's parseArgs refuses an unknown option or a missing value with a
// TypeError whose code says so.
function isParseArgsError(err: unknown): err is Error {
  return err instanceof TypeError && String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_');
}
