import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { track } from '../../scripts/lib/child-processes';
import { ROOT } from '../../scripts/lib/paths';

// A stop before the process is ready, as `docker stop` or Kubernetes send it
// during start-up: every entry point handles SIGTERM / SIGINT from its first
// moment, exits by itself (code 128 + signal: the work was not done) instead of
// being killed, and leaves no half-made database behind.

// A fallback far above the promised 2 s: "exited by itself", not a speed test.
const FALLBACK_KILL_MS = 5_000;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'passenger-stop-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  logs: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(script: string, args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [join(ROOT, 'dist', script), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  track(child);
  const logs: string[] = [];
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (line) => logs.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    }),
  );
  return { child, logs, exited };
}

async function until(what: string, ready: () => boolean, { child, logs }: Run): Promise<void> {
  while (!ready()) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited before ${what}:\n${logs.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function stop(process: Run, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  process.child.kill(signal);
  const fallback = setTimeout(() => process.child.kill('SIGKILL'), FALLBACK_KILL_MS);
  const outcome = await process.exited;
  clearTimeout(fallback);
  return outcome;
}

// The lock's holder file is written just before the first initdb starts (seconds of work).
const holderFile = (dataDir: string) => join(dataDir, 'passenger-api.lock.json');

it('main: SIGTERM during the first initdb exits 143 by itself and leaves no half-made database', async () => {
  const dataDir = join(dir, 'main');
  const server = run('main.js', [], { PGLITE_DATA_DIR: dataDir });
  await until('initdb started', () => existsSync(holderFile(dataDir)), server);
  expect(await stop(server, 'SIGTERM')).toEqual({ code: 143, signal: null });
  expect(readdirSync(dataDir).filter((name) => name !== 'passenger-api.lock.json')).toEqual([]);
  expect(server.logs).toContain('passenger-api: SIGTERM before start-up finished: stopping');
  expect(server.logs.join('\n')).not.toContain('listening');
});

it('import: SIGINT during the first initdb exits 130 by itself and leaves no half-made database', async () => {
  const dataDir = join(dir, 'import');
  const importer = run(join('bulk', 'import.js'), ['-'], { PGLITE_DATA_DIR: dataDir });
  await until('initdb started', () => existsSync(holderFile(dataDir)), importer);
  expect(await stop(importer, 'SIGINT')).toEqual({ code: 130, signal: null });
  expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);
});

it('migrate: SIGTERM while waiting for PostgreSQL exits 143 by itself, not after MIGRATE_WAIT_SECONDS', async () => {
  // Nothing listens on port 1 of loopback: connections are refused, so migrate waits and retries.
  const migrate = run(join('db', 'migrate.js'), [], { DATABASE_URL: 'postgres://app@127.0.0.1:1/passengers', MIGRATE_WAIT_SECONDS: '60' });
  await until('waiting for PostgreSQL', () => migrate.logs.some((line) => line.includes('waiting for PostgreSQL')), migrate);
  expect(await stop(migrate, 'SIGTERM')).toEqual({ code: 143, signal: null });
  expect(migrate.logs.join('\n')).not.toContain('did not accept connections');
});
