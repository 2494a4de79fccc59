import { demoPassengers } from '../../src/passengers/demo-passengers';
import type { Problem } from '../../src/http/problem';
import { expectProblem, useTestApp } from '../support/test-app';
import { backend } from '../support/test-database';

// Conditional requests at edges conditional-reads and conditional-writes do
// not reach: the last row of a page, and what a 412 tells the client.
const app = useTestApp({ reset: 'demo' });

const sortedUuids = demoPassengers.map((p) => p.uuid).sort();

describe(`conditional requests at the edges on ${backend}`, () => {
  it("changes the page tag when the page's last row changes", async () => {
    const tag = (await app.request.get('/passengerlist?limit=5')).headers.etag;
    await app.request.patch(`/patchpassenger/${sortedUuids[4]}`).type('application/merge-patch+json').send('{"fare":1}').expect(200);
    const res = await app.request.get('/passengerlist?limit=5').set('If-None-Match', tag);
    expect(res.status).toBe(200);
    expect(res.headers.etag).not.toBe(tag);
  });

  it('says in a 412 which tag is stale and that the passenger must be read again', async () => {
    const uuid = sortedUuids[0];
    await app.request.patch(`/patchpassenger/${uuid}`).type('application/merge-patch+json').send('{"fare":1}').expect(200);
    const res = await app.request.delete(`/deletepassenger/${uuid}`).set('If-Match', '"1"');
    expectProblem(res, 412);
    expect((res.body as Problem).detail).toBe('The passenger has changed since "1"; read it again.');
    expect(res.headers.etag).toBe('"2"');
  });
});
