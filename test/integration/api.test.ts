import { demoPassengers } from '../../src/passengers/demo-passengers';
import { seedDemoIfEmpty } from '../../src/passengers/demo-seed';
import { type LogLine, type TestApp, captureLogger, expectProblem, openTestApp } from '../support/test-app';
import { backend, silentLogger } from '../support/test-database';
import { MISSING_UUID, injectionStrings, postTestPassenger } from '../support/fixtures';

let app: TestApp;
// Every log line of the app, parsed, for the tests that check log levels.
const logLines: LogLine[] = [];
beforeAll(async () => {
  app = await openTestApp({ bodyLimit: '2kb', logger: captureLogger(logLines) });
});
afterAll(async () => app.database.close());
beforeEach(async () => app.database.truncate());

const BRAUND = demoPassengers[0];

async function create(body: object = postTestPassenger) {
  const res = await app.request.post('/postpassenger').send(body);
  expect(res.status).toBe(201);
  return res.body as { uuid: string };
}

describe(`HTTP API on ${backend}`, () => {
  describe('GET /hello', () => {
    it('answers ok', async () => {
      const res = await app.request.get('/hello');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ message: 'ok' });
    });

    it('sends no CORS headers and no Vary: Origin when CORS_ORIGINS is unset, whatever the Origin', async () => {
      const res = await app.request.get('/hello').set('Origin', 'https://passengers.example.org');
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      // Only compression varies the answer here.
      expect(res.headers.vary).toBe('Accept-Encoding');
    });
  });

  describe('the old service README flow', () => {
    it('creates, reads, replaces and deletes a passenger with the documented codes', async () => {
      const created = await app.request.post('/postpassenger').send(postTestPassenger);
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ ...postTestPassenger, uuid: expect.any(String) });
      expect(created.headers.location).toBe(`/getpassenger/${created.body.uuid}`);

      const read = await app.request.get(created.headers.location);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);

      const changed = { ...postTestPassenger, survived: false, age: null, name: 'Post-Test-Name 2' };
      const replaced = await app.request.put(`/putpassenger/${created.body.uuid}`).send(changed);
      expect(replaced.status).toBe(200);
      expect(replaced.body).toEqual({ ...changed, uuid: created.body.uuid });
      expect((await app.request.get(`/getpassenger/${created.body.uuid}`)).body).toEqual(replaced.body);

      const deleted = await app.request.delete(`/deletepassenger/${created.body.uuid}`);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expectProblem(await app.request.get(`/getpassenger/${created.body.uuid}`), 404);
    });
  });

  describe('GET /passengerlist', () => {
    beforeEach(async () => seedDemoIfEmpty(app.database.handle.db, silentLogger));

    it('returns every row ordered by uuid, without a Link header when nothing is left', async () => {
      const res = await app.request.get('/passengerlist');
      expect(res.status).toBe(200);
      expect(res.body.map((p: { uuid: string }) => p.uuid)).toEqual(demoPassengers.map((p) => p.uuid).sort());
      expect(res.headers.link).toBeUndefined();
    });

    it('walks pages through Link rel=next, keeping the filters, with no row twice or missing', async () => {
      const seen: string[] = [];
      let url: string | undefined = '/passengerlist?limit=5&sex=female';
      let pages = 0;
      while (url) {
        const res = await app.request.get(url);
        expect(res.status).toBe(200);
        for (const p of res.body) {
          expect(p.sex).toBe('female');
          seen.push(p.uuid);
        }
        url = /<([^>]+)>; rel="next"/.exec(res.headers.link ?? '')?.[1];
        pages += 1;
      }
      const females = demoPassengers.filter((p) => p.input.sex === 'female').map((p) => p.uuid).sort();
      expect(seen).toEqual(females);
      expect(pages).toBe(Math.ceil(females.length / 5));
    });

    it('sends a Link header only when another row exists', async () => {
      const exact = await app.request.get(`/passengerlist?limit=${demoPassengers.length}`);
      expect(exact.body).toHaveLength(demoPassengers.length);
      expect(exact.headers.link).toBeUndefined();
      const short = await app.request.get(`/passengerlist?limit=${demoPassengers.length - 1}`);
      expect(short.headers.link).toContain('rel="next"');
    });

    it('filters by survived, passengerClass and sex together', async () => {
      const res = await app.request.get('/passengerlist?survived=true&passengerClass=1&sex=female');
      const expected = demoPassengers
        .filter((p) => p.input.survived && p.input.passengerClass === 1 && p.input.sex === 'female')
        .map((p) => p.uuid)
        .sort();
      expect(expected.length).toBeGreaterThan(0);
      expect(res.body.map((p: { uuid: string }) => p.uuid)).toEqual(expected);
    });

    it('applies the spec default limit of 1000', async () => {
      await app.database.truncate();
      const rows = Array.from({ length: 1001 }, (_, i) => ({ ...postTestPassenger, name: `Passenger ${i}` }));
      const { createPassenger } = await import('../../src/passengers/passenger.repository');
      for (const row of rows) await createPassenger(app.database.handle.db, row);
      const res = await app.request.get('/passengerlist');
      expect(res.body).toHaveLength(1000);
      expect(res.headers.link).toContain('rel="next"');
    });

    it.each([
      ['limit=0', '/limit'],
      ['limit=1001', '/limit'],
      ['limit=abc', '/limit'],
      ['after=not-a-uuid', '/after'],
      ['passengerClass=4', '/passengerClass'],
      ['sex=other', '/sex'],
      ['survived=maybe', '/survived'],
    ])('rejects %s with 400 naming the parameter', async (query, field) => {
      const res = await app.request.get(`/passengerlist?${query}`);
      expectProblem(res, 400, [field]);
      expect(res.body.errors[0].in).toBe('query');
    });
  });

  describe('GET /getpassenger/{uuid}', () => {
    it('returns the stored passenger', async () => {
      await seedDemoIfEmpty(app.database.handle.db, silentLogger);
      const res = await app.request.get(`/getpassenger/${BRAUND.uuid}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ uuid: BRAUND.uuid, ...BRAUND.input });
    });

    it('answers 404 problem+json, never 200 null, for a missing uuid', async () => {
      const res = await app.request.get(`/getpassenger/${MISSING_UUID}`);
      expectProblem(res, 404);
      expect(res.body.detail).toContain(MISSING_UUID);
    });

    it('answers 400 naming the path parameter for a malformed uuid', async () => {
      const res = await app.request.get('/getpassenger/12345');
      expectProblem(res, 400, ['/uuid']);
      expect(res.body.errors[0].in).toBe('path');
    });
  });

  describe('POST /postpassenger', () => {
    it('rejects a body that breaks the schema, naming every bad field, and stores nothing', async () => {
      const res = await app.request
        .post('/postpassenger')
        .send({ ...postTestPassenger, passengerClass: 4, sex: 'x', age: -1, name: '', uuid: MISSING_UUID });
      expectProblem(res, 400, ['/passengerClass', '/sex', '/age', '/name', '/uuid']);
      expect((await app.request.get('/passengerlist')).body).toEqual([]);
    });

    it('rejects a body with a missing field', async () => {
      const { fare: _fare, ...withoutFare } = postTestPassenger;
      expectProblem(await app.request.post('/postpassenger').send(withoutFare), 400, ['/fare']);
    });

    it('rejects a blank name', async () => {
      expectProblem(await app.request.post('/postpassenger').send({ ...postTestPassenger, name: '   ' }), 400, ['/name']);
    });

    it('rejects a name over 150 characters', async () => {
      const res = await app.request.post('/postpassenger').send({ ...postTestPassenger, name: 'x'.repeat(151) });
      expectProblem(res, 400, ['/name']);
    });

    it('answers 400 for malformed JSON', async () => {
      const res = await app.request.post('/postpassenger').set('Content-Type', 'application/json').send('{"survived": tru');
      expectProblem(res, 400);
      expect(res.body.detail).toMatch(/not valid JSON/);
    });

    it('answers 415 for a body that is not JSON', async () => {
      const res = await app.request.post('/postpassenger').type('form').send('name=x');
      expectProblem(res, 415);
    });

    it('answers 413 for a body over the limit', async () => {
      const res = await app.request.post('/postpassenger').send({ ...postTestPassenger, name: 'x'.repeat(4000) });
      expectProblem(res, 413);
    });

    it('keeps SQL injection strings in names as literal data', async () => {
      for (const name of injectionStrings) {
        const created = await create({ ...postTestPassenger, name });
        const read = await app.request.get(`/getpassenger/${created.uuid}`);
        expect(read.body.name).toBe(name);
      }
      expect((await app.request.get('/passengerlist')).body).toHaveLength(injectionStrings.length);
    });

    it('keeps unicode names exactly', async () => {
      const name = 'Zoë Ølsen 张伟 👩‍🚀';
      const created = await create({ ...postTestPassenger, name });
      expect((await app.request.get(`/getpassenger/${created.uuid}`)).body.name).toBe(name);
    });
  });

  describe('PUT /putpassenger/{uuid}', () => {
    it('answers 404 for a missing uuid and creates nothing', async () => {
      expectProblem(await app.request.put(`/putpassenger/${MISSING_UUID}`).send(postTestPassenger), 404);
      expect((await app.request.get('/passengerlist')).body).toEqual([]);
    });

    it('rejects an invalid body and leaves the row unchanged', async () => {
      const created = await create();
      const res = await app.request.put(`/putpassenger/${created.uuid}`).send({ ...postTestPassenger, fare: -5 });
      expectProblem(res, 400, ['/fare']);
      expect((await app.request.get(`/getpassenger/${created.uuid}`)).body.fare).toBe(postTestPassenger.fare);
    });

    it('answers 415 and 413 like POST', async () => {
      const created = await create();
      expectProblem(await app.request.put(`/putpassenger/${created.uuid}`).type('text').send('hi'), 415);
      const big = { ...postTestPassenger, name: 'y'.repeat(4000) };
      expectProblem(await app.request.put(`/putpassenger/${created.uuid}`).send(big), 413);
    });

    it('answers 400 for a malformed uuid', async () => {
      expectProblem(await app.request.put('/putpassenger/xyz').send(postTestPassenger), 400, ['/uuid']);
    });
  });

  describe('DELETE /deletepassenger/{uuid}', () => {
    it('deletes only the named row', async () => {
      const keep = await create();
      const gone = await create();
      expect((await app.request.delete(`/deletepassenger/${gone.uuid}`)).status).toBe(204);
      const list = await app.request.get('/passengerlist');
      expect(list.body.map((p: { uuid: string }) => p.uuid)).toEqual([keep.uuid]);
    });

    it('answers 404 for a missing uuid, and a second delete is 404', async () => {
      const created = await create();
      expect((await app.request.delete(`/deletepassenger/${created.uuid}`)).status).toBe(204);
      expectProblem(await app.request.delete(`/deletepassenger/${created.uuid}`), 404);
    });

    it.each(injectionStrings)('answers 400 for the path parameter %p and deletes nothing', async (attack) => {
      await create();
      expectProblem(await app.request.delete(`/deletepassenger/${encodeURIComponent(attack)}`), 400);
      expect((await app.request.get('/passengerlist')).body).toHaveLength(1);
    });
  });

  describe('routing errors', () => {
    it('answers 404 problem+json for an unknown path', async () => {
      expectProblem(await app.request.get('/no/such/route'), 404);
    });

    it('answers 405 with Allow for a known path with a wrong method', async () => {
      const res = await app.request.post('/hello');
      expectProblem(res, 405);
      expect(res.headers.allow).toContain('GET');
    });

    it.each([
      ['/hello', 'PROPFIND', /^PROPFIND is not a method this service implements \(it implements .*PATCH.*\); \/hello allows HEAD, GET\.$/],
      ['/nowhere', 'PURGE', /^PURGE is not a method this service implements \(it implements .*GET.*\); no route matches \/nowhere\.$/],
    ])('answers 501 problem+json naming what is implemented for %s %s, logged at info', async (path, method, detail) => {
      logLines.length = 0;
      const res = await app.request[method.toLowerCase() as 'get'](path);
      expectProblem(res, 501);
      expect(res.body.detail).toMatch(detail);
      expect(logLines.filter((line) => line.level >= 40)).toEqual([]);
      expect(logLines).toContainEqual(expect.objectContaining({ level: 30, msg: 'request', method, status: 501 }));
    });

    it('keeps answering OPTIONS with Allow and HEAD without a body', async () => {
      const options = await app.request.options('/patchpassenger/1b2c3d4e-0000-4000-8000-000000000001');
      expect(options.status).toBe(200);
      expect(options.headers.allow).toBe('PATCH');
      const head = await app.request.head('/hello');
      expect(head.status).toBe(200);
      expect(head.text).toBeUndefined();
      expect(head.headers['content-type']).toMatch(/^application\/json/);
    });

    it('echoes a caller X-Request-Id and puts it in problem.instance', async () => {
      const res = await app.request.get('/nowhere').set('X-Request-Id', 'trace-abc-123');
      expect(res.headers['x-request-id']).toBe('trace-abc-123');
      expect(res.body.instance).toBe('trace-abc-123');
    });
  });

  describe('ops routes', () => {
    it('/healthz answers without the database and /readyz checks it', async () => {
      expect((await app.request.get('/healthz')).body).toEqual({ status: 'ok' });
      expect((await app.request.get('/readyz')).status).toBe(200);
    });

    it('/readyz answers 503 once shutdown has begun, with Connection: close', async () => {
      app.setAccepting(false);
      try {
        const res = await app.request.get('/readyz');
        expectProblem(res, 503);
        expect(res.headers.connection).toBe('close');
      } finally {
        app.setAccepting(true);
      }
    });

    it('/openapi.json serves the contract', async () => {
      const res = await app.request.get('/openapi.json');
      expect(res.status).toBe(200);
      expect(res.body.openapi).toBe('3.0.3');
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining(['/hello', '/passengerlist', '/getpassenger/{uuid}', '/postpassenger', '/putpassenger/{uuid}', '/deletepassenger/{uuid}']),
      );
    });
  });
});
