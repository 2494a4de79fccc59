import type { Middleware } from 'koa';
import { HttpProblem } from './problem';
import type { AppState } from './request-context';

// Headers a request may carry once. Two Host headers MUST get a 400 (RFC 9112
// §3.2); two Content-Type or Authorization headers are the same ambiguity
// (which one did a proxy in front act on?), so they are refused too. Node
// keeps only the first of each in req.headers, so count them in the raw list.
const SINGLETONS = new Map(['Host', 'Content-Type', 'Authorization'].map((name) => [name.toLowerCase(), name]));

export function singletonHeaders(): Middleware<AppState> {
  return async (ctx, next) => {
    const raw = ctx.req.rawHeaders;
    const counts = new Map<string, number>();
    for (let i = 0; i < raw.length; i += 2) {
      const name = SINGLETONS.get(raw[i].toLowerCase());
      if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    for (const [name, count] of counts) {
      if (count > 1) {
        throw new HttpProblem(400, `The request has ${count} ${name} headers; send exactly one.`, [
          { in: 'header', path: `/${name}`, message: 'must appear once' },
        ]);
      }
    }
    await next();
  };
}
