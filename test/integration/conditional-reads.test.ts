import { demoPassengers } from '../../src/passengers/demo-passengers';
import { useTestApp } from '../support/test-app';
import { backend } from '../support/test-database';
import { postTestPassenger } from '../support/fixtures';
import type { Passenger } from '../../src/passengers/passenger.table';

// If-None-Match on getPassenger (the row's version) and on the list (a weak
// tag of the page's uuids and versions): 304, the ETag and no body while
// unchanged; 200 once anything on the page changes.
const app = useTestApp({ reset: 'demo' });

const BRAUND = demoPassengers[0].uuid;
const sortedUuids = demoPassengers.map((p) => p.uuid).sort();

function getIfNoneMatch(path: string, tag: string) {
  return app.request.get(path).set('If-None-Match', tag);
}

describe(`conditional GET on ${backend}`, () => {
  it('answers 304 with the ETag and no body for the current version of a passenger', async () => {
    const read = await app.request.get(`/getpassenger/${BRAUND}`);
    expect(read.headers.etag).toBe('"1"');
    for (const tag of ['"1"', 'W/"1"', '"7", "1"', '*']) {
      const res = await getIfNoneMatch(`/getpassenger/${BRAUND}`, tag);
      expect({ tag, status: res.status, etag: res.headers.etag, text: res.text }).toEqual({ tag, status: 304, etag: '"1"', text: '' });
    }
  });

  it('answers 200 with the body once the passenger has changed', async () => {
    await app.request.patch(`/patchpassenger/${BRAUND}`).type('application/merge-patch+json').send('{"fare":8}').expect(200);
    const res = await getIfNoneMatch(`/getpassenger/${BRAUND}`, '"1"');
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect((res.body as Passenger).fare).toBe(8);
  });

  it('gives the list page a weak ETag and answers 304 to it while the page is unchanged', async () => {
    const page = await app.request.get('/passengerlist?limit=5');
    expect(page.headers.etag).toMatch(/^W\/"[\w-]+"$/);
    const again = await getIfNoneMatch('/passengerlist?limit=5', page.headers.etag);
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(page.headers.etag);
    expect(again.text).toBe('');
    // The weak tag also matches without its W/ (weak comparison).
    expect((await getIfNoneMatch('/passengerlist?limit=5', page.headers.etag.slice(2))).status).toBe(304);
  });

  it('changes the page tag when a row on the page changes, and only then', async () => {
    const tag = (await app.request.get('/passengerlist?limit=5')).headers.etag;
    // A write to a row on another page leaves this page's tag alone...
    await app.request.patch(`/patchpassenger/${sortedUuids[8]}`).type('application/merge-patch+json').send('{"fare":1}').expect(200);
    expect((await getIfNoneMatch('/passengerlist?limit=5', tag)).status).toBe(304);
    // ...a write to one on it, even back to the same values, changes it.
    const { uuid: _, ...unchanged } = (await app.request.get(`/getpassenger/${sortedUuids[2]}`)).body as Passenger;
    await app.request.put(`/putpassenger/${sortedUuids[2]}`).send(unchanged).expect(200);
    const res = await getIfNoneMatch('/passengerlist?limit=5', tag);
    expect(res.status).toBe(200);
    expect(res.headers.etag).not.toBe(tag);
    expect(res.body).toHaveLength(5);
  });

  it("changes the page tag when the page's set of rows changes", async () => {
    const whole = (await app.request.get('/passengerlist')).headers.etag;
    const created = await app.request.post('/postpassenger').send(postTestPassenger).expect(201);
    const afterCreate = await getIfNoneMatch('/passengerlist', whole);
    expect(afterCreate.status).toBe(200);
    expect(afterCreate.body).toHaveLength(demoPassengers.length + 1);
    await app.request.delete(`/deletepassenger/${(created.body as Passenger).uuid}`).expect(204);
    // Back to the same rows at the same versions: the same tag again.
    expect((await app.request.get('/passengerlist')).headers.etag).toBe(whole);
    await app.request.delete(`/deletepassenger/${BRAUND}`).expect(204);
    expect((await getIfNoneMatch('/passengerlist', whole)).status).toBe(200);
  });

  it('changes the page tag when a next page appears or disappears (the Link header)', async () => {
    const last = sortedUuids[sortedUuids.length - 1];
    const lastPage = await app.request.get(`/passengerlist?after=${sortedUuids[sortedUuids.length - 3]}&limit=2`);
    expect((lastPage.body as Passenger[]).map((p) => p.uuid)).toEqual(sortedUuids.slice(-2));
    expect(lastPage.headers.link).toBeUndefined();
    // A row beyond the page's last uuid: same two rows, but now a next page.
    await app.database.handle.db
      .insertInto('passenger')
      .values({
        uuid: 'ffffffff-ffff-4fff-8fff-ffffffffffff',
        survived: true,
        passenger_class: 1,
        name: 'Last',
        sex: 'female',
        age: null,
        siblings_or_spouses_aboard: 0,
        parents_or_children_aboard: 0,
        fare: 1,
      })
      .execute();
    expect(last < 'ffffffff-ffff-4fff-8fff-ffffffffffff').toBe(true);
    const res = await getIfNoneMatch(`/passengerlist?after=${sortedUuids[sortedUuids.length - 3]}&limit=2`, lastPage.headers.etag);
    expect(res.status).toBe(200);
    expect(res.headers.link).toContain('rel="next"');
  });

  it('answers 200 for a tag of another page or another filter', async () => {
    const females = (await app.request.get('/passengerlist?sex=female')).headers.etag;
    expect((await getIfNoneMatch('/passengerlist?sex=male', females)).status).toBe(200);
  });
});
