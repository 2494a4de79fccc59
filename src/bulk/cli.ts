import { type Config, loadConfig } from '../config';
import { type DatabaseHandle, describeDatabaseError, openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { createLogger, logDestination } from '../logger';

// Runs a bulk command against the database the server would use (same
// DATABASE_URL / PG* / PGLITE_DATA_DIR), migrated first; prints the error
// alone (e.g. `FILE:LINE: what is wrong`) and exits 1 when it fails.
export function runBulkCommand(usage: string, command: (handle: DatabaseHandle) => Promise<unknown>): void {
  let config: Readonly<Config> | undefined;
  void (async () => {
    config = loadConfig();
    const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, logDestination(config.logFormat));
    const handle = await openDatabase(config.database, { poolMax: 1, logger, statementTimeoutMs: 0 });
    try {
      await migrateToLatest(handle.db, logger);
      await command(handle);
    } finally {
      await handle.close();
    }
  })().catch((err: unknown) => {
    console.error(describeDatabaseError(err, config?.database));
    if (err instanceof UsageError) console.error(usage);
    process.exitCode = 1;
  });
}

export class UsageError extends Error {}
