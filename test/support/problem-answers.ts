import type { Middleware } from 'koa';
import { HttpProblem } from '../../src/http/problem';

// For unit tests of one middleware, in a bare Koa app: an HttpProblem thrown
// below becomes its status, headers, detail and errors (the app's own error
// middleware, tested in error-middleware.test.ts, does more). Each problem is
// also kept in `seen`, when given.
export function answerProblems(seen?: HttpProblem[]): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      seen?.push(err);
      ctx.status = err.status;
      ctx.set(err.headers);
      ctx.body = { detail: err.detail, errors: err.errors };
    }
  };
}
