import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { Client } from 'pg';
import pino from 'pino';
import { type DatabaseHandle, openDatabase } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';

export const silentLogger = pino({ level: 'silent' });

// Which backend the suite runs on: PGlite in memory by default (no server
// needed), or the PostgreSQL named by TEST_DATABASE_URL. .ci/run runs both.
export const backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDatabase {
  handle: DatabaseHandle;
  truncate(): Promise<void>;
  close(): Promise<void>;
}

// A schema of its own in the database at `url`, and a URL whose connections
// use it (search_path), so parallel tests never see each other's rows.
export async function createScratchSchema(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: scoped.toString(),
    drop: async () => {
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}

// On PostgreSQL every test file gets its own schema, so parallel Jest workers
// never truncate each other's rows.
async function openPostgresSchema(url: string): Promise<{ handle: DatabaseHandle; dropSchema: () => Promise<void> }> {
  const scratch = await createScratchSchema(url);
  const handle = await openDatabase({ kind: 'postgres', connectionString: scratch.url }, { poolMax: 10, logger: silentLogger });
  return { handle, dropSchema: scratch.drop };
}

const MIGRATIONS_DIR = join(__dirname, '../../src/db/migrations');

// A new PGlite spends ~3 s in initdb, in every test file (and in every
// mutation-test run). So the first file to need one migrates a fresh PGlite and
// saves its data directory in the OS temp dir, named by the PGlite version and
// the migrations' text; every later file loads that (under 1 s) and still runs
// migrateToLatest over it, which finds nothing to do.
async function migratedPgliteSnapshot(): Promise<Blob> {
  // The package's exports hide its package.json; its entry point is in dist/.
  const pglitePackage = join(dirname(require.resolve('@electric-sql/pglite')), '../package.json');
  const hash = createHash('sha256').update(await readFile(pglitePackage));
  for (const name of (await readdir(MIGRATIONS_DIR)).sort()) hash.update(name).update(await readFile(join(MIGRATIONS_DIR, name)));
  const path = join(tmpdir(), `passenger-api-pglite-${hash.digest('hex').slice(0, 16)}.tar`);
  try {
    return new Blob([await readFile(path)]);
  } catch {
    const handle = await openDatabase({ kind: 'pglite', dataDir: 'memory://' }, { poolMax: 1, logger: silentLogger });
    await migrateToLatest(handle.db, silentLogger);
    if (handle.kind !== 'pglite') throw new Error('unreachable: opened PGlite');
    const snapshot = await handle.pglite.dumpDataDir('none');
    await handle.close();
    // Written aside and renamed, so a parallel worker never reads half a file.
    const partial = `${path}.${process.pid}`;
    await writeFile(partial, Buffer.from(await snapshot.arrayBuffer()));
    await rename(partial, path);
    return snapshot;
  }
}

async function openPgliteDatabase(): Promise<DatabaseHandle> {
  return openDatabase({ kind: 'pglite', dataDir: 'memory://' }, { poolMax: 1, logger: silentLogger, pgliteSnapshot: await migratedPgliteSnapshot() });
}

function truncatePassengers(handle: DatabaseHandle): Promise<void> {
  return sql`truncate table passenger`.execute(handle.db).then(() => undefined);
}

// Mutation testing runs every test file in one Jest module registry
// (test/mutation/all-tests.test.ts), where opening a PGlite per file would
// cost more than the file's tests. There the files take turns on one PGlite:
// each gets it emptied, and its close() empties it again instead of closing.
let sharedPglite: Promise<DatabaseHandle> | undefined;
let sharing = false;

export function sharePgliteBetweenFiles(): void {
  sharing = true;
  afterAll(async () => {
    await (await sharedPglite)?.close();
  });
}

// Migrates once; truncate() between tests; close() in afterAll.
export async function openTestDatabase(): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (sharing && !url) {
    sharedPglite ??= openPgliteDatabase().then(async (handle) => {
      await migrateToLatest(handle.db, silentLogger);
      return handle;
    });
    const handle = await sharedPglite;
    await truncatePassengers(handle);
    return { handle, truncate: () => truncatePassengers(handle), close: () => truncatePassengers(handle) };
  }
  const { handle, dropSchema } = url ? await openPostgresSchema(url) : { handle: await openPgliteDatabase(), dropSchema: () => Promise.resolve() };
  await migrateToLatest(handle.db, silentLogger);
  return {
    handle,
    truncate: () => truncatePassengers(handle),
    close: async () => {
      await handle.close();
      await dropSchema();
    },
  };
}
