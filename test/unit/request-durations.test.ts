import Koa from 'koa';
import supertest from 'supertest';
import { createMetrics } from '../../src/http/metrics';
import { type AppState, requestContext } from '../../src/http/request-context';
import { type LogLine, captureLogger } from '../support/test-app';

// The time a request took, as the access log line and the duration histogram
// record it: within what the caller measured, in the unit each names.
const HANDLER_MS = 40;

function appWith(...middleware: Koa.Middleware<AppState>[]) {
  const app = new Koa<AppState>();
  for (const each of middleware) app.use(each);
  app.use(async (ctx) => {
    await new Promise((resolve) => setTimeout(resolve, HANDLER_MS));
    ctx.body = { ok: true };
  });
  return supertest(app.callback());
}

// The caller's own measure of one request, in milliseconds.
async function timed(request: () => Promise<unknown>): Promise<number> {
  const began = performance.now();
  await request();
  return performance.now() - began;
}

describe('request durations', () => {
  it('logs ms as milliseconds, rounded to hundredths, no more than the caller waited', async () => {
    const lines: LogLine[] = [];
    const app = appWith(requestContext(captureLogger(lines)));
    const waited = await timed(() => app.get('/'));
    const { ms } = lines.find((line) => line.msg === 'request') as LogLine & { ms: number };
    expect(ms).toBeGreaterThanOrEqual(HANDLER_MS - 1);
    expect(ms).toBeLessThanOrEqual(waited);
    expect(Math.round(ms * 100) / 100).toBe(ms);
    expect(String(ms)).toMatch(/^\d+(\.\d{1,2})?$/);
  });

  it('observes seconds in http_request_duration_seconds, in its own registry with its own buckets', async () => {
    const metrics = createMetrics(() => ({ total: 1, idle: 1, waiting: 0 }));
    const app = appWith(metrics.middleware);
    const waited = await timed(() => app.get('/'));
    const text = await metrics.read();
    const sum = Number(/^http_request_duration_seconds_sum\{[^}]*\} (\S+)$/m.exec(text)?.[1]);
    expect(sum).toBeGreaterThanOrEqual((HANDLER_MS - 1) / 1000);
    expect(sum).toBeLessThanOrEqual(waited / 1000);
    // The 2.5 ms bucket is ours (prom-client's defaults have none), and the
    // process metrics are in this registry, not prom-client's global one.
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="0.0025",/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });
});
