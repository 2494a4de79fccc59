import type { Context } from 'koa';
import { validAuthority } from '../../src/http/authority';
import { HttpProblem } from '../../src/http/problem';

// Which Host and forwarding header values pass as an RFC 3986 authority;
// test/integration/served-origin.test.ts sends them to every route.
async function run(rawHeaders: string[], trustProxy = false): Promise<unknown> {
  // Node's req.headers: lower-case names, the first of each kept.
  const headers: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) headers[rawHeaders[i].toLowerCase()] ??= rawHeaders[i + 1];
  const ctx = { req: { rawHeaders }, headers } as unknown as Context;
  const reached: string[] = [];
  try {
    await validAuthority(trustProxy)(ctx, () => {
      reached.push('next');
      return Promise.resolve();
    });
  } catch (err) {
    return err;
  }
  return reached[0] ?? 'neither';
}

describe('validAuthority', () => {
  const AUTHORITY = 'must be a host name or IP address with an optional port (an RFC 3986 authority)';
  const refusal = (header: string, message = AUTHORITY) => ({ in: 'header', path: `/${header}`, message });
  const errorsOf = (result: unknown) => (result instanceof HttpProblem ? { status: result.status, errors: result.errors } : result);

  it.each(['a.example', 'a.example:8443', '127.0.0.1:3000', '[::1]:3000', 'xn--zo-qka.example', 'a%2Db.example'])('passes Host %s on', async (host) => {
    expect(await run(['Host', host])).toBe('next');
  });

  it.each(['<script>alert(1)</script>', 'a.example/path', 'a.example:port', 'a b', 'a.example:123456', '', 'user@a.example', 'a.example#x', '[::1'])(
    'refuses Host %j as a 400 naming the header',
    async (host) => {
      expect(errorsOf(await run(['Host', host]))).toEqual({ status: 400, errors: [refusal('Host')] });
    },
  );

  it('reads the forwarding headers only with TRUST_PROXY, and then checks each of their values', async () => {
    const forwarded = [
      'Host',
      'a.example',
      'X-Forwarded-Host',
      'ok.example, <b>',
      'Forwarded',
      'for=1.2.3.4;host="x.example/evil"',
      'X-Forwarded-Proto',
      'javascript',
    ];
    expect(await run(forwarded, false)).toBe('next');
    expect(errorsOf(await run(forwarded, true))).toEqual({
      status: 400,
      errors: [refusal('X-Forwarded-Host'), refusal('Forwarded'), refusal('X-Forwarded-Proto', 'must be http or https')],
    });
    expect(
      await run(
        ['Host', 'a.example', 'X-Forwarded-Host', 'b.example', 'Forwarded', 'for=1.2.3.4;Host="b.example:443";proto=https', 'X-Forwarded-Proto', 'HTTPS'],
        true,
      ),
    ).toBe('next');
  });
});
