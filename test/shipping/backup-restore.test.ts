import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ROOT, TITANIC_CSV } from '../../scripts/lib/paths';

// The backup CronJob's own script (components/backups/backup.sh) and the
// docs/operations.md's restore command, run against the machine's PostgreSQL: a database
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

// The restore block of docs/operations.md "Back up and restore": `kubectl exec -i
// statefulset/postgres -- sh -c '<this>' < dump`, run here without kubectl.
const readme = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
const restoreCommand = /statefulset\/postgres -- sh -c '(pg_restore [^']+)' < /.exec(readme)![1];
// The page's check after the restore: the restored row count.
const countCommand = /statefulset\/postgres -- sh -c '(psql [^']+count[^']+)'/.exec(readme)![1];
const BACKUP = join(ROOT, 'helm-free-kustomize', 'components', 'backups', 'backup.sh');

// backup.sh's exit status, output and the dumps it left.
function backupRun(env: Record<string, string>): { status: number | null; output: string; dumps: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'passenger-backup-run-'));
  try {
    const result = spawnSync('sh', [BACKUP], { env: { PATH: process.env.PATH ?? '', BACKUP_DIR: dir, KEEP_DUMPS: '2', ...env }, encoding: 'utf8' });
    return { status: result.status, output: result.stdout + result.stderr, dumps: readdirSync(dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A pg_dump first on PATH that passes extra options to the real one: a dump that lost rows or the table.
function pgDumpWith(extra: string): string {
  const bin = mkdtempSync(join(tmpdir(), 'passenger-pg-dump-'));
  const real = execFileSync('sh', ['-c', 'command -v pg_dump'], { encoding: 'utf8' }).trim();
  writeFileSync(join(bin, 'pg_dump'), `#!/bin/sh\nexec ${real} ${extra} "$@"\n`);
  chmodSync(join(bin, 'pg_dump'), 0o755);
  return `${bin}:${process.env.PATH ?? ''}`;
}

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

it('backup.sh keeps the newest KEEP_DUMPS dumps, and the documented restore brings back every row', async () => {
  execFileSync(process.execPath, [join(ROOT, 'dist', 'bulk', 'import.js'), TITANIC_CSV, '--replace'], {
    env: pgEnv(SOURCE),
    stdio: 'pipe',
  });
  const original = await rows(SOURCE);
  expect(original).toHaveLength(887);

  const backup = BACKUP;
  const written: string[] = [];
  for (let run = 0; run < 3; run++) {
    const out = execFileSync('sh', [backup], { env: { ...pgEnv(SOURCE), BACKUP_DIR: backups, KEEP_DUMPS: '2' }, encoding: 'utf8' });
    written.push(/^wrote (\S+) \(\d+ bytes, 887 passenger rows\)$/m.exec(out)![1]);
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
  const counted = execFileSync('sh', ['-c', countCommand], {
    env: { ...pgEnv(RESTORED), POSTGRES_USER: pgEnv('').PGUSER, POSTGRES_DB: RESTORED },
    encoding: 'utf8',
  });
  expect(counted.trim()).toBe('887');
});

describe('backup.sh dumps the service database or nothing', () => {
  const url = (database: string) => {
    const target = new URL(SERVER.href);
    target.pathname = `/${database}`;
    return target.href;
  };

  it('takes DATABASE_URL alone, as the service does', () => {
    const run = backupRun({ DATABASE_URL: url(SOURCE) });
    expect(run.status).toBe(0);
    expect(run.output).toMatch(/^wrote \S+ \(\d+ bytes, 887 passenger rows\)$/m);
    expect(run.dumps).toHaveLength(1);
  });

  it('refuses to run with neither DATABASE_URL nor PG*', () => {
    const run = backupRun({});
    expect(run).toEqual({
      status: 1,
      output: "backup.sh: set DATABASE_URL or the PG* variables to the service's database; refusing to dump libpq's default database\n",
      dumps: [],
    });
  });

  it('fails on a database without the passenger table', () => {
    const run = backupRun({ DATABASE_URL: url('postgres') });
    expect(run.status).toBe(1);
    expect(run.output).toContain('backup.sh: the database at DATABASE_URL has no passenger table');
    expect(run.dumps).toEqual([]);
  });

  it('fails, keeping nothing, when the dump holds fewer rows than the table or no table', () => {
    const fewer = backupRun({ ...pgEnv(SOURCE), PATH: pgDumpWith('--exclude-table-data=passenger') });
    expect(fewer.status).toBe(1);
    expect(fewer.output).toContain('holds 0 passenger rows, the table had 887');
    expect(fewer.dumps).toEqual([]);
    const none = backupRun({ ...pgEnv(SOURCE), PATH: pgDumpWith('--exclude-table=passenger') });
    expect(none.status).toBe(1);
    expect(none.output).toContain('holds no passenger table');
    expect(none.dumps).toEqual([]);
  });
});
