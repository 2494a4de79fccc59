import { type LogLine, type TestApp, captureLogger, openTestApp } from '../support/test-app';
import { type TestDatabase, openTestDatabase } from '../support/test-database';
import { outageReporter } from '../../src/http/outage';
import { migrateToLatest } from '../../src/db/migrate';

// Logs an operator reads: probes and scrapes are not access-logged at info
// unless LOG_PROBES asks, and a database outage is one warning when it starts
// and one line when it ends, not a stack per request.

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

async function accessLines(logProbes: boolean): Promise<string[]> {
  const lines: LogLine[] = [];
  const app: TestApp = await openTestApp({ database, logger: captureLogger(lines), logProbes });
  for (const path of ['/healthz', '/readyz', '/metrics', '/hello']) await app.request.get(path);
  return lines.filter((line) => line.msg === 'request').map((line) => String(line.path));
}

it('logs /healthz, /readyz and /metrics at info only with LOG_PROBES; other requests always', async () => {
  expect(await accessLines(false)).toEqual(['/hello']);
  expect(await accessLines(true)).toEqual(['/healthz', '/readyz', '/metrics', '/hello']);
});

it('reports an outage once when it starts and once when the database answers again', async () => {
  const lines: LogLine[] = [];
  let up = false;
  const outage = outageReporter(captureLogger(lines), () => (up ? Promise.resolve() : Promise.reject(new Error('ECONNREFUSED'))));
  for (let i = 0; i < 5; i++) outage.unreachable(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
  expect(lines.map((line) => [line.level, line.msg])).toEqual([[40, 'database unreachable: answering 503 until it is back']]);
  up = true;
  while (lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(lines[1].msg).toBe('database reachable again');
  up = false;
  outage.unreachable(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
  expect(lines.map((line) => line.msg)).toEqual([
    'database unreachable: answering 503 until it is back',
    'database reachable again',
    'database unreachable: answering 503 until it is back',
  ]);
  up = true;
  while (lines.length < 4) await new Promise((resolve) => setTimeout(resolve, 100));
});

it('says "up to date" when there is nothing to migrate', async () => {
  const lines: LogLine[] = [];
  await migrateToLatest(database.handle.db, captureLogger(lines));
  expect(lines.map((line) => line.msg)).toEqual(['migrations: up to date']);
});
