import { createLogger } from '../../src/logger';
import { UNMATCHED_OPERATION } from '../../src/http/metrics';
import { DOCS_ASSET_ROUTE } from '../../src/http/ops.router';
import { loadSpec } from '../../src/spec';
import { expectProblem, specOperationIds, useTestApp } from '../support/test-app';
import { backend } from '../support/test-database';
import { MISSING_UUID } from '../support/fixtures';
import type { Problem } from '../../src/http/problem';
import type { Document } from 'openapi-backend';

// Every JSON log line the app writes, parsed.
const logLines: Record<string, unknown>[] = [];
// LOG_PROBES on: the request-id test reads a /readyz access line (operator-logs.test.ts checks the default).
const app = useTestApp({
  logger: createLogger('info', { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) }),
  logProbes: true,
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

// Prometheus text format, just enough of it: `name{a="b",c="d"} value`.
function parseSamples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...((match[2] as string | undefined) ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

describe(`GET /metrics on ${backend}`, () => {
  it('counts requests by operationId, method and status, never by raw path, next to process and pool metrics', async () => {
    for (let i = 0; i < 3; i += 1) expect((await app.request.get('/hello')).status).toBe(200);
    for (const uuid of [MISSING_UUID, '00000000-0000-4000-8000-0000000000ff']) {
      expectProblem(await app.request.get(`/getpassenger/${uuid}`), 404);
    }
    expectProblem(await app.request.post('/postpassenger').send({ name: '' }), 400);
    expectProblem(await app.request.get('/no/such/path/42'), 404);

    const res = await app.request.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parseSamples(res.text);
    const count = (operationId: string, method: string, status: string) =>
      samples.find(
        (s) =>
          s.name === 'http_request_duration_seconds_count' && s.labels.operationId === operationId && s.labels.method === method && s.labels.status === status,
      )?.value;
    expect(count('hello', 'GET', '200')).toBe(3);
    expect(count('getPassenger', 'GET', '404')).toBe(2);
    expect(count('createPassenger', 'POST', '400')).toBe(1);
    expect(count(UNMATCHED_OPERATION, 'GET', '404')).toBe(1);

    const durations = samples.filter((s) => s.name.startsWith('http_request_duration_seconds'));
    const knownIds = new Set([...specOperationIds, UNMATCHED_OPERATION, DOCS_ASSET_ROUTE]);
    for (const sample of durations) {
      expect(Object.keys(sample.labels).sort()).toEqual(expect.arrayContaining(['method', 'operationId', 'status']));
      expect(knownIds).toContain(sample.labels.operationId);
      expect(Object.values(sample.labels).join(' ')).not.toMatch(/\/|0000-4000/);
    }

    const names = new Set(samples.map((s) => s.name));
    const defaults = ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds'];
    for (const name of defaults) expect(names).toContain(name);
    const pool = app.database.handle.poolStats();
    const gauge = (name: string) => samples.find((s) => s.name === name)?.value;
    expect(gauge('db_pool_connections')).toBe(pool.total);
    expect(gauge('db_pool_idle_connections')).toBe(pool.idle);
    expect(gauge('db_pool_waiting_requests')).toBe(pool.waiting);
    expect(pool.total).toBeGreaterThanOrEqual(1);
  });
});

describe('GET /openapi.json', () => {
  it('serves every path of the contract', async () => {
    const res = await app.request.get('/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys((res.body as Document).paths!)).toEqual(Object.keys(loadSpec().paths ?? {}));
  });
});

describe('GET /docs', () => {
  it('serves the Swagger UI page under a CSP that allows this origin only, and its assets from the package', async () => {
    const page = await app.request.get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/docs\/assets\//);
      const res = await app.request.get(asset);
      expect(res.status).toBe(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('answers 404 problem+json for a file outside its fixed list', async () => {
    expectProblem(await app.request.get('/docs/assets/index.html'), 404);
    expectProblem(await app.request.get('/docs/assets/..%2Fpackage.json'), 404);
  });
});

describe('request ids', () => {
  const linesOf = (requestId: string) => logLines.filter((line) => line.requestId === requestId);

  it('keeps a caller X-Request-Id: echoed, in problem+json instance and in every log line of the request', async () => {
    app.setAccepting(false);
    try {
      const res = await app.request.get('/readyz').set('X-Request-Id', 'from-the-proxy.42');
      expectProblem(res, 503);
      expect(res.headers['x-request-id']).toBe('from-the-proxy.42');
      expect((res.body as Problem).instance).toBe('from-the-proxy.42');
    } finally {
      app.setAccepting(true);
    }
    const lines = linesOf('from-the-proxy.42');
    // A 503 of the service's own choosing logs no error, only its access line.
    expect(lines.map((line) => line.msg)).toEqual(['request']);
  });

  it.each([
    ['absent', undefined],
    ['with spaces', 'not acceptable'],
    ['longer than 128 characters', 'x'.repeat(129)],
    ['with a control character', 'a\tb'],
  ])('makes a fresh uuid when the incoming id is %s', async (_, incoming) => {
    const request = app.request.get('/hello');
    const res = incoming === undefined ? await request : await request.set('X-Request-Id', incoming);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(linesOf(id)).toHaveLength(1);
  });
});
