import type { Context } from 'koa';
import { singletonHeaders } from '../../src/http/host-header';
import { HttpProblem } from '../../src/http/problem';

// How the middleware counts Host headers in Node's raw list (name, value,
// name, value, ...); test/integration/request-headers-and-errors.test.ts
// sends two over a socket.
async function run(rawHeaders: string[]): Promise<unknown> {
  const ctx = { req: { rawHeaders } } as unknown as Context;
  const reached: string[] = [];
  try {
    await singletonHeaders()(ctx, () => {
      reached.push('next');
      return Promise.resolve();
    });
  } catch (err) {
    return err;
  }
  return reached[0] ?? 'neither';
}

describe('singletonHeaders', () => {
  it('refuses a second Host header in any case, naming the header and the count', async () => {
    const refused = await run(['Host', 'a.example', 'Accept', '*/*', 'HOST', 'b.example', 'host', 'c.example']);
    expect(refused).toBeInstanceOf(HttpProblem);
    const { status, detail, errors } = refused as HttpProblem;
    expect({ status, detail, errors }).toEqual({
      status: 400,
      detail: 'The request has 3 Host headers; send exactly one.',
      errors: [{ in: 'header', path: '/Host', message: 'must appear once' }],
    });
  });

  it('passes one Host header on, whatever other four-letter headers come with it', async () => {
    expect(await run(['Host', 'a.example', 'From', 'a@example.com', 'Date', 'Tue, 01 Dec 2026 00:00:00 GMT', 'Link', '</>'])).toBe('next');
  });

  it.each(['Content-Type', 'Authorization'])('refuses a second %s header, and passes one on', async (name) => {
    const refused = await run(['Host', 'a.example', name, 'one', name.toUpperCase(), 'two']);
    expect(refused).toBeInstanceOf(HttpProblem);
    expect((refused as HttpProblem).errors).toEqual([{ in: 'header', path: `/${name}`, message: 'must appear once' }]);
    expect(await run(['Host', 'a.example', name, 'one'])).toBe('next');
  });

  it('does not take a header value for a name', async () => {
    expect(await run(['Host', 'a.example', 'X-Forwarded-Host', 'host'])).toBe('next');
  });
});
