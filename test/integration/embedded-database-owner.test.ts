import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postTestPassenger } from '../support/fixtures';
import { runToExit, startServer } from '../../scripts/lib/server-process';
import { ROOT, TITANIC_CSV as TITANIC } from '../../scripts/lib/paths';

// One process owns a PGlite directory: an import beside a live server is
// refused at once (exit 1, one line naming the directory, the holder and what
// to do), the server keeps all its rows, a restart finds them all, and a
// holder killed with SIGKILL leaves no lock behind. A damaged directory names
// PGLITE_DATA_DIR and how to recover.

// One directory through every step (in order), so the database is created once.
let dir: string;
let dataDir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'passenger-owner-'));
  dataDir = join(dir, 'db');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function importCsv(dataDir: string, args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'bulk', 'import.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PGLITE_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function passengerCount(baseUrl: string): Promise<number> {
  const list = (await (await fetch(`${baseUrl}/passengerlist`)).json()) as unknown[];
  return list.length;
}

const env = (dataDir: string) => ({ PGLITE_DATA_DIR: dataDir, SHUTDOWN_DRAIN_MS: '0' });
// A first start creates the database (initdb inside WASM): slow on a busy machine.
const START_MS = 90_000;
const TEST_MS = 300_000;

it(
  'refuses an import beside a live server; the server keeps every row, across a restart too',
  async () => {
    const server = await startServer(env(dataDir), START_MS);
    let rows: number;
    try {
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${server.baseUrl}/postpassenger`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(postTestPassenger),
        });
        expect(res.status).toBe(201);
      }
      rows = await passengerCount(server.baseUrl);
      const refused = importCsv(dataDir, [TITANIC, '--replace']);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      const lines = refused.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`PGLITE_DATA_DIR ${dataDir} is in use by process ${server.child.pid} (`);
      expect(lines[0]).toContain('dist/main.js');
      expect(lines[0]).toMatch(/Stop that process first.*PostgreSQL \(DATABASE_URL\)/);
      expect(await passengerCount(server.baseUrl)).toBe(rows);
      expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const restarted = await startServer(env(dataDir), START_MS);
    try {
      expect(await passengerCount(restarted.baseUrl)).toBe(rows);
    } finally {
      expect(await restarted.stop()).toBe(0);
    }
    // Stopped: the import may run now.
    const imported = importCsv(dataDir, [TITANIC, '--replace']);
    expect(imported.stderr).toMatch(/: 887 rows in/);
    expect(imported.code).toBe(0);
  },
  TEST_MS,
);

it(
  'a holder killed with SIGKILL leaves no lock behind',
  async () => {
    const server = await startServer(env(dataDir), START_MS);
    server.child.kill('SIGKILL');
    await server.exited;
    const next = await startServer(env(dataDir), START_MS);
    try {
      expect(await passengerCount(next.baseUrl)).toBe(887);
    } finally {
      expect(await next.stop()).toBe(0);
    }
  },
  TEST_MS,
);

it(
  'names PGLITE_DATA_DIR and how to recover when the directory is damaged',
  async () => {
    // What two writers did in the report: the table's file is gone.
    const pglite = await PGlite.create(dataDir);
    const { rows } = await pglite.query<{ path: string }>(`select pg_relation_filepath('passenger') as path`);
    await pglite.close();
    unlinkSync(join(dataDir, rows[0].path));
    const { code, output } = await runToExit({ PGLITE_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
    expect(code).toBe(1);
    const failure = output.split('\n').filter((line) => line.startsWith('passenger-api:'));
    expect(failure).toEqual([expect.stringContaining(`PGLITE_DATA_DIR ${dataDir} could not be read as a database`)]);
    expect(failure[0]).toContain(`mv ${dataDir} ${dataDir}.broken`);
    expect(output).not.toMatch(/^\s+at /m);
  },
  TEST_MS,
);
