import { expectProblem, useTestApp } from '../../support/test-app';
import { backend } from '../../support/test-database';
import { MISSING_UUID, injectionStrings, postPassenger, postTestPassenger } from '../../support/fixtures';
import type { Passenger } from '../../../src/passengers/passenger.table';
import type { Problem } from '../../../src/http/problem';

// POST /postpassenger, on a 2kb body limit so the 413 needs no large body.
const app = useTestApp({ bodyLimit: '2kb', reset: 'empty' });

describe(`POST /postpassenger on ${backend}`, () => {
  it('answers 201 with the stored passenger and its Location, where it reads back the same', async () => {
    const created = await app.request.post('/postpassenger').send(postTestPassenger);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ ...postTestPassenger, uuid: expect.any(String) as string });
    expect(created.headers.location).toBe(`/getpassenger/${(created.body as Passenger).uuid}`);
    const read = await app.request.get(created.headers.location);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('rejects a body that breaks the schema, naming every bad field, and stores nothing', async () => {
    const res = await app.request.post('/postpassenger').send({ ...postTestPassenger, passengerClass: 4, sex: 'x', age: -1, name: '', uuid: MISSING_UUID });
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
    expect((res.body as Problem).detail).toMatch(/not valid JSON/);
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
      const created = await postPassenger(app.request, { ...postTestPassenger, name });
      const read = await app.request.get(`/getpassenger/${created.uuid}`);
      expect((read.body as Passenger).name).toBe(name);
    }
    expect((await app.request.get('/passengerlist')).body).toHaveLength(injectionStrings.length);
  });

  it('keeps unicode names exactly', async () => {
    const name = 'Zoë Ølsen 张伟 👩‍🚀';
    const created = await postPassenger(app.request, { ...postTestPassenger, name });
    expect(((await app.request.get(`/getpassenger/${created.uuid}`)).body as Passenger).name).toBe(name);
  });
});
