import type { Middleware } from 'koa';
import { HttpProblem } from './problem';
import type { AppState } from './request-context';

// RFC 9112 §3.2: a request with more than one Host header MUST get a 400.
// Node keeps only the first in req.headers, so count them in the raw list.
export function singleHostHeader(): Middleware<AppState> {
  return async (ctx, next) => {
    const raw = ctx.req.rawHeaders;
    let hosts = 0;
    for (let i = 0; i < raw.length; i += 2) if (raw[i].length === 4 && raw[i].toLowerCase() === 'host') hosts++;
    if (hosts > 1) {
      throw new HttpProblem(400, `The request has ${hosts} Host headers; send exactly one.`, [{ in: 'header', path: '/Host', message: 'must appear once' }]);
    }
    await next();
  };
}
