import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Operation } from 'openapi-backend';
import { HttpProblem } from './problem';
import type { AppState } from './request-context';

const SECURITY_SCHEME = 'bearerAuth';
const CHALLENGE = 'Bearer realm="passenger-api"';

// Whether the spec lets this operation be called with the bearer scheme (the
// write operations); such operations need a key when the server has keys.
export function acceptsApiKey(operation: Operation): boolean {
  return (operation.security ?? []).some((requirement) => SECURITY_SCHEME in requirement);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

// Compares digests with timingSafeEqual and checks every key without stopping
// at a match, so neither a key's content nor its position leaks through timing.
function isKnownKey(candidate: string, keyDigests: Buffer[]): boolean {
  const candidateDigest = digest(candidate);
  let matched = false;
  for (const keyDigest of keyDigests) matched = timingSafeEqual(candidateDigest, keyDigest) || matched;
  return matched;
}

export function requireApiKey(keys: readonly string[]): Middleware<AppState> {
  const keyDigests = keys.map(digest);
  return async (ctx, next) => {
    const match = /^Bearer +(\S+) *$/i.exec(ctx.get('Authorization'));
    if (!match) {
      throw new HttpProblem(401, 'Writes need an API key; send Authorization: Bearer <key>.', undefined, {
        'WWW-Authenticate': CHALLENGE,
      });
    }
    if (!isKnownKey(match[1], keyDigests)) {
      throw new HttpProblem(401, 'The API key is not valid.', undefined, {
        'WWW-Authenticate': `${CHALLENGE}, error="invalid_token"`,
      });
    }
    await next();
  };
}
