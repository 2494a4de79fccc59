import { expectProblem, useTestApp } from '../support/test-app';
import { backend } from '../support/test-database';
import { MISSING_UUID, postPassenger, postTestPassenger } from '../support/fixtures';
import type { Passenger } from '../../src/passengers/passenger.table';

const app = useTestApp({ reset: 'empty' });

const renamed = { ...postTestPassenger, name: 'Renamed' };

describe(`ETag and If-Match on ${backend}`, () => {
  it('gives every Passenger response an ETag that changes with each write', async () => {
    const { uuid, etag } = await postPassenger(app.request);
    expect(etag).toBe('"1"');
    expect((await app.request.get(`/getpassenger/${uuid}`)).headers.etag).toBe('"1"');
    const put = await app.request.put(`/putpassenger/${uuid}`).send(renamed);
    expect(put.status).toBe(200);
    expect(put.headers.etag).toBe('"2"');
    expect((await app.request.get(`/getpassenger/${uuid}`)).headers.etag).toBe('"2"');
  });

  it('replaces when If-Match names the current version', async () => {
    const { uuid, etag } = await postPassenger(app.request);
    const res = await app.request.put(`/putpassenger/${uuid}`).set('If-Match', etag).send(renamed);
    expect(res.status).toBe(200);
    expect((res.body as Passenger).name).toBe('Renamed');
  });

  it('answers 412 with the current ETag on a stale If-Match and writes nothing', async () => {
    const { uuid, etag } = await postPassenger(app.request);
    await app.request.put(`/putpassenger/${uuid}`).send(renamed).expect(200);
    const stale = await app.request.put(`/putpassenger/${uuid}`).set('If-Match', etag).send(postTestPassenger);
    expectProblem(stale, 412);
    expect(stale.headers.etag).toBe('"2"');
    expect(((await app.request.get(`/getpassenger/${uuid}`)).body as Passenger).name).toBe('Renamed');
    expectProblem(await app.request.delete(`/deletepassenger/${uuid}`).set('If-Match', etag), 412);
    expect((await app.request.get(`/getpassenger/${uuid}`)).status).toBe(200);
  });

  it.each(['W/"1"', '"abc"', 'garbage', '"0"'])('never matches the If-Match %s (strong comparison only)', async (tag) => {
    const { uuid } = await postPassenger(app.request);
    expectProblem(await app.request.put(`/putpassenger/${uuid}`).set('If-Match', tag).send(renamed), 412);
  });

  it('accepts * and a list that contains the current tag', async () => {
    const { uuid } = await postPassenger(app.request);
    await app.request.put(`/putpassenger/${uuid}`).set('If-Match', '*').send(renamed).expect(200);
    await app.request.put(`/putpassenger/${uuid}`).set('If-Match', '"1", "2"').send(renamed).expect(200);
  });

  it('deletes with the current tag, and answers 404 (not 412) for a missing passenger', async () => {
    const { uuid, etag } = await postPassenger(app.request);
    expect((await app.request.delete(`/deletepassenger/${uuid}`).set('If-Match', etag)).status).toBe(204);
    expectProblem(await app.request.delete(`/deletepassenger/${uuid}`).set('If-Match', etag), 404);
    expectProblem(await app.request.put(`/putpassenger/${MISSING_UUID}`).set('If-Match', '"1"').send(renamed), 404);
  });
});
