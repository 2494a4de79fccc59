import { expectProblem, specOperations, useTestApp } from '../support/test-app';
import { backend } from '../support/test-database';
import { postTestPassenger } from '../support/fixtures';
import type { Passenger } from '../../src/passengers/passenger.table';
import type { Problem } from '../../src/http/problem';

const KEY = 'k-0123456789abcdef-first';
const OTHER_KEY = 'k-0123456789abcdef-second';
const ORIGIN = 'https://passengers.example.org';

const app = useTestApp({ apiKeys: [KEY, OTHER_KEY], corsOrigins: [ORIGIN], reset: 'empty' });
// The same database without API_KEYS or CORS_ORIGINS.
const unconfigured = useTestApp({ databaseOf: app });

function expectChallenge(res: { headers: Record<string, string> }): void {
  expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="passenger-api"/);
}

describe(`write auth with API_KEYS on ${backend}`, () => {
  it('answers 401 problem+json with WWW-Authenticate to a write without a key, and stores nothing', async () => {
    const res = await app.request.post('/postpassenger').send(postTestPassenger);
    expectProblem(res, 401);
    expectChallenge(res);
    expect((await app.request.get('/passengerlist')).body).toEqual([]);
  });

  it.each([`Bearer ${KEY}x`, `Bearer ${KEY.slice(0, -1)}`, `Basic ${KEY}`, KEY, 'Bearer ', `xBearer ${KEY}`, `Bearer ${KEY} ${KEY}`])(
    'refuses the Authorization header %j',
    async (authorization) => {
      const res = await app.request.post('/postpassenger').set('Authorization', authorization).send(postTestPassenger);
      expectProblem(res, 401);
      expectChallenge(res);
    },
  );

  it('says what to send when the key is missing, and that it is wrong when it is wrong', async () => {
    const missing = await app.request.post('/postpassenger').send(postTestPassenger);
    expectProblem(missing, 401);
    expect((missing.body as Problem).detail).toBe('Writes need an API key; send Authorization: Bearer <key>.');
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="passenger-api"');
    const wrong = await app.request.post('/postpassenger').set('Authorization', `Bearer ${KEY}x`).send(postTestPassenger);
    expectProblem(wrong, 401);
    expect((wrong.body as Problem).detail).toBe('The API key is not valid.');
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="passenger-api", error="invalid_token"');
  });

  // RFC 6750: credentials = "Bearer" 1*SP b64token.
  it('accepts the key after more than one space', async () => {
    const res = await app.request.post('/postpassenger').set('Authorization', `Bearer   ${KEY}`).send(postTestPassenger);
    expect(res.status).toBe(201);
  });

  it('accepts every configured key on POST, PUT and DELETE; reads stay public', async () => {
    const created = await app.request.post('/postpassenger').set('Authorization', `Bearer ${KEY}`).send(postTestPassenger);
    expect(created.status).toBe(201);
    const uuid = (created.body as Passenger).uuid;
    expect((await app.request.get(`/getpassenger/${uuid}`)).status).toBe(200);
    expect((await app.request.get('/passengerlist')).status).toBe(200);
    expectProblem(await app.request.put(`/putpassenger/${uuid}`).send(postTestPassenger), 401);
    expectProblem(await app.request.delete(`/deletepassenger/${uuid}`), 401);
    const put = await app.request.put(`/putpassenger/${uuid}`).set('Authorization', `bearer ${OTHER_KEY}`).send(postTestPassenger);
    expect(put.status).toBe(200);
    expect((await app.request.delete(`/deletepassenger/${uuid}`).set('Authorization', `Bearer ${KEY}`)).status).toBe(204);
  });

  it('needs a key for PATCH too, checked before the media type', async () => {
    const created = await app.request.post('/postpassenger').set('Authorization', `Bearer ${KEY}`).send(postTestPassenger);
    const path = `/patchpassenger/${(created.body as Passenger).uuid}`;
    expectChallenge(await app.request.patch(path).type('application/merge-patch+json').send('{"fare":1}'));
    expectProblem(await app.request.patch(path).type('text/plain').send('x'), 401);
    const patched = await app.request.patch(path).set('Authorization', `Bearer ${KEY}`).type('application/merge-patch+json').send('{"fare":1}');
    expect(patched.status).toBe(200);
  });

  it('checks the key before reading the body', async () => {
    const res = await app.request.post('/postpassenger').set('Content-Type', 'text/plain').send('not json');
    expectProblem(res, 401);
  });
});

describe(`CORS with CORS_ORIGINS on ${backend}`, () => {
  // A browser's preflight from ORIGIN for `method` on `path`, asking for `headers`.
  function preflight(path: string, method: string, headers: string[]) {
    return app.request
      .options(path)
      .set('Origin', ORIGIN)
      .set('Access-Control-Request-Method', method)
      .set('Access-Control-Request-Headers', headers.join(', ').toLowerCase());
  }

  function commaList(value: string | undefined): string[] {
    return (value ?? '').split(',').map((item) => item.trim().toLowerCase());
  }

  // Every (path, method) the spec declares, read from the spec itself, with
  // HEAD wherever GET is (Koa serves it from the GET route).
  const specRequests = specOperations.flatMap(({ method, path, headers }) => {
    const request = { method, path, url: path.replace(/\{\w+\}/g, '1b2c3d4e-0000-4000-8000-000000000001'), headers };
    return method === 'GET' ? [request, { ...request, method: 'HEAD' }] : [request];
  });

  it.each(specRequests)('allows $method $path from an allowed origin, with the request headers it reads', async ({ method, url, headers }) => {
    const res = await preflight(url, method, headers);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(commaList(res.headers['access-control-allow-methods'])).toContain(method.toLowerCase());
    const allowedHeaders = commaList(res.headers['access-control-allow-headers']);
    for (const header of headers) expect(allowedHeaders).toContain(header.toLowerCase());
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers.vary).toMatch(/Origin/);
  });

  it('exposes Accept-Patch on a refused PATCH, so a script can read which format to send', async () => {
    const refused = await app.request
      .patch('/patchpassenger/1b2c3d4e-0000-4000-8000-000000000001')
      .set('Origin', ORIGIN)
      .set('Authorization', `Bearer ${KEY}`)
      .type('application/json')
      .send('{}');
    expectProblem(refused, 415);
    expect(refused.headers['access-control-expose-headers']).toContain('Accept-Patch');
  });

  it('lets an allowed origin read the answer and its ETag, Location and request id, errors included', async () => {
    const created = await app.request.post('/postpassenger').set('Origin', ORIGIN).set('Authorization', `Bearer ${KEY}`).send(postTestPassenger);
    expect(created.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(created.headers['access-control-expose-headers']).toMatch(/ETag.*Location.*X-Request-Id/);
    const refused = await app.request.post('/postpassenger').set('Origin', ORIGIN).send(postTestPassenger);
    expectProblem(refused, 401);
    expect(refused.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it('sends no CORS headers and no Vary: Origin when CORS_ORIGINS is unset, whatever the Origin', async () => {
    const res = await unconfigured.request.get('/hello').set('Origin', ORIGIN);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    // Only compression varies the answer here.
    expect(res.headers.vary).toBe('Accept-Encoding');
  });

  it('gives any other origin no CORS headers, on preflight or request', async () => {
    const preflight = await app.request.options('/postpassenger').set('Origin', 'https://evil.example.com').set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    const read = await app.request.get('/passengerlist').set('Origin', `${ORIGIN}.evil.com`);
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });
});
