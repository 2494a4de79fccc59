import { sql } from 'kysely';
import type { Passenger } from '../../src/passengers/passenger.table';
import { postPassenger, postTestPassenger } from '../support/fixtures';
import { expectProblem, useTestApp } from '../support/test-app';
import { backend } from '../support/test-database';

// RFC 9110 §13 beyond plain If-Match on writes: If-None-Match on writes
// ("*": only if the passenger does not exist, so always 412 here), If-Match on
// reads, tags above the version range, and the version wrapping after int4's
// largest value instead of making the row unwritable.

const app = useTestApp({ reset: 'empty' });
const MERGE_PATCH = 'application/merge-patch+json';
const renamed = { ...postTestPassenger, name: 'Renamed' };

async function storedName(uuid: string): Promise<string> {
  return ((await app.request.get(`/getpassenger/${uuid}`)).body as Passenger).name;
}

describe(`If-None-Match on writes on ${backend}`, () => {
  it('answers 412 to PUT, PATCH and DELETE with If-None-Match: * on an existing passenger, writing nothing', async () => {
    const { uuid } = await postPassenger(app.request);
    const put = await app.request.put(`/putpassenger/${uuid}`).set('If-None-Match', '*').send(renamed);
    expectProblem(put, 412);
    expect(put.headers.etag).toBe('"1"');
    expectProblem(
      await app.request.patch(`/patchpassenger/${uuid}`).set('If-None-Match', '*').set('Content-Type', MERGE_PATCH).send('{"name":"Patched"}'),
      412,
    );
    expectProblem(await app.request.delete(`/deletepassenger/${uuid}`).set('If-None-Match', '*'), 412);
    expect(await storedName(uuid)).toBe(postTestPassenger.name);
  });

  it('answers 412 when If-None-Match names the current version, and writes when it names another', async () => {
    const { uuid, etag } = await postPassenger(app.request);
    const patch = (ifNoneMatch: string) =>
      app.request.patch(`/patchpassenger/${uuid}`).set('If-None-Match', ifNoneMatch).set('Content-Type', MERGE_PATCH).send('{"name":"Patched"}');
    expectProblem(await patch(`"7", ${etag}`), 412);
    expect(await storedName(uuid)).toBe(postTestPassenger.name);
    const res = await patch('"7"');
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"2"');
  });

  it('answers 404 to a write with If-None-Match on a passenger that does not exist', async () => {
    expectProblem(await app.request.put('/putpassenger/00000000-0000-4000-8000-000000000000').set('If-None-Match', '*').send(renamed), 404);
  });
});

describe(`If-Match on reads and outside the version range on ${backend}`, () => {
  it('answers 412 to a GET whose If-Match names no current version, 200 otherwise', async () => {
    const { uuid } = await postPassenger(app.request);
    expect((await app.request.put(`/putpassenger/${uuid}`).send(renamed)).status).toBe(200);
    const stale = await app.request.get(`/getpassenger/${uuid}`).set('If-Match', '"1"');
    expectProblem(stale, 412);
    expect(stale.headers.etag).toBe('"2"');
    expect((await app.request.get(`/getpassenger/${uuid}`).set('If-Match', '"2"')).status).toBe(200);
    expect((await app.request.get(`/getpassenger/${uuid}`).set('If-Match', '*')).status).toBe(200);
  });

  it.each(['"2147483648"', '"9999999999"'])('answers 412, not 400, to writes with If-Match %s', async (tag) => {
    const { uuid } = await postPassenger(app.request);
    expectProblem(await app.request.put(`/putpassenger/${uuid}`).set('If-Match', tag).send(renamed), 412);
    expectProblem(await app.request.patch(`/patchpassenger/${uuid}`).set('If-Match', tag).set('Content-Type', MERGE_PATCH).send('{"name":"x"}'), 412);
    expectProblem(await app.request.delete(`/deletepassenger/${uuid}`).set('If-Match', tag), 412);
    expect(await storedName(uuid)).toBe(postTestPassenger.name);
  });

  it('wraps a version at 2147483647 to 1 on the next write', async () => {
    const { uuid } = await postPassenger(app.request);
    await sql`update passenger set version = 2147483647 where uuid = ${uuid}`.execute(app.database.handle.db);
    const res = await app.request.put(`/putpassenger/${uuid}`).set('If-Match', '"2147483647"').send(renamed);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(await storedName(uuid)).toBe('Renamed');
  });
});
