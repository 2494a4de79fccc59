import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ROOT, TITANIC_CSV } from '../../scripts/lib/paths';

// The backup CronJob's own script (components/backups/backup.sh) and the
// README's restore command, run against the machine's PostgreSQL: a database
// with the Titanic rows is dumped three times keeping two, and the newest dump
// restored into an empty database holds every row, unchanged.
const SERVER = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const SOURCE = `passenger_backup_${process.pid}`;
const RESTORED = `passenger_restored_${process.pid}`;
const pgEnv = (database: string) => ({
  PATH: process.env.PATH ?? '',
  PGHOST: SERVER.hostname,
  PGPORT: SERVER.port || '5432',
  PGUSER: decodeURIComponent(SERVER.username) || 'postgres',
  PGPASSWORD: decodeURIComponent(SERVER.password),
  PGDATABASE: database,
});

// The restore block of README "Back up and restore": `kubectl exec -i
// statefulset/postgres -- sh -c '<this>' < dump`, run here without kubectl.
const restoreCommand = /statefulset\/postgres -- sh -c '(pg_restore [^']+)' < /.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'))![1];

async function query<T>(database: string, run: (client: Client) => Promise<T>): Promise<T> {
  const env = pgEnv(database);
  const client = new Client({ host: env.PGHOST, port: Number(env.PGPORT), user: env.PGUSER, password: env.PGPASSWORD, database });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
const admin = (statements: string[]) =>
  query('postgres', async (client) => {
    for (const statement of statements) await client.query(statement);
  });
const rows = (database: string) =>
  query(database, async (client) => (await client.query<Record<string, unknown>>('select * from passenger order by uuid')).rows);

let backups: string;
beforeAll(async () => {
  backups = mkdtempSync(join(tmpdir(), 'passenger-backups-'));
  await admin([
    `drop database if exists ${SOURCE} with (force)`,
    `drop database if exists ${RESTORED} with (force)`,
    `create database ${SOURCE}`,
    `create database ${RESTORED}`,
  ]);
});
afterAll(async () => {
  rmSync(backups, { recursive: true, force: true });
  await admin([`drop database if exists ${SOURCE} with (force)`, `drop database if exists ${RESTORED} with (force)`]);
});

it('backup.sh keeps the newest KEEP_DUMPS dumps, and the README restore brings back every row', async () => {
  execFileSync(process.execPath, [join(ROOT, 'dist', 'bulk', 'import.js'), TITANIC_CSV, '--replace'], {
    env: pgEnv(SOURCE),
    stdio: 'pipe',
  });
  const original = await rows(SOURCE);
  expect(original).toHaveLength(887);

  const backup = join(ROOT, 'helm-free-kustomize', 'components', 'backups', 'backup.sh');
  const written: string[] = [];
  for (let run = 0; run < 3; run++) {
    const out = execFileSync('sh', [backup], { env: { ...pgEnv(SOURCE), BACKUP_DIR: backups, KEEP_DUMPS: '2' }, encoding: 'utf8' });
    written.push(/^wrote (\S+) \(\d+ bytes\)$/m.exec(out)![1]);
  }
  expect(
    readdirSync(backups)
      .map((f) => join(backups, f))
      .sort(),
  ).toEqual(written.slice(1));

  execFileSync('sh', ['-c', `${restoreCommand} < "$DUMP"`], {
    env: { ...pgEnv(RESTORED), POSTGRES_USER: pgEnv('').PGUSER, POSTGRES_DB: RESTORED, DUMP: written[2] },
    stdio: 'pipe',
  });
  expect(await rows(RESTORED)).toEqual(original);
});
