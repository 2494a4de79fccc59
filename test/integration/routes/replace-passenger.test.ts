import { expectProblem, useTestApp } from '../../support/test-app';
import { backend } from '../../support/test-database';
import { MISSING_UUID, postPassenger, postTestPassenger } from '../../support/fixtures';
import type { Passenger } from '../../../src/passengers/passenger.table';

// PUT /putpassenger/{uuid}, on a 2kb body limit so the 413 needs no large
// body. With If-Match: conditional-writes.test.ts.
const app = useTestApp({ bodyLimit: '2kb', reset: 'empty' });

describe(`PUT /putpassenger/{uuid} on ${backend}`, () => {
  it("replaces every field without If-Match, as the old service's clients do, and a read returns the new ones", async () => {
    const created = await postPassenger(app.request);
    const changed = { ...postTestPassenger, survived: false, age: null, name: 'Post-Test-Name 2' };
    const replaced = await app.request.put(`/putpassenger/${created.uuid}`).send(changed);
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual({ ...changed, uuid: created.uuid });
    expect((await app.request.get(`/getpassenger/${created.uuid}`)).body).toEqual(replaced.body);
  });

  it('answers 404 for a missing uuid and creates nothing', async () => {
    expectProblem(await app.request.put(`/putpassenger/${MISSING_UUID}`).send(postTestPassenger), 404);
    expect((await app.request.get('/passengerlist')).body).toEqual([]);
  });

  it('rejects an invalid body and leaves the row unchanged', async () => {
    const created = await postPassenger(app.request);
    const res = await app.request.put(`/putpassenger/${created.uuid}`).send({ ...postTestPassenger, fare: -5 });
    expectProblem(res, 400, ['/fare']);
    expect(((await app.request.get(`/getpassenger/${created.uuid}`)).body as Passenger).fare).toBe(postTestPassenger.fare);
  });

  it('answers 415 and 413 like POST', async () => {
    const created = await postPassenger(app.request);
    expectProblem(await app.request.put(`/putpassenger/${created.uuid}`).type('text').send('hi'), 415);
    const big = { ...postTestPassenger, name: 'y'.repeat(4000) };
    expectProblem(await app.request.put(`/putpassenger/${created.uuid}`).send(big), 413);
  });

  it('answers 400 for a malformed uuid', async () => {
    expectProblem(await app.request.put('/putpassenger/xyz').send(postTestPassenger), 400, ['/uuid']);
  });
});
