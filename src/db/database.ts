import { accessSync, constants, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
// Kysely stays on 0.28 while Node 20 is supported: 0.29 needs Node >= 22 and brings its
// own PGlite dialect, which would replace kysely-pglite-dialect (docs/operations.md "Supported Node").
import { PGliteDialect } from 'kysely-pglite-dialect';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import type { DatabaseConfig } from '../config';
import { HOLDER_FILE, lockDataDirectory } from './pglite-lock';
import { onEarlyStop } from '../stop-signals';
import { redactConnectionString } from '../secrets';
import { preparedStatementPool } from './prepared-statements';
import type { Database } from './schema';

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

// The one owner of the database connection(s): everything else gets `db`,
// and the API's writes `writeDb` (on PostgreSQL a pool of their own, see
// poolSizes; on PGlite the same single connection). Bulk loading alone needs
// the driver underneath (COPY on pg, PGlite's own API).
interface CommonHandle {
  db: Kysely<Database>;
  writeDb: Kysely<Database>;
  ping: () => Promise<void>;
  poolStats: () => PoolStats;
  close(): Promise<void>;
}
export type DatabaseHandle = (CommonHandle & { kind: 'postgres'; pool: Pool }) | (CommonHandle & { kind: 'pglite'; pglite: PGlite });

interface DatabaseOptions {
  poolMax: number;
  logger: Logger;
  // Longest a statement may run (server side); the client gives up shortly
  // after, which also covers a server that stopped answering altogether.
  // Default 5 s for scripts; the service passes DB_STATEMENT_TIMEOUT_MS; 0 for
  // none, as bulk loads need.
  statementTimeoutMs?: number;
  // PostgreSQL: the first query, which must succeed for the database to count
  // as opened; `select 1` unless a caller waits for a server still starting.
  firstQuery?: (db: Kysely<Database>) => Promise<void>;
  // PGlite only: start a new database from this pglite.dumpDataDir() snapshot
  // instead of running initdb (~3 s; the tests load one migrated snapshot per
  // file in under 1 s).
  pgliteSnapshot?: Blob;
}

async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

// How much longer than the statement timeout the client waits for a frozen server.
const CLIENT_TIMEOUT_MARGIN_MS = 300;

// An error's text; node-postgres rejects with an AggregateError (empty
// message) when every address of a host refuses.
function errorText(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return [...new Set(err.errors.map(errorText))].join('; ');
  if (err instanceof Error) return err.message || ('code' in err ? String(err.code) : err.name);
  return String(err);
}

// Where node-postgres was told to connect, password masked, naming the variables.
export function postgresTarget(connectionString: string | undefined): string {
  if (connectionString) return `DATABASE_URL ${redactConnectionString(connectionString)}`;
  const variables = ['PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGDATABASE', 'PGUSER'].filter((name) => process.env[name]);
  const named = variables.map((name) => `${name}=${process.env[name]}`);
  if (process.env.PGPASSWORD) named.push('PGPASSWORD=****');
  return `the PG* variables (${named.join(' ')})`;
}

// How the pool's connections are split: writers get half (at least one) and
// readers the rest (at least one), each pool with its own queue, so requests
// stuck on a row lock can only ever hold the writers' connections and a read
// never waits behind them.
function poolSizes(poolMax: number): { reads: number; writes: number } {
  const writes = Math.max(1, Math.floor(poolMax / 2));
  return { reads: Math.max(1, poolMax - writes), writes };
}

// One line naming where PostgreSQL was looked for and why it did not answer.
// A server that answers but has no such database (SQLSTATE 3D000) was
// reached: that line says so, with the command that creates the database.
export function unreachableMessage(connectionString: string | undefined, err: unknown): string {
  const missing = typeof err === 'object' && err !== null && 'code' in err && err.code === '3D000' && /database "(.*)" does not exist/.exec(errorText(err));
  if (missing) {
    return `PostgreSQL at ${postgresTarget(connectionString)} answers, but ${missing[0]}: create it (${createdbCommand(connectionString, missing[1])}) or name a database that exists`;
  }
  return `cannot reach PostgreSQL at ${postgresTarget(connectionString)}: ${errorText(err)}`;
}

// createdb reads the PG* variables itself; a URL's host, port and user are spelled out.
function createdbCommand(connectionString: string | undefined, database: string): string {
  const words = ['createdb'];
  if (connectionString && URL.canParse(connectionString)) {
    const url = new URL(connectionString);
    if (url.hostname) words.push('-h', decodeURIComponent(url.hostname));
    if (url.port) words.push('-p', url.port);
    if (url.username) words.push('-U', decodeURIComponent(url.username));
  }
  words.push(/^[\w.-]+$/.test(database) ? database : `'${database.replaceAll("'", `'\\''`)}'`);
  return words.join(' ');
}

async function openPostgres(config: { connectionString?: string }, options: DatabaseOptions): Promise<DatabaseHandle> {
  // PG* variables are read by node-postgres itself when no URL is given.
  const statementTimeout = options.statementTimeoutMs ?? 5_000;
  const lockTimeout = statementTimeout && Math.ceil(statementTimeout / 6);
  const newPool = (max: number, purpose: string, connectionTimeoutMillis: number) => {
    const pool = new Pool({
      connectionString: config.connectionString,
      max,
      connectionTimeoutMillis,
      // A statement stuck behind a lock or a dead server must not hold a request forever.
      statement_timeout: statementTimeout,
      // A row lock held elsewhere gives up well before the statement timeout,
      // so writers queued on one row cycle through the writers' pool quickly
      // (a sixth: 200 ms by default; our own writes hold a row for ~1 ms).
      lock_timeout: lockTimeout,
      query_timeout: statementTimeout && statementTimeout + CLIENT_TIMEOUT_MARGIN_MS,
      application_name: `passenger-api ${purpose}`,
    });
    // An idle client losing its server emits here; without a listener Node would crash.
    pool.on('error', (err) => {
      options.logger.warn({ err: err.message, pool: purpose }, 'idle database client failed');
    });
    return pool;
  };
  const sizes = poolSizes(options.poolMax);
  // Below the 2 s in which a client must learn the database is gone (503),
  // even when the server's host silently drops packets instead of refusing.
  const pool = newPool(sizes.reads, 'reads', 1_500);
  // A write may wait for a connection and then for a lock: 1 s + 200 ms by
  // default, leaving room under 2 s for the rest of the request, queueing
  // included (a longer wait overran the 2 s under 50 writers on a locked
  // row: bench/results/README.md and the locked-row test's printed figures).
  const writePool = newPool(sizes.writes, 'writes', 1_000);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparedStatementPool(pool) }) });
  const writeDb = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparedStatementPool(writePool) }) });
  const close = async () => {
    await Promise.all([db.destroy(), writeDb.destroy()]);
  };
  // Opened means answering: the first query is the test.
  try {
    await (options.firstQuery ?? ping)(db);
  } catch (err) {
    await close();
    // eslint-disable-next-line preserve-caught-error -- the driver's error may quote the connection string with its password; unreachableMessage says what it may
    throw new Error(unreachableMessage(config.connectionString, err));
  }
  return {
    db,
    writeDb,
    kind: 'postgres',
    pool,
    ping: () => ping(db),
    poolStats: () => ({
      total: pool.totalCount + writePool.totalCount,
      idle: pool.idleCount + writePool.idleCount,
      waiting: pool.waitingCount + writePool.waitingCount,
    }),
    close,
  };
}

// Why a directory cannot be written, in words: `mkdir -p` under a read-only
// parent reports ENOENT, so the nearest existing ancestor is asked too.
function unwritableCause(dataDir: string, err: NodeJS.ErrnoException): string {
  const words = (code: string | undefined): string | undefined =>
    code === 'EROFS' ? 'read-only file system' : code === 'EACCES' || code === 'EPERM' ? `permission denied for uid ${process.getuid?.() ?? '?'}` : undefined;
  let ancestor = resolve(dataDir);
  while (!existsSync(ancestor) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
  try {
    accessSync(ancestor, constants.W_OK);
  } catch (parentErr) {
    const code = (parentErr as NodeJS.ErrnoException).code;
    return `${ancestor}: ${words(code) ?? code}`;
  }
  return words(err.code) ? `${words(err.code)} (${err.code})` : err.message;
}

const useInstead = (dataDir: string): string =>
  `mount a writable volume at ${resolve(dataDir)} (or a parent of it), set PGLITE_DATA_DIR to a writable directory, or use PostgreSQL (set DATABASE_URL or PG*)`;

// Entries that may sit beside a new database: our lock's holder file, and a
// file system's own lost+found at the root of a mounted volume.
const TOLERATED_ENTRIES = new Set([HOLDER_FILE, 'lost+found']);

// Start-up errors about the directory name the variable that chose it. A
// directory holding other files but no database (no PG_VERSION) is someone
// else's: PGlite would fill it beside them. Returns whether the directory is
// new (no database yet).
function prepareDataDir(dataDir: string): { fresh: boolean } {
  try {
    // One level at a time: Node's recursive mkdir spins forever under /proc.
    const missing: string[] = [];
    for (let dir = resolve(dataDir); !existsSync(dir); dir = dirname(dir)) missing.unshift(dir);
    for (const dir of missing) mkdirSync(dir);
    accessSync(dataDir, constants.R_OK | constants.W_OK);
  } catch (err) {
    throw new Error(
      `PGLITE_DATA_DIR ${dataDir} cannot be created or written (${unwritableCause(dataDir, err as NodeJS.ErrnoException)}): ${useInstead(dataDir)}`,
      {
        cause: err,
      },
    );
  }
  const entries = readdirSync(dataDir).filter((name) => !TOLERATED_ENTRIES.has(name));
  if (entries.length > 0 && !entries.includes('PG_VERSION')) {
    const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? ', …' : '');
    throw new Error(
      `PGLITE_DATA_DIR ${dataDir} is not empty and holds no database (it has ${shown}): point PGLITE_DATA_DIR at an empty or new directory, or at an existing embedded database`,
    );
  }
  return { fresh: entries.length === 0 };
}

// PGlite runs PostgreSQL inside this process's memory, with PostgreSQL's
// default 128 MB of shared buffers: most of an idle server's resident memory,
// for a cache the demo data and the Titanic set (under 1 MB) never fill.
// 32 MB still holds far more than that; measured before and after in README
// "Embedded database memory".
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

// PGlite's initdb on a new directory blocks its thread for seconds: run on the
// main thread, no signal could be handled meanwhile (docker stop ended in
// SIGKILL, half a database left behind). So a new directory is initialised in
// a worker thread, which a stop terminates before emptying the directory
// again; the main thread then opens the finished database (well under a second).
async function initialiseInWorker(dataDir: string): Promise<void> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     require(workerData.pglite).PGlite.create(workerData.dataDir, { startParams: workerData.startParams })
       .then((pglite) => pglite.close())
       .then(() => parentPort.postMessage('done'), (err) => parentPort.postMessage(String(err && err.message || err)));`,
    { eval: true, workerData: { pglite: require.resolve('@electric-sql/pglite'), dataDir, startParams: PGLITE_START_PARAMS } },
  );
  const forget = onEarlyStop(() =>
    worker.terminate().then(() => {
      for (const name of readdirSync(dataDir)) {
        if (!TOLERATED_ENTRIES.has(name)) rmSync(join(dataDir, name), { recursive: true, force: true });
      }
    }),
  );
  try {
    const outcome = await new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (outcome !== 'done') throw new Error(String(outcome));
  } finally {
    forget();
    await worker.terminate();
  }
}

function corruptDataDirMessage(dataDir: string, cause: string): string {
  return (
    `PGLITE_DATA_DIR ${dataDir} could not be read as a database (${cause}); it may be damaged, e.g. by two processes ` +
    `using it at once. To recover: move it aside (mv ${dataDir} ${dataDir}.broken), start again for a fresh database, ` +
    'and import your data again.'
  );
}

async function openPglite(config: { dataDir: string }, snapshot: Blob | undefined): Promise<DatabaseHandle> {
  const onDisk = !config.dataDir.includes('://');
  const { fresh } = onDisk ? prepareDataDir(config.dataDir) : { fresh: false };
  const lock = onDisk ? await lockDataDirectory(config.dataDir) : undefined;
  let pglite: PGlite;
  try {
    if (fresh && !snapshot) await initialiseInWorker(config.dataDir);
    pglite = await PGlite.create(config.dataDir, { loadDataDir: snapshot, startParams: PGLITE_START_PARAMS });
  } catch (err) {
    await lock?.release();
    throw onDisk ? new Error(corruptDataDirMessage(config.dataDir, err instanceof Error ? err.message : String(err))) : err;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    writeDb: db,
    kind: 'pglite',
    pglite,
    ping: () => ping(db),
    // PGlite is a single in-process connection.
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      await lock?.release();
    },
  };
}

// A stop before the process hands its signals over (stop-signals.ts) closes the database.
export async function openDatabase(config: DatabaseConfig, options: DatabaseOptions): Promise<DatabaseHandle> {
  const handle = await (config.kind === 'postgres' ? openPostgres(config, options) : openPglite(config, options.pgliteSnapshot));
  const close = handle.close.bind(handle);
  const forget = onEarlyStop(() => close());
  handle.close = () => {
    forget();
    return close();
  };
  return handle;
}

// One line for an error that stopped a start-up or a command: a damaged
// PGlite directory shows only when a query reads the missing file (SQLSTATE
// class 58, system error, or XX, internal), so say what to do about it.
export function describeDatabaseError(err: unknown, config: DatabaseConfig | undefined): string {
  const text = errorText(err);
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  if (config?.kind === 'pglite' && !config.dataDir.includes('://') && /^(58|XX)/.test(code)) {
    return corruptDataDirMessage(config.dataDir, text);
  }
  return text;
}
