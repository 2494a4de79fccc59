import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
// Kysely stays on 0.28 while Node 20 is supported: 0.29 needs Node >= 22 and brings its
// own PGlite dialect, which would replace kysely-pglite-dialect (README "Supported Node").
import { PGliteDialect } from 'kysely-pglite-dialect';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import type { DatabaseConfig } from '../config';
import { preparedStatementPool } from './prepared-statements';
import type { Database } from './schema';

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

// The one owner of the database connection(s): everything else gets `db`.
// Bulk loading alone needs the driver underneath (COPY on pg, PGlite's own API).
interface CommonHandle {
  db: Kysely<Database>;
  ping(): Promise<void>;
  poolStats(): PoolStats;
  close(): Promise<void>;
}
export type DatabaseHandle =
  | (CommonHandle & { kind: 'postgres'; pool: Pool })
  | (CommonHandle & { kind: 'pglite'; pglite: PGlite });

export interface DatabaseOptions {
  poolMax: number;
  logger: Logger;
  // Longest a statement may run (server side); the client gives up shortly
  // after, which also covers a server that stopped answering altogether.
  // Default 5 s for scripts; the service passes DB_STATEMENT_TIMEOUT_MS; 0 for
  // none, as bulk loads need.
  statementTimeoutMs?: number;
}

async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

// How much longer than the statement timeout the client waits for a frozen server.
const CLIENT_TIMEOUT_MARGIN_MS = 300;

function openPostgres(config: { connectionString?: string }, options: DatabaseOptions): DatabaseHandle {
  // PG* variables are read by node-postgres itself when no URL is given.
  const statementTimeout = options.statementTimeoutMs ?? 5_000;
  const pool = new Pool({
    connectionString: config.connectionString,
    max: options.poolMax,
    // Below the 2 s in which a client must learn the database is gone (503),
    // even when the server's host silently drops packets instead of refusing.
    connectionTimeoutMillis: 1_500,
    // A statement stuck behind a lock or a dead server must not hold a request forever.
    statement_timeout: statementTimeout,
    query_timeout: statementTimeout && statementTimeout + CLIENT_TIMEOUT_MARGIN_MS,
    application_name: 'passenger-api',
  });
  // An idle client losing its server emits here; without a listener Node would crash.
  pool.on('error', (err) => options.logger.warn({ err: err.message }, 'idle database client failed'));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparedStatementPool(pool) }) });
  return {
    db,
    kind: 'postgres',
    pool,
    ping: () => ping(db),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => db.destroy(),
  };
}

async function openPglite(config: { dataDir: string }): Promise<DatabaseHandle> {
  if (!config.dataDir.includes('://')) mkdirSync(config.dataDir, { recursive: true });
  const pglite = await PGlite.create(config.dataDir);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    pglite,
    ping: () => ping(db),
    // PGlite is a single in-process connection.
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

export async function openDatabase(config: DatabaseConfig, options: DatabaseOptions): Promise<DatabaseHandle> {
  return config.kind === 'postgres' ? openPostgres(config, options) : openPglite(config);
}
