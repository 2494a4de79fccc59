import { type Kysely, Migrator } from 'kysely';
import type { Logger } from 'pino';
import { migrations } from './migrations';

// Kysely<any>: migrations run against the database as it was, before the typed
// schema in schema.ts exists (kysely's own convention).
export async function migrateToLatest(db: Kysely<any>, logger: Logger): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === 'Success') logger.info({ migration: result.migrationName }, 'migration applied');
    if (result.status === 'Error') logger.error({ migration: result.migrationName }, 'migration failed');
  }
  if (error) throw error;
}

// `npm run migrate` / `node dist/db/migrate.js`: migrate and exit (used by the
// Kubernetes migration Job and docker-compose before the API serves).
if (require.main === module) {
  let config: import('../config').Config | undefined;
  void (async () => {
    const { loadConfig } = await import('../config');
    const { createLogger } = await import('../logger');
    const { secretsOf } = await import('../secrets');
    const { openDatabase } = await import('./database');
    config = loadConfig();
    const logger = createLogger(config.logLevel, undefined, secretsOf(config, process.env));
    const handle = await openDatabase(config.database, { poolMax: 1, logger });
    try {
      await migrateToLatest(handle.db, logger);
    } finally {
      await handle.close();
    }
  })().catch(async (err: unknown) => {
    const { describeDatabaseError } = await import('./database');
    console.error(describeDatabaseError(err, config?.database));
    process.exit(1);
  });
}
