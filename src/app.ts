import Koa, { type Middleware } from 'koa';
import type { OpenAPIBackend } from 'openapi-backend';
import type { Logger } from 'pino';
import type { DatabaseHandle } from './db/database';
import { type Handlers, createApiRouter } from './http/api';
import { compression } from './http/compression';
import { cors } from './http/cors';
import { errorMiddleware } from './http/error-middleware';
import { outageReporter } from './http/outage';
import { singletonHeaders } from './http/host-header';
import { validAuthority } from './http/authority';
import { type MetricsReader, createMetrics } from './http/metrics';
import { opsHandlers } from './http/ops.handlers';
import { createOpsRouter } from './http/ops.router';
import { type AppState, requestContext } from './http/request-context';
import { passengerHandlers } from './passengers/passenger.handlers';
import { PASSENGER_CONSTRAINT_FIELDS } from './passengers/passenger.table';

interface AppDependencies {
  api: OpenAPIBackend;
  database: DatabaseHandle;
  logger: Logger;
  bodyLimit: string;
  validateResponses: boolean;
  apiKeys: readonly string[];
  corsOrigins: readonly string[];
  // Koa's app.proxy: take the origin (and client address) from X-Forwarded-*
  // headers. Off unless a proxy in front sets them, else any client could.
  trustProxy: boolean;
  // PUBLIC_URL: what /openapi.json names as its server.
  publicUrl?: string;
  // False once shutdown has begun; /readyz reports it.
  accepting: () => boolean;
  // In a cluster worker, cluster.ts's: GET /metrics answers every worker's sum.
  metricsReader?: MetricsReader;
  // LOG_PROBES: access lines for /healthz, /readyz and /metrics at info (else debug).
  logProbes?: boolean;
}

// The service: its handlers over the database, inside the chain below.
export function createApp(deps: AppDependencies): Koa<AppState> {
  const metrics = createMetrics(deps.database.poolStats, deps.metricsReader);
  const outage = outageReporter(deps.logger, deps.database.ping);
  const unreachable = (err: unknown) => {
    outage.unreachable(err);
  };
  const handlers = {
    ...opsHandlers({ accepting: deps.accepting, ping: deps.database.ping, unreachable }, deps.api.definition, metrics.read, {
      publicUrl: deps.publicUrl,
      trustProxy: deps.trustProxy,
    }),
    ...passengerHandlers(deps.database.db, deps.database.writeDb),
  };
  return createHttpApp({ ...deps, handlers, metrics: metrics.middleware, onDatabaseUnreachable: unreachable });
}

interface HttpAppParts extends Omit<AppDependencies, 'database' | 'metricsReader'> {
  handlers: Handlers;
  metrics: Middleware<AppState>;
  // The service's outage reporter (outage.ts); the mock has no database.
  onDatabaseUnreachable?: (err: unknown) => void;
}

// The whole middleware chain, in order, in one place, around any handlers:
// the service's, or the mock's (scripts/mock.ts), which answer from the spec's
// examples, so the mock refuses a request exactly as the service does. No
// listen() here: tests drive app.callback(), main.ts owns the server.
export function createHttpApp(deps: HttpAppParts): Koa<AppState> {
  const app = new Koa<AppState>();
  app.proxy = deps.trustProxy;
  const router = createApiRouter(deps.api, deps.handlers, {
    bodyLimit: deps.bodyLimit,
    validateResponses: deps.validateResponses,
    apiKeys: deps.apiKeys,
  });
  app.use(requestContext(deps.logger, { logProbes: deps.logProbes ?? false }));
  app.use(async (ctx, next) => {
    await next();
    // Answered before the body was read (413, 415, 401...): the rest of the
    // body would be read as the next request, or never, and the connection
    // hang. Closing it is what lets the client know.
    if (!ctx.req.complete) ctx.set('Connection', 'close');
  });
  app.use(deps.metrics);
  app.use(compression());
  if (deps.corsOrigins.length > 0) app.use(cors(deps.corsOrigins, deps.api.getOperations()));
  app.use(
    errorMiddleware({
      implementedMethods: router.methods,
      constraintFields: PASSENGER_CONSTRAINT_FIELDS,
      onDatabaseUnreachable: deps.onDatabaseUnreachable,
    }),
  );
  app.use(singletonHeaders());
  app.use(validAuthority(deps.trustProxy));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use(createOpsRouter().routes());
  // Only what the error middleware did not catch (a failure above it) reaches
  // here; Koa answers it with a plain 500.
  app.on('error', (err: unknown, ctx?: { state?: Partial<AppState> }) => {
    (ctx?.state?.log ?? deps.logger).error({ err }, 'request failed outside the error middleware');
  });
  return app;
}
