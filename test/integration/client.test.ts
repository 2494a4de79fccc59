import { type PassengerApiClient, createPassengerApiClient, etagOf, isNotModified, locationOf } from '@passenger-api/client';
import { demoPassengers } from '../../src/passengers/demo-passengers';
import { MISSING_UUID, postTestPassenger } from '../support/fixtures';
import { useTestApp } from '../support/test-app';
import { backend } from '../support/test-database';

// The typed client (packages/client, by its package name) against the real app
// on a real socket: every operation, success and error, through openapi-fetch.
// test/package/ installs the packed tarball elsewhere and calls a built server.
const API_KEY = 'client-test-key-0123456789';
const app = useTestApp({ apiKeys: [API_KEY], reset: 'demo', listen: true });
let client: PassengerApiClient;
beforeAll(() => {
  client = createPassengerApiClient(app.baseUrl, { apiKey: API_KEY });
});

const BRAUND = demoPassengers[0];

describe(`typed client on ${backend}`, () => {
  it('creates, reads, replaces and deletes a passenger', async () => {
    const created = await client.POST('/postpassenger', { body: postTestPassenger });
    expect(created.response.status).toBe(201);
    expect(created.data).toEqual({ ...postTestPassenger, uuid: expect.any(String) as string });
    const uuid = created.data!.uuid;
    const location: string = locationOf(created.response);
    expect(location).toBe(`/getpassenger/${uuid}`);

    const read = await client.GET('/getpassenger/{uuid}', { params: { path: { uuid } } });
    expect(read.data).toEqual(created.data);
    const etag: string = etagOf(read.response);
    expect(etag).toBe(etagOf(created.response));

    const changed = { ...postTestPassenger, age: null, name: 'Renamed' };
    const replaced = await client.PUT('/putpassenger/{uuid}', { params: { path: { uuid }, header: { 'If-Match': etag } }, body: changed });
    expect(replaced.data).toEqual({ ...changed, uuid });
    const stale = await client.PUT('/putpassenger/{uuid}', { params: { path: { uuid }, header: { 'If-Match': etag } }, body: changed });
    expect(stale.error).toMatchObject({ status: 412 });

    const deleted = await client.DELETE('/deletepassenger/{uuid}', { params: { path: { uuid }, header: { 'If-Match': etagOf(replaced.response) } } });
    expect(deleted.response.status).toBe(204);
    const gone = await client.GET('/getpassenger/{uuid}', { params: { path: { uuid } } });
    expect(gone.response.status).toBe(404);
    expect(gone.error?.detail).toContain(uuid);
  });

  it('patches with a merge patch, labelled application/merge-patch+json by the client', async () => {
    const read = await client.GET('/getpassenger/{uuid}', { params: { path: { uuid: BRAUND.uuid } } });
    const ifMatch = etagOf(read.response);
    const patched = await client.PATCH('/patchpassenger/{uuid}', {
      params: { path: { uuid: BRAUND.uuid }, header: { 'If-Match': ifMatch } },
      body: { age: null, fare: 8 },
    });
    expect(patched.response.status).toBe(200);
    expect(patched.data).toEqual({ ...read.data, age: null, fare: 8 });
    expect(etagOf(patched.response)).not.toBe(ifMatch);
    const stale = await client.PATCH('/patchpassenger/{uuid}', { params: { path: { uuid: BRAUND.uuid }, header: { 'If-Match': ifMatch } }, body: { fare: 9 } });
    expect(stale.response.status).toBe(412);
    expect(stale.error?.status).toBe(412);
  });

  it('revalidates with If-None-Match: 304, no data and no error while unchanged', async () => {
    const read = await client.GET('/getpassenger/{uuid}', { params: { path: { uuid: BRAUND.uuid } } });
    const etag = etagOf(read.response);
    const again = await client.GET('/getpassenger/{uuid}', { params: { path: { uuid: BRAUND.uuid }, header: { 'If-None-Match': etag } } });
    expect(isNotModified(again.response)).toBe(true);
    expect(again.data).toBeUndefined();
    expect(again.error).toBeUndefined();
    expect(again.response.headers.get('etag')).toBe(etag);
    const page = await client.GET('/passengerlist', { params: { query: { limit: 3 } } });
    const pageAgain = await client.GET('/passengerlist', {
      params: { query: { limit: 3 }, header: { 'If-None-Match': page.response.headers.get('etag')! } },
    });
    expect(isNotModified(pageAgain.response)).toBe(true);
    expect(pageAgain.data).toBeUndefined();
  });

  it('follows every page of the list to the end, filters kept', async () => {
    const pages: string[][] = [];
    for await (const page of client.listPassengerPages({ limit: 5 })) pages.push(page.map((passenger) => passenger.uuid));
    const sizes = Array.from({ length: Math.ceil(demoPassengers.length / 5) }, (_, i) => Math.min(5, demoPassengers.length - 5 * i));
    expect(pages.map((page) => page.length)).toEqual(sizes);
    expect(pages.flat()).toEqual(demoPassengers.map((passenger) => passenger.uuid).sort());

    const women: string[] = [];
    for await (const page of client.listPassengerPages({ limit: 2, sex: 'female' })) women.push(...page.map((passenger) => passenger.uuid));
    const expected = demoPassengers.filter((passenger) => passenger.input.sex === 'female').map((passenger) => passenger.uuid);
    expect(women).toEqual(expected.sort());
  });

  it('sends the API key on writes only', async () => {
    const keyless = createPassengerApiClient(app.baseUrl);
    expect((await keyless.POST('/postpassenger', { body: postTestPassenger })).response.status).toBe(401);
    expect((await keyless.GET('/getpassenger/{uuid}', { params: { path: { uuid: BRAUND.uuid } } })).response.status).toBe(200);
  });

  it('passes the list filters as typed query parameters', async () => {
    const { data } = await client.GET('/passengerlist', { params: { query: { passengerClass: 1, sex: 'female', survived: true } } });
    expect(data!.length).toBeGreaterThan(0);
    for (const passenger of data!) expect(passenger).toMatchObject({ passengerClass: 1, sex: 'female', survived: true });
  });

  it('returns problem+json errors as the typed error, naming the bad field', async () => {
    const missing = await client.PUT('/putpassenger/{uuid}', { params: { path: { uuid: MISSING_UUID } }, body: postTestPassenger });
    expect(missing.error).toMatchObject({ status: 404, title: 'Not Found' });

    const invalid = await client.POST('/postpassenger', {
      // @ts-expect-error passengerClass is 1 | 2 | 3 in the contract: the compiler refuses this call.
      body: { ...postTestPassenger, passengerClass: 'first' },
    });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error?.errors?.map((error) => error.path)).toContain('/passengerClass');

    const badUuid = await client.DELETE('/deletepassenger/{uuid}', { params: { path: { uuid: 'not-a-uuid' } } });
    expect(badUuid.error).toMatchObject({ status: 400, errors: [{ in: 'path', path: '/uuid' }] });
  });

  it('reads the demo passenger the spec uses as its example', async () => {
    const { data } = await client.GET('/getpassenger/{uuid}', { params: { path: { uuid: BRAUND.uuid } } });
    expect(data).toEqual({ uuid: BRAUND.uuid, ...BRAUND.input });
  });

  it('calls the operational routes', async () => {
    expect((await client.GET('/hello')).data).toEqual({ message: 'ok' });
    expect((await client.GET('/healthz')).data).toEqual({ status: 'ok' });
    expect((await client.GET('/readyz')).data).toEqual({ status: 'ok' });
    const document = await client.GET('/openapi.json');
    expect(document.data).toMatchObject({ openapi: '3.0.3', info: { title: 'passenger-api' } });
  });
});
