import { expectProblem, useTestApp } from '../../support/test-app';
import { backend } from '../../support/test-database';
import { injectionStrings, postPassenger } from '../../support/fixtures';
import type { Passenger } from '../../../src/passengers/passenger.table';

// DELETE /deletepassenger/{uuid}. With If-Match: conditional-writes.test.ts.
const app = useTestApp({ reset: 'empty' });

describe(`DELETE /deletepassenger/{uuid} on ${backend}`, () => {
  it('deletes only the named row, answering 204 with no body; the row then reads 404', async () => {
    const keep = await postPassenger(app.request);
    const gone = await postPassenger(app.request);
    const deleted = await app.request.delete(`/deletepassenger/${gone.uuid}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expectProblem(await app.request.get(`/getpassenger/${gone.uuid}`), 404);
    const list = await app.request.get('/passengerlist');
    expect((list.body as Passenger[]).map((p) => p.uuid)).toEqual([keep.uuid]);
  });

  it('answers 404 for a missing uuid, and a second delete is 404', async () => {
    const created = await postPassenger(app.request);
    expect((await app.request.delete(`/deletepassenger/${created.uuid}`)).status).toBe(204);
    expectProblem(await app.request.delete(`/deletepassenger/${created.uuid}`), 404);
  });

  it.each(injectionStrings)('answers 400 for the path parameter %p and deletes nothing', async (attack) => {
    await postPassenger(app.request);
    expectProblem(await app.request.delete(`/deletepassenger/${encodeURIComponent(attack)}`), 400);
    expect((await app.request.get('/passengerlist')).body).toHaveLength(1);
  });
});
