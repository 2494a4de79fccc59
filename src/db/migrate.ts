// First: signals are handled from the process's first moment (stop-signals.ts).
import { stopRequested } from '../stop-signals';
import { Migrator, sql } from 'kysely';
import type { Logger } from 'pino';
import { migrations } from './migrations';
import type { UntypedDb } from './migrations/untyped-db';

export async function migrateToLatest(db: UntypedDb, logger: Logger): Promise<void> {
  // Kysely looks for its own tables in every schema unless told which one: two
  // databases migrating at once in schemas of one server (parallel test files)
  // saw each other's lock table and failed. The current schema is `public` in
  // production, where the tables have always been.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) }, migrationTableSchema: rows[0].schema });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === 'Success') logger.info({ migration: result.migrationName }, 'migration applied');
    if (result.status === 'Error') logger.error({ migration: result.migrationName }, 'migration failed');
  }
  if (error === undefined && !results?.length) logger.info('migrations: up to date');
  // Kysely types the failure as unknown; a migration's failure is the driver's Error.
  if (error !== undefined) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
}

// Errors that mean "PostgreSQL is not up yet", worth waiting out; anything
// else (a wrong password, a missing database) fails at once.
const NOT_UP_YET = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', '57P03']);
function notUpYet(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: string; message?: string };
  return NOT_UP_YET.has(code ?? '') || /timeout exceeded when trying to connect|Connection terminated/.test(message ?? '');
}

// Retries `select 1` with back-off (0.5 s doubling to 5 s, the last try at the
// deadline) until PostgreSQL answers or `seconds` have passed; then throws one
// line saying so.
async function waitForDatabase(db: UntypedDb, seconds: number, logger: Logger): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (let delayMs = 500; ; delayMs = Math.min(delayMs * 2, 5_000)) {
    try {
      await sql`select 1`.execute(db);
      return;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (!notUpYet(err)) throw err;
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) {
        throw new Error(`PostgreSQL did not accept connections within ${seconds} s (MIGRATE_WAIT_SECONDS): ${reason}`, { cause: err });
      }
      const retryInMs = Math.min(delayMs, remainingMs);
      logger.info({ reason, retryInMs }, 'waiting for PostgreSQL');
      await new Promise((resolve) => setTimeout(resolve, retryInMs));
    }
  }
}

// `npm run migrate` / `node dist/db/migrate.js`: wait for the database, migrate
// and exit (the Kubernetes init container and docker-compose's migrate service,
// which may start before PostgreSQL listens).
if (require.main === module) {
  let config: import('../config').Config | undefined;
  void (async () => {
    const { loadConfig } = await import('../config');
    const { createLogger, logDestination } = await import('../logger');
    const { secretsOf } = await import('../secrets');
    const { openDatabase } = await import('./database');
    config = loadConfig();
    const logger = createLogger(config.logLevel, logDestination(config.logFormat), secretsOf(config, process.env));
    const waitSeconds = config.migrateWaitSeconds;
    const handle = await openDatabase(config.database, {
      poolMax: 1,
      logger,
      firstQuery: (db) => waitForDatabase(db, waitSeconds, logger),
    });
    try {
      await migrateToLatest(handle.db, logger);
    } finally {
      await handle.close();
    }
  })().catch(async (err: unknown) => {
    // A stop closed the database under the migration; stop-signals exits.
    if (stopRequested()) return;
    const { describeDatabaseError } = await import('./database');
    console.error(describeDatabaseError(err, config?.database));
    process.exit(1);
  });
}
