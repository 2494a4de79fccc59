import type { Middleware } from 'koa';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PoolStats } from '../db/database';
import type { AppState } from './request-context';

// Requests no route matched share one label value, so a scan of random paths
// cannot create new series.
export const UNMATCHED_OPERATION = 'unmatched';

interface Metrics {
  // Outside the error middleware, so it sees the status actually sent.
  middleware: Middleware<AppState>;
  // The text GET /metrics answers: this process's registry, or in a cluster
  // worker every worker's, gathered by the primary (cluster.ts).
  read: () => Promise<string>;
}

function poolGauge(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

// How GET /metrics reads the app's registry: as it is, or (a cluster worker;
// main.ts passes cluster.ts's reader) with every other worker's.
export type MetricsReader = (registry: Registry) => () => Promise<string>;

const ownRegistry: MetricsReader = (registry) => () => registry.metrics();

// One registry per app (not prom-client's global one), so tests can build
// several apps in one process.
export function createMetrics(poolStats: () => PoolStats, readerFor: MetricsReader = ownRegistry): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to response, by operation.',
    // operationId, never the path: /getpassenger/<uuid> would be a series per passenger.
    labelNames: ['operationId', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  poolGauge(registry, 'db_pool_connections', 'Connections the database pool holds open (idle or in use).', () => poolStats().total);
  poolGauge(registry, 'db_pool_idle_connections', 'Open database connections not in use.', () => poolStats().idle);
  poolGauge(registry, 'db_pool_waiting_requests', 'Queries waiting for a free database connection.', () => poolStats().waiting);

  // One child per series, looked up by a string key: startTimer's closures,
  // its merged labels object and their validation on every request were most
  // of the histogram's cost. Holds one entry per series the histogram has.
  const series = new Map<string, { observe(seconds: number): void }>();
  const middleware: Middleware<AppState> = async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      // @koa/router records the name of the matched route; api.ts names each route by its operationId.
      const operationId = (ctx as { _matchedRouteName?: string })._matchedRouteName ?? UNMATCHED_OPERATION;
      const status = String(ctx.status);
      const key = `${operationId} ${ctx.method} ${status}`;
      let child = series.get(key);
      if (!child) series.set(key, (child = duration.labels(operationId, ctx.method, status)));
      child.observe((performance.now() - started) / 1000);
    }
  };
  return { middleware, read: readerFor(registry) };
}
