import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { ROOT } from '../../scripts/lib/paths';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';

// First start in a cluster: the migrate init container runs before PostgreSQL
// listens. `node dist/db/migrate.js` must wait it out (bounded, with back-off)
// and migrate, or give up after MIGRATE_WAIT_SECONDS with one clear line.
let cluster: ThrowawayPostgres | undefined;
beforeAll(async () => {
  cluster = await startThrowawayPostgres('migrate-wait-password');
  cluster.stop();
});
afterAll(() => {
  cluster?.destroy();
});

function migrate(env: Record<string, string>): { exit: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'db', 'migrate.js')], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    exit: new Promise((resolve) =>
      child.once('exit', (code) => {
        resolve({ code, stderr });
      }),
    ),
  };
}

it('waits for a PostgreSQL that starts late, then migrates and exits 0', async () => {
  const run = migrate({ DATABASE_URL: cluster!.url, MIGRATE_WAIT_SECONDS: '60' });
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  cluster!.start();
  expect(await run.exit).toEqual({ code: 0, stderr: '' });
  const client = new Client({ connectionString: cluster!.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('select count(*)::int as n from kysely_migration');
    expect(rows[0].n).toBeGreaterThan(0);
  } finally {
    await client.end();
  }
  cluster!.stop();
});

it('gives up after MIGRATE_WAIT_SECONDS with one line naming the variable and the cause, exit 1', async () => {
  const { code, stderr } = await migrate({ DATABASE_URL: cluster!.url, MIGRATE_WAIT_SECONDS: '2' }).exit;
  expect({ code, stderr }).toEqual({
    code: 1,
    stderr: `cannot reach PostgreSQL at DATABASE_URL ${cluster!.url.replace(/:[^:@/]+@/, ':****@')}: PostgreSQL did not accept connections within 2 s (MIGRATE_WAIT_SECONDS): connect ECONNREFUSED 127.0.0.1:${cluster!.port}\n`,
  });
});

it('fails at once on an error waiting cannot fix (a wrong password)', async () => {
  cluster!.start();
  const started = Date.now();
  const { code, stderr } = await migrate({ DATABASE_URL: cluster!.url.replace('migrate-wait-password', 'wrong'), MIGRATE_WAIT_SECONDS: '60' }).exit;
  const seconds = (Date.now() - started) / 1000;
  expect({ code, stderr }).toEqual({
    code: 1,
    stderr: `cannot reach PostgreSQL at DATABASE_URL ${cluster!.url.replace(/:[^:@/]+@/, ':****@')}: password authentication failed for user "postgres"\n`,
  });
  process.stdout.write(`migrate with a wrong password exited after ${seconds.toFixed(1)} s (MIGRATE_WAIT_SECONDS=60)\n`);
});
