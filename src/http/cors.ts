import koaCors from '@koa/cors';
import type { Middleware } from 'koa';
import type { Operation } from 'openapi-backend';
import type { AppState } from './request-context';

// Request headers a client of this API sends: the key, the body's media type,
// the conditional-request tags, and its own request id.
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'X-Request-Id'];
// Response headers a browser script may read besides the CORS-safelisted ones.
const EXPOSED_HEADERS = ['Accept-Patch', 'Accept-Post', 'ETag', 'Link', 'Location', 'Retry-After', 'WWW-Authenticate', 'X-Request-Id'];
const PREFLIGHT_MAX_AGE_SECONDS = 600;

// The methods the spec's operations use, and HEAD wherever GET is (Koa answers
// HEAD from the GET route): a new operation is allowed without touching CORS.
export function corsMethods(operations: readonly Pick<Operation, 'method'>[]): string[] {
  const methods = new Set(operations.map((operation) => operation.method.toUpperCase()));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

// An exact-match origin allow-list and no credentials (API keys travel in
// Authorization, not cookies). app.ts mounts it only when origins are
// configured: otherwise every answer is the same whatever the Origin, and
// the Vary: Origin it would add is work on every request for nothing (its
// measured cost: bench/results/README.md).
export function cors(allowedOrigins: readonly string[], operations: readonly Pick<Operation, 'method'>[]): Middleware<AppState> {
  const allowed = new Set(allowedOrigins);
  return koaCors({
    // An origin not on the list gets no CORS headers (the browser then refuses
    // the answer); the Vary: Origin that @koa/cors always sets stays, since
    // answers differ by Origin.
    origin: (ctx) => {
      const origin = ctx.get('Origin');
      return allowed.has(origin) ? origin : '';
    },
    allowMethods: corsMethods(operations),
    allowHeaders: ALLOWED_HEADERS,
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  });
}
