import type { Middleware } from 'koa';
import { HttpProblem, PROBLEM_CONTENT_TYPE, type ProblemError } from './problem';
import type { AppState } from './request-context';

// SQLSTATE classes that mean "the database is not there right now", and the
// driver messages node-postgres uses for the same thing before SQLSTATE exists.
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3]|57014)/;
const UNAVAILABLE_MESSAGE = /ECONNREFUSED|ECONNRESET|Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout/i;

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

// PostgreSQL names a column's CHECK constraint <table>_<column>_check; name
// the API field it guards, so a value the spec let through (a database rule
// can be stricter) is still a 400 that says which field.
function checkedField(err: unknown): ProblemError[] | undefined {
  if (typeof err !== 'object' || err === null || !('constraint' in err) || typeof err.constraint !== 'string') return undefined;
  const column = /^passenger_(\w+)_check$/.exec(err.constraint)?.[1];
  if (!column) return undefined;
  const field = column.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase());
  return [{ in: 'body', path: `/${field}`, message: 'breaks a database constraint' }];
}

// JSON pointer to the first own __proto__ key (JSON.parse makes it an own
// property, harmlessly), breadth first like the parser that refused it.
function protoKeyPath(value: unknown): string | undefined {
  let level: Array<[string, unknown]> = [['', value]];
  while (level.length > 0) {
    const next: Array<[string, unknown]> = [];
    for (const [pointer, node] of level) {
      if (typeof node !== 'object' || node === null) continue;
      if (Object.prototype.hasOwnProperty.call(node, '__proto__')) return `${pointer}/__proto__`;
      for (const [key, child] of Object.entries(node)) {
        next.push([`${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, child]);
      }
    }
    level = next;
  }
  return undefined;
}

function httpStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = 'status' in err ? err.status : 'statusCode' in err ? err.statusCode : undefined;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

// Turns anything thrown below into an HttpProblem; unknown errors become 500.
export function toProblem(err: unknown, bodyLimit: string): HttpProblem {
  if (err instanceof HttpProblem) return err;
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === '23505') return new HttpProblem(409, 'A passenger with this uuid already exists.');
  if (code?.startsWith('23') || code?.startsWith('22')) {
    return new HttpProblem(400, 'The data breaks a database constraint.', checkedField(err));
  }
  if ((code && UNAVAILABLE_SQLSTATE.test(code)) || UNAVAILABLE_MESSAGE.test(message)) {
    return new HttpProblem(503, 'The database is not reachable; try again shortly.', undefined, { 'Retry-After': '1' });
  }
  // http-errors thrown by Koa's body parser (co-body / raw-body).
  const status = httpStatus(err);
  if (status === 413) return new HttpProblem(413, `The request body exceeds ${bodyLimit}.`);
  // co-body's parser (@hapi/bourne) refuses __proto__ keys outright, so they
  // never reach validation (or anyone's prototype chain); it keeps the text.
  if (status === 400 && /forbidden prototype property/.test(message)) {
    const text = typeof err === 'object' && err !== null && 'body' in err && typeof err.body === 'string' ? err.body : '{}';
    return new HttpProblem(400, 'The request body contains a __proto__ key.', [
      { in: 'body', path: protoKeyPath(JSON.parse(text)) ?? '', message: 'is not a known property' },
    ]);
  }
  if (status === 400 && /JSON|Unexpected|token/i.test(message)) {
    return new HttpProblem(400, `The request body is not valid JSON: ${message}`, [
      { in: 'body', path: '', message: 'malformed JSON' },
    ]);
  }
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

// Head of the chain: every failure leaves as problem+json. Stack traces and
// SQL go to the log only. `implementedMethods`: the router's, for the 501 detail.
export function errorMiddleware(bodyLimit: string, implementedMethods: readonly string[] = []): Middleware<AppState> {
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
      const problem = toProblem(err, bodyLimit);
      // A 501 is the client's choice of method (PROPFIND, PURGE…), not a fault
      // of ours: the request log line at info level records it.
      if (problem.status >= 500 && problem.status !== 501) ctx.state.log.error({ err }, 'request failed');
      ctx.status = problem.status;
      ctx.set(problem.headers);
      ctx.type = PROBLEM_CONTENT_TYPE;
      ctx.body = problem.toBody(ctx.state.requestId);
    }
  };
}
