import type { Document } from 'openapi-backend';
import { expectProblem, specOperations, useTestApp } from '../support/test-app';
import { backend } from '../support/test-database';

// A Host (or, behind a trusted proxy, a forwarding header) that is not an
// RFC 3986 authority is refused on every route and never comes back in an
// answer (issue 25: a Host carrying <script> reached /openapi.json's
// servers[0], which a cache could serve to the /docs page). PUBLIC_URL, when
// set, is servers[0] whatever the request says.
const direct = useTestApp();
const behindProxy = useTestApp({ trustProxy: true, databaseOf: direct });
const published = useTestApp({ publicUrl: 'https://passengers.example.org/api', trustProxy: true, databaseOf: direct });

const HOSTILE = 'a.example/<script>alert(1)</script>';
const example = (path: string) => path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');

describe(`the served origin on ${backend}`, () => {
  it.each(specOperations.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))(
    '%s: a Host that is no authority is a 400 naming it, echoed nowhere',
    async (_, operation) => {
      const request = direct.request[operation.method.toLowerCase() as 'get'](example(operation.path));
      const res = await request.set('Host', HOSTILE);
      expectProblem(res, 400, ['/Host']);
      expect(JSON.stringify(res.headers) + res.text).not.toContain('<script>');
    },
  );

  it('behind a trusted proxy, a forwarding header that is no authority is a 400 too', async () => {
    for (const [header, value] of [
      ['X-Forwarded-Host', HOSTILE],
      ['Forwarded', `host="${HOSTILE}"`],
      ['X-Forwarded-Proto', 'javascript'],
    ]) {
      const res = await behindProxy.request.get('/openapi.json').set(header, value);
      expectProblem(res, 400, [`/${header}`]);
      expect(res.text).not.toContain('<script>');
    }
    // Without TRUST_PROXY the service never reads them.
    expect((await direct.request.get('/openapi.json').set('X-Forwarded-Host', HOSTILE)).status).toBe(200);
  });

  it('names the request origin as servers[0] with Vary: Host when there is no PUBLIC_URL', async () => {
    const res = await direct.request.get('/openapi.json').set('Host', 'api.internal:8080');
    expect((res.body as Document).servers).toEqual([{ url: 'http://api.internal:8080', description: 'This server' }]);
    expect(res.headers.vary.split(/, */)).toContain('Host');
    const proxied = await behindProxy.request.get('/openapi.json').set('X-Forwarded-Host', 'passengers.example.org');
    expect(proxied.headers.vary.split(/, */)).toEqual(expect.arrayContaining(['Host', 'X-Forwarded-Host', 'X-Forwarded-Proto']));
  });

  it('names PUBLIC_URL as servers[0] whatever Host and X-Forwarded-Host say, and then varies on neither', async () => {
    const res = await published.request.get('/openapi.json').set('Host', 'api.internal:8080').set('X-Forwarded-Host', 'elsewhere.example');
    expect((res.body as Document).servers).toEqual([{ url: 'https://passengers.example.org/api', description: 'This server' }]);
    expect(res.headers).not.toHaveProperty('vary', expect.stringContaining('Host'));
  });
});
