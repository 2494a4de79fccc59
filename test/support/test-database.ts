import { randomBytes } from 'node:crypto';
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

// Migrates once; truncate() between tests; close() in afterAll.
export async function openTestDatabase(): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  const { handle, dropSchema } = url
    ? await openPostgresSchema(url)
    : { handle: await openDatabase({ kind: 'pglite', dataDir: 'memory://' }, { poolMax: 1, logger: silentLogger }), dropSchema: () => Promise.resolve() };
  await migrateToLatest(handle.db, silentLogger);
  return {
    handle,
    truncate: async () => {
      await sql`truncate table passenger`.execute(handle.db);
    },
    close: async () => {
      await handle.close();
      await dropSchema();
    },
  };
}
