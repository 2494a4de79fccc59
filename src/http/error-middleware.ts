import type { Middleware } from 'koa';
import { HttpProblem, PROBLEM_CONTENT_TYPE, type ProblemError } from './problem';
import type { AppState } from './request-context';

// SQLSTATE classes that mean "the database is not there right now", and the
// driver messages node-postgres uses for the same thing before SQLSTATE exists.
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3]|57014)/;
const UNAVAILABLE_MESSAGE =
  /ECONNREFUSED|ECONNRESET|Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout/i;

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

// The request body field each named database constraint guards, registered
// by the feature that owns the table (app.ts passes them in): a value the
// spec let through (a database rule can be stricter) is still a 400 that says
// which field.
type ConstraintFields = ReadonlyMap<string, string>;

function constrainedField(err: unknown, constraintFields: ConstraintFields): ProblemError[] | undefined {
  if (typeof err !== 'object' || err === null || !('constraint' in err) || typeof err.constraint !== 'string') return undefined;
  const field = constraintFields.get(err.constraint);
  return field === undefined ? undefined : [{ in: 'body', path: `/${field}`, message: 'breaks a database constraint' }];
}

function httpStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = 'status' in err ? err.status : 'statusCode' in err ? err.statusCode : undefined;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

// The database is not there right now (stopped, unreachable, refusing connections).
export function databaseUnreachable(err: unknown): boolean {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return (code !== undefined && UNAVAILABLE_SQLSTATE.test(code)) || UNAVAILABLE_MESSAGE.test(message);
}

// Turns anything thrown below into an HttpProblem; unknown errors become 500.
export function toProblem(err: unknown, constraintFields: ConstraintFields = new Map()): HttpProblem {
  if (err instanceof HttpProblem) return err;
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code?.startsWith('23') || code?.startsWith('22')) {
    return new HttpProblem(400, 'The data breaks a database constraint.', constrainedField(err, constraintFields));
  }
  // lock_timeout: another transaction holds the row; retrying shortly works.
  if (code === '55P03') {
    return new HttpProblem(503, 'Another transaction holds a lock on this data; try again shortly.', undefined, { 'Retry-After': '1' });
  }
  if (databaseUnreachable(err)) {
    return new HttpProblem(503, 'The database is not reachable; try again shortly.', undefined, { 'Retry-After': '1' });
  }
  // http-errors (ctx.throw, Koa itself).
  const status = httpStatus(err);
  if (status && status < 500) return new HttpProblem(status, message);
  return new HttpProblem(500, 'An unexpected error occurred; quote the instance id when reporting it.');
}

// The detail of a routing error: which route is missing, or which methods
// the path allows, or (501) that the method is one this service never
// implements, naming those it does.
function routingDetail(method: string, path: string, status: number, allow: string, implemented: readonly string[]): string {
  if (status === 404) return `No route ${path}.`;
  const allowed = allow ? `${path} allows ${allow}` : `no route matches ${path}`;
  if (status === 405) return `${method} is not allowed on ${path}; it allows ${allow}.`;
  return `${method} is not a method this service implements (it implements ${implemented.join(', ')}); ${allowed}.`;
}

interface ErrorMiddlewareOptions {
  // The router's, for the 501 detail.
  implementedMethods?: readonly string[];
  constraintFields?: ConstraintFields;
  // Told of each request that failed because the database is unreachable
  // (outage.ts logs the transitions); such a failure logs nothing itself.
  onDatabaseUnreachable?: (err: unknown) => void;
}

// Head of the chain: every failure leaves as problem+json. Stack traces and
// SQL go to the log only.
export function errorMiddleware({ implementedMethods = [], constraintFields, onDatabaseUnreachable }: ErrorMiddlewareOptions = {}): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      // Nothing matched (404), the path matched with another method (405), or
      // the method is none the router implements (501); @koa/router's
      // allowedMethods has set Allow for the last two.
      if (ctx.body === undefined && (ctx.status === 404 || ctx.status === 405 || ctx.status === 501)) {
        throw new HttpProblem(ctx.status, routingDetail(ctx.method, ctx.path, ctx.status, ctx.response.get('Allow'), implementedMethods));
      }
    } catch (err) {
      const problem = toProblem(err, constraintFields);
      // A 501 is the client's choice of method (PROPFIND, PURGE…), not a fault
      // of ours: the request log line at info level records it.
      // A 503 of our own (/readyz while shutting down or without its database)
      // is an answer, not a fault: the access line records it.
      if (onDatabaseUnreachable && databaseUnreachable(err)) onDatabaseUnreachable(err);
      else if (problem.status >= 500 && problem.status !== 501 && !(err instanceof HttpProblem && err.status === 503)) {
        ctx.state.log.error({ err }, 'request failed');
      }
      ctx.status = problem.status;
      ctx.set(problem.headers);
      ctx.type = PROBLEM_CONTENT_TYPE;
      ctx.body = problem.toBody(ctx.state.requestId);
    }
  };
}
