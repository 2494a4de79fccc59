import type { Document } from 'openapi-backend';
import type { Handlers } from './api';
import { DOCS_HTML, DOCS_SECURITY_HEADERS } from './docs-page';
import { HttpProblem } from './problem';

type OpsHandlers = Pick<Handlers, 'hello' | 'healthz' | 'readyz' | 'getOpenApiDocument' | 'getDocs' | 'getMetrics'>;

interface Readiness {
  // False from the moment shutdown begins, so load balancers stop sending.
  accepting(): boolean;
  ping(): Promise<void>;
  // A failed ping: the outage's one warning (outage.ts).
  unreachable?: (err: unknown) => void;
}

interface Served {
  // PUBLIC_URL: the server the document names, whatever the request says.
  publicUrl?: string;
  // TRUST_PROXY: the request's origin comes from X-Forwarded-Proto/Host.
  trustProxy: boolean;
}

export function opsHandlers(readiness: Readiness, spec: Document, readMetrics: () => Promise<string>, served: Served): OpsHandlers {
  // Without PUBLIC_URL the document depends on the headers its origin is read
  // from, which a cache in front must key on.
  const vary = served.trustProxy ? 'Host, X-Forwarded-Host, X-Forwarded-Proto' : 'Host';
  return {
    hello() {
      return Promise.resolve({ status: 200, body: { message: 'ok' } });
    },
    healthz() {
      return Promise.resolve({ status: 200, body: { status: 'ok' } });
    },
    async readyz() {
      // Retry-After as on every 503: a probe asks again on its own period anyway.
      const retry = { 'Retry-After': '1' };
      if (!readiness.accepting()) throw new HttpProblem(503, 'The server is shutting down.', undefined, retry);
      try {
        await readiness.ping();
      } catch (err) {
        readiness.unreachable?.(err);
        throw new HttpProblem(503, 'The database is not reachable.', undefined, retry);
      }
      return { status: 200, body: { status: 'ok' } };
    },
    // The document names the server it is served from, so a client generated
    // from a deployed /openapi.json calls that deployment, not localhost:
    // PUBLIC_URL, or else the request's origin (validHostHeaders has checked
    // that it is an authority). ctx.protocol and ctx.host follow
    // X-Forwarded-Proto/Host only when TRUST_PROXY is on. (Koa 3's
    // ctx.origin is the Origin request header.)
    getOpenApiDocument({ ctx }) {
      const url = served.publicUrl ?? `${ctx.protocol}://${ctx.host}`;
      const body = { ...(spec as unknown as Record<string, unknown>), servers: [{ url, description: 'This server' }] };
      return Promise.resolve({ status: 200, body, ...(served.publicUrl ? {} : { headers: { Vary: vary } }) });
    },
    getDocs() {
      return Promise.resolve({ status: 200, contentType: 'text/html', body: DOCS_HTML, headers: { ...DOCS_SECURITY_HEADERS } });
    },
    async getMetrics() {
      return { status: 200, contentType: 'text/plain; version=0.0.4', body: await readMetrics() };
    },
  };
}
