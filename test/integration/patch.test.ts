import { expectProblem, useTestApp } from '../support/test-app';
import { backend } from '../support/test-database';
import { MISSING_UUID, postPassenger, postTestPassenger } from '../support/fixtures';
import type { Passenger } from '../../src/passengers/passenger.table';
import type { Problem } from '../../src/http/problem';

// PATCH /patchpassenger/{uuid} with application/merge-patch+json (RFC 7396),
// and the 415 answers of every write naming the media type it takes.
const app = useTestApp({ bodyLimit: '2kb', reset: 'empty' });

const MERGE_PATCH = 'application/merge-patch+json';

function patch(uuid: string, body: unknown, contentType = MERGE_PATCH) {
  return app.request.patch(`/patchpassenger/${uuid}`).set('Content-Type', contentType).send(JSON.stringify(body));
}

async function stored(uuid: string): Promise<Passenger> {
  return (await app.request.get(`/getpassenger/${uuid}`)).body as Passenger;
}

describe(`PATCH /patchpassenger/{uuid} on ${backend}`, () => {
  it('changes only the fields the patch names and answers the whole passenger with its new ETag', async () => {
    const { uuid } = await postPassenger(app.request);
    const res = await patch(uuid, { name: 'Patched', fare: 7.25 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...postTestPassenger, name: 'Patched', fare: 7.25, uuid });
    expect(res.headers.etag).toBe('"2"');
    expect(await stored(uuid)).toEqual(res.body);
  });

  it('clears age with null', async () => {
    const { uuid } = await postPassenger(app.request);
    const res = await patch(uuid, { age: null });
    expect(res.status).toBe(200);
    expect((res.body as Passenger).age).toBeNull();
    expect((await stored(uuid)).age).toBeNull();
  });

  it('accepts a charset parameter on the media type', async () => {
    const { uuid } = await postPassenger(app.request);
    expect((await patch(uuid, { survived: false }, `${MERGE_PATCH}; charset=utf-8`)).status).toBe(200);
  });

  it.each(['survived', 'passengerClass', 'name', 'sex', 'siblingsOrSpousesAboard', 'parentsOrChildrenAboard', 'fare'])(
    'answers 400 naming %s when the patch sets it to null, and writes nothing',
    async (field) => {
      const { uuid } = await postPassenger(app.request);
      expectProblem(await patch(uuid, { survived: false, [field]: null }), 400, [`/${field}`]);
      expect(await stored(uuid)).toEqual({ ...postTestPassenger, uuid });
    },
  );

  it('answers 400 for an unknown field, naming it, and for a value breaking a PassengerInput rule', async () => {
    const { uuid } = await postPassenger(app.request);
    expectProblem(await patch(uuid, { nickname: 'x' }), 400, ['/nickname']);
    expectProblem(await patch(uuid, { uuid: MISSING_UUID }), 400, ['/uuid']);
    expectProblem(await patch(uuid, { passengerClass: 4, name: '' }), 400, ['/passengerClass', '/name']);
    expect(await stored(uuid)).toEqual({ ...postTestPassenger, uuid });
  });

  it('answers 400 for an empty patch and for a patch that is not an object', async () => {
    const { uuid } = await postPassenger(app.request);
    expectProblem(await patch(uuid, {}), 400);
    expectProblem(await patch(uuid, ['name']), 400);
    expectProblem(await patch(uuid, null), 400);
    expect((await app.request.get(`/getpassenger/${uuid}`)).headers.etag).toBe('"1"');
  });

  it('answers 404 for a missing passenger, with or without If-Match', async () => {
    expectProblem(await patch(MISSING_UUID, { name: 'x' }), 404);
    expectProblem(await app.request.patch(`/patchpassenger/${MISSING_UUID}`).set('If-Match', '"1"').type(MERGE_PATCH).send('{"name":"x"}'), 404);
  });

  it('patches with a current If-Match and answers 412 with the current ETag on a stale one, writing nothing', async () => {
    const { uuid, etag } = await postPassenger(app.request);
    const first = await app.request.patch(`/patchpassenger/${uuid}`).set('If-Match', etag).type(MERGE_PATCH).send('{"name":"First"}');
    expect(first.status).toBe(200);
    const stale = await app.request.patch(`/patchpassenger/${uuid}`).set('If-Match', etag).type(MERGE_PATCH).send('{"name":"Second"}');
    expectProblem(stale, 412);
    expect(stale.headers.etag).toBe('"2"');
    expect((await stored(uuid)).name).toBe('First');
  });

  it('answers 415 with Accept-Patch for any other media type, application/json included', async () => {
    const { uuid } = await postPassenger(app.request);
    for (const type of ['application/json', 'text/plain']) {
      const res = await patch(uuid, { name: 'x' }, type);
      expectProblem(res, 415);
      expect(res.headers['accept-patch']).toBe(MERGE_PATCH);
      expect(res.headers['accept-post']).toBeUndefined();
      expect((res.body as Problem).detail).toContain(MERGE_PATCH);
    }
  });

  it('answers 413 above the body limit', async () => {
    const { uuid } = await postPassenger(app.request);
    expectProblem(await patch(uuid, { name: 'y'.repeat(4000) }), 413);
  });
});

describe(`415 answers name the media type each write takes, on ${backend}`, () => {
  it('POST: Accept-Post: application/json', async () => {
    const res = await app.request.post('/postpassenger').type('text').send('hi');
    expectProblem(res, 415);
    expect(res.headers['accept-post']).toBe('application/json');
    expect(res.headers['accept-patch']).toBeUndefined();
  });

  it("PUT: no Accept-Post (it is POST's header), the detail names application/json", async () => {
    const { uuid } = await postPassenger(app.request);
    const res = await app.request.put(`/putpassenger/${uuid}`).type(MERGE_PATCH).send(JSON.stringify(postTestPassenger));
    expectProblem(res, 415);
    expect(res.headers['accept-post']).toBeUndefined();
    expect(res.headers['accept-patch']).toBeUndefined();
    expect((res.body as Problem).detail).toBe('Send the request body as application/json.');
  });
});
