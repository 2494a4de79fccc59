import { type Server, createServer } from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToExit, startServer } from '../../scripts/lib/server-process';

// Start-up failures as an operator meets them: exit 1, one line that names
// the variable to fix, no stack trace, and nothing done before the check
// (no migrations before the port check, no "database opened" before a query).

let dir: string;
let busy: Server;
let busyPort: number;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'passenger-startup-'));
  busy = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

// The server's one complaint, checked to be alone and without a stack trace.
async function failure(env: Record<string, string>): Promise<{ line: string; output: string }> {
  const { code, output } = await runToExit({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env });
  expect(code).toBe(1);
  expect(output).not.toMatch(/^\s+at /m);
  const lines = output.split('\n').filter((line) => line.startsWith('passenger-api:'));
  expect(lines).toHaveLength(1);
  return { line: lines[0], output };
}

it('names PORT when the port is in use, before touching the database', async () => {
  const dataDir = join(dir, 'port');
  const { line, output } = await failure({ PORT: String(busyPort), PGLITE_DATA_DIR: dataDir });
  expect(line).toBe(
    `passenger-api: failed to start: PORT ${busyPort} is already in use on HOST 127.0.0.1: stop the process listening there or set PORT to a free port`,
  );
  expect(output).not.toContain('database opened');
  expect(output).not.toContain('migration applied');
});

it('names DATABASE_URL, password masked, when its host is unknown, and never says "database opened"', async () => {
  const { line, output } = await failure({ DATABASE_URL: 'postgres://app:s3cret-pw@no-such-host.invalid:5432/passengers' });
  expect(line).toBe(
    'passenger-api: failed to start: cannot reach PostgreSQL at DATABASE_URL postgres://app:****@no-such-host.invalid:5432/passengers: getaddrinfo ENOTFOUND no-such-host.invalid',
  );
  expect(output).not.toContain('s3cret-pw');
  expect(output).not.toContain('database opened');
});

it('names the PG* variables when they point nowhere', async () => {
  const { line } = await failure({ PGHOST: '127.0.0.1', PGPORT: String(busyPort), PGUSER: 'app', PGPASSWORD: 'pg-secret' });
  expect(line).toMatch(
    /^passenger-api: failed to start: cannot reach PostgreSQL at the PG\* variables \(PGHOST=127\.0\.0\.1 PGPORT=\d+ PGUSER=app PGPASSWORD=\*\*\*\*\): /,
  );
  expect(line).not.toContain('pg-secret');
});

// Answers a connection as PostgreSQL answers a start-up message naming a
// database it does not have: an ErrorResponse with SQLSTATE 3D000.
function serverWithoutDatabase(name: string): Server {
  return createServer((socket) => {
    socket.once('data', () => {
      const fields = Buffer.from(`SFATAL\0VFATAL\0C3D000\0Mdatabase "${name}" does not exist\0\0`);
      const header = Buffer.alloc(5);
      header.write('E');
      header.writeInt32BE(fields.length + 4, 1);
      socket.end(Buffer.concat([header, fields]));
    });
  });
}

it('says the database does not exist, with the createdb command, when PostgreSQL answers without it', async () => {
  const server = serverWithoutDatabase('passengers');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    const { line } = await failure({ DATABASE_URL: `postgres://app:s3cret-pw@127.0.0.1:${port}/passengers` });
    expect(line).toBe(
      `passenger-api: failed to start: PostgreSQL at DATABASE_URL postgres://app:****@127.0.0.1:${port}/passengers answers, but database "passengers" does not exist: create it (createdb -h 127.0.0.1 -p ${port} -U app passengers) or name a database that exists`,
    );
    const fromVariables = await failure({ PGHOST: '127.0.0.1', PGPORT: String(port), PGUSER: 'app', PGDATABASE: 'passengers' });
    expect(fromVariables.line).toContain('answers, but database "passengers" does not exist: create it (createdb passengers)');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

it('names PGLITE_DATA_DIR when the directory cannot be created', async () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, '');
  const { line } = await failure({ PGLITE_DATA_DIR: join(file, 'db') });
  expect(line).toContain(`PGLITE_DATA_DIR ${join(file, 'db')} cannot be created or written (ENOTDIR`);
  expect(line).toContain(
    `mount a writable volume at ${join(file, 'db')} (or a parent of it), set PGLITE_DATA_DIR to a writable directory, or use PostgreSQL (set DATABASE_URL or PG*)`,
  );
});

it('refuses a PGLITE_DATA_DIR that holds other files but no database, and leaves them alone', async () => {
  const foreign = join(dir, 'foreign');
  mkdirSync(foreign);
  writeFileSync(join(foreign, 'notes.txt'), 'mine');
  const { line } = await failure({ PGLITE_DATA_DIR: foreign });
  expect(line).toBe(
    `passenger-api: failed to start: PGLITE_DATA_DIR ${foreign} is not empty and holds no database (it has notes.txt): point PGLITE_DATA_DIR at an empty or new directory, or at an existing embedded database`,
  );
  expect(readdirSync(foreign)).toEqual(['notes.txt']);
});

it('refuses a PGLITE_DATA_DIR under /proc in one line instead of hanging', async () => {
  const { line } = await failure({ PGLITE_DATA_DIR: '/proc/passenger-api-test/db' });
  expect(line).toContain(
    "PGLITE_DATA_DIR /proc/passenger-api-test/db cannot be created or written (ENOENT: no such file or directory, mkdir '/proc/passenger-api-test')",
  );
});

it('starts without its database when the start needs none (no migrations, no seed): warns naming DATABASE_URL, /readyz 503', async () => {
  const server = await startServer({
    DATABASE_URL: `postgres://app:s3cret-pw@127.0.0.1:${busyPort}/passengers`,
    MIGRATE_ON_START: 'false',
    SEED_DEMO_DATA: 'false',
    SHUTDOWN_DRAIN_MS: '0',
  });
  try {
    expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(503);
    const logs = server.logs.join('\n');
    expect(logs).toContain(`cannot reach PostgreSQL at DATABASE_URL postgres://app:****@127.0.0.1:${busyPort}/passengers`);
    expect(logs).not.toContain('database opened');
    expect(logs).not.toContain('s3cret-pw');
  } finally {
    expect(await server.stop()).toBe(0);
  }
});
