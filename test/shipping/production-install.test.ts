import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../scripts/lib/server-process';
import { RUNTIME_PATHS } from './dockerfile';
import { devPod, runPod } from './pod-sandbox';
import { ROOT, TITANIC_CSV } from '../../scripts/lib/paths';

// A fresh database on the machine's PostgreSQL, started when down; under
// CI=true a PostgreSQL that cannot be had fails this test (ensure_postgres).
function freshDatabase(name: string): string {
  const script = `source .ci/postgres.sh && ensure_postgres >&2 && fresh_database ${name}`;
  return execFileSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8' }).trim();
}

// What the Dockerfile's runtime stage holds, laid out in a temporary directory
// the same way: `npm ci --omit=dev` output, dist/, openapi/, package.json.
describe('the production install (what the image runs)', () => {
  let app: string;
  let databaseUrl: string;

  beforeAll(() => {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
    app = mkdtempSync(join(tmpdir(), 'passenger-production-'));
    cpSync(join(ROOT, 'package.json'), join(app, 'package.json'));
    cpSync(join(ROOT, 'package-lock.json'), join(app, 'package-lock.json'));
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: app,
      stdio: 'pipe',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    rmSync(join(app, 'package-lock.json'));
    cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'openapi'), join(app, 'openapi'), { recursive: true });
    databaseUrl = freshDatabase(`${process.env.CI_DB_NAME ?? 'passenger_ci'}_install`);
  });
  afterAll(() => {
    rmSync(app, { recursive: true, force: true });
    rmSync(`${app}.hosts`, { force: true });
  });

  it('holds exactly the runtime layout, without dev dependencies', () => {
    expect(readdirSync(app).sort()).toEqual([...RUNTIME_PATHS].sort());
    for (const devOnly of ['typescript', 'jest', 'dredd', 'kubernetes-models', 'pino-pretty']) {
      expect({ devOnly, installed: existsSync(join(app, 'node_modules', devOnly)) }).toEqual({ devOnly, installed: false });
    }
  });

  // JSON is what runs there; readable lines are a dev dependency's, asked for by mistake.
  it('refuses LOG_FORMAT=pretty at start, in one line naming the variable', () => {
    const env = { PATH: process.env.PATH ?? '', NODE_ENV: 'production', LOG_FORMAT: 'pretty', PGLITE_DATA_DIR: 'memory://' };
    const result = spawnSync(process.execPath, [join(app, 'dist', 'main.js')], { cwd: app, env, encoding: 'utf8', timeout: 20_000 });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'passenger-api: invalid configuration: LOG_FORMAT=pretty needs pino-pretty, a dev dependency this install does not have: unset LOG_FORMAT or set it to json\n',
    });
  });

  it('migrates alone, then serves /readyz 200 against PostgreSQL and exits 0 on SIGTERM', async () => {
    const env = { DATABASE_URL: databaseUrl, NODE_ENV: 'production', PATH: process.env.PATH ?? '' };
    execFileSync(process.execPath, [join(app, 'dist', 'db', 'migrate.js')], { cwd: app, env, stdio: 'pipe' });
    const server = await startServer({ ...env, MIGRATE_ON_START: 'false', SEED_DEMO_DATA: 'false', SHUTDOWN_DRAIN_MS: '0' }, 20_000, app);
    try {
      const ready = await fetch(`${server.baseUrl}/readyz`);
      expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 200, body: { status: 'ok' } });
      expect(await (await fetch(`${server.baseUrl}/hello`)).json()).toEqual({ message: 'ok' });
      const list = await fetch(`${server.baseUrl}/passengerlist`);
      expect({ status: list.status, body: await list.json() }).toEqual({ status: 200, body: [] });
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
    expect(server.logs.join('\n')).toContain('shut down cleanly');
  });

  // The container's promises, run rather than read: bubblewrap (Debian package,
  // .ci/run installs it) stands in for the pod's security context, without a
  // Docker engine. Inside --unshare-net there is no PostgreSQL of the machine:
  // pod-sandbox.sh starts a private one in the same network namespace, so the
  // service runs on exactly the dev pod's environment (PGHOST=postgres and the
  // Secret's credentials), not on a PGlite the pod would never use.
  it("runs under the pod's constraints with the dev pod's environment: migrate, /readyz, import from stdin, SIGTERM -> exit 0", () => {
    const pod = devPod();
    expect(pod.env).toMatchObject({ PGHOST: 'postgres', PORT: '8080', NODE_ENV: 'production', MIGRATE_ON_START: 'false' });
    const { status, stderr, run } = runPod(app, readFileSync(TITANIC_CSV));
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    process.stdout.write(`sandboxed pod: SIGTERM to exit ${run!.exitMs} ms (grace ${pod.graceSeconds} s)\n`);
    expect({ ...run, exitMs: undefined }).toEqual({
      uid: 1000,
      rootWritable: false,
      interfaces: ['lo'],
      migrate: 0,
      readyz: '{"status":"ok"}',
      import: 'imported -: 887 rows',
      rows: 887,
      exitCode: 0,
      exitMs: undefined,
      lastLogLine: expect.stringContaining('shut down cleanly') as unknown,
    });
  });
});
