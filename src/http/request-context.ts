import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { accessLogger } from '../logger';

export interface AppState {
  requestId: string;
  // A logger whose lines carry this request's id.
  log: Logger;
}

// Accept a caller's X-Request-Id (from a proxy or client) or make one; echo it.
const ACCEPTABLE_ID = /^[\w.:-]{1,128}$/;

// The child logger is made only when a line other than the access line is
// logged (an error): pino's child() per request was measurable CPU on every
// request, and the access line carries the id as a field, in the same place.
class RequestState implements AppState {
  #log: Logger | undefined;

  constructor(
    readonly requestId: string,
    private readonly logger: Logger,
  ) {}

  get log(): Logger {
    this.#log ??= this.logger.child({ requestId: this.requestId });
    return this.#log;
  }
}

// Probes and scrapes arrive every few seconds and say nothing new: their
// access lines are debug unless LOG_PROBES asks for them at info.
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export function requestContext(logger: Logger, { logProbes = false } = {}): Middleware<AppState> {
  const access = accessLogger(logger);
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    const requestId = ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
    ctx.state = new RequestState(requestId, logger);
    ctx.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 100) / 100 };
      if (logProbes || !PROBE_PATHS.has(ctx.path)) access.info(line, 'request');
      else access.debug(line, 'request');
    }
  };
}
