import { execFileSync } from 'node:child_process';
import { Client } from 'pg';
import pino from 'pino';
import { type DatabaseHandle, openDatabase } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';
import { ROOT } from '../lib/paths';
const SERVER = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';

// The machine's PostgreSQL (started when down, as CI does), a database made
// afresh for this run, migrated; resolves with its URL and an open handle.
export async function freshBenchDatabase(name: string): Promise<{ url: string; handle: DatabaseHandle }> {
  execFileSync('bash', ['-c', 'source .ci/postgres.sh && ensure_postgres'], { cwd: ROOT, stdio: 'inherit' });
  const admin = new Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = `${SERVER}/${name}`;
  const handle = await openDatabase(
    { kind: 'postgres', connectionString: url },
    {
      poolMax: 2,
      logger: pino({ level: 'warn' }),
      statementTimeoutMs: 0,
    },
  );
  await migrateToLatest(handle.db, pino({ level: 'warn' }));
  return { url, handle };
}
