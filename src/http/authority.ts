import type { Middleware } from 'koa';
import { HttpProblem, type ProblemError } from './problem';
import type { AppState } from './request-context';

// RFC 3986 §3.2 authority as HTTP's Host carries it (RFC 9110 §7.2): an IP
// literal in brackets, or a reg-name of unreserved, percent-encoded and
// sub-delim characters, and an optional port. The origin the service builds
// from it goes into /openapi.json's servers[0], which the /docs page sends
// requests (and the API key typed into it) to, so a Host carrying markup or
// a path must never reach an answer.
const AUTHORITY = /^(?:\[[0-9A-Fa-f:.]+\]|(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+)(?::[0-9]{1,5})?$/;
const PROTOCOLS = new Set(['http', 'https']);
const AUTHORITY_MESSAGE = 'must be a host name or IP address with an optional port (an RFC 3986 authority)';

// The host= parameters of a Forwarded header (RFC 7239), quotes removed.
function forwardedHosts(header: string): string[] {
  const hosts: string[] = [];
  for (const element of header.split(',')) {
    for (const pair of element.split(';')) {
      const [name, ...value] = pair.split('=');
      if (name.trim().toLowerCase() === 'host')
        hosts.push(
          value
            .join('=')
            .trim()
            .replace(/^"(.*)"$/, '$1'),
        );
    }
  }
  return hosts;
}

// Every authority the request names that the service may use: Host always;
// with TRUST_PROXY also X-Forwarded-Host, Forwarded's host= and the scheme of
// X-Forwarded-Proto (Koa's ctx.host and ctx.protocol read them then).
function authorityErrors(headers: Record<string, string | string[] | undefined>, trustProxy: boolean): ProblemError[] {
  const errors: ProblemError[] = [];
  const check = (name: string, values: string[], valid: (value: string) => boolean, message: string) => {
    if (values.some((value) => !valid(value))) errors.push({ in: 'header', path: `/${name}`, message });
  };
  const text = (name: string) => {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(',') : value;
  };
  const host = text('Host');
  if (host !== undefined) check('Host', [host], (value) => AUTHORITY.test(value), AUTHORITY_MESSAGE);
  if (!trustProxy) return errors;
  const list = (value: string | undefined) => (value === undefined ? [] : value.split(',').map((item) => item.trim()));
  check('X-Forwarded-Host', list(text('X-Forwarded-Host')), (value) => AUTHORITY.test(value), AUTHORITY_MESSAGE);
  check('Forwarded', forwardedHosts(text('Forwarded') ?? ''), (value) => AUTHORITY.test(value), AUTHORITY_MESSAGE);
  check('X-Forwarded-Proto', list(text('X-Forwarded-Proto')), (value) => PROTOCOLS.has(value.toLowerCase()), 'must be http or https');
  return errors;
}

// Every authority the request names must be one (see above): a 400 on every
// route otherwise. singletonHeaders has made sure there is one Host.
export function validAuthority(trustProxy: boolean): Middleware<AppState> {
  return async (ctx, next) => {
    const errors = authorityErrors(ctx.headers, trustProxy);
    if (errors.length) throw new HttpProblem(400, 'The request names its server in a form that is not a valid authority.', errors);
    await next();
  };
}
