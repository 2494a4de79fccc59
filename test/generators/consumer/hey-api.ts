// @hey-api/openapi-ts's fetch client, generated into ./generated.
import { client } from './generated/client.gen';
import { createPassenger, deletePassenger, getPassenger, listPassengers, patchPassenger, replacePassenger } from './generated/sdk.gen';
import type { PassengerInput } from './generated/types.gen';
import { walkPages } from './next-page';
import { API_KEY, BASE_URL, NEW_PASSENGER, expectEqual, runScenario } from './scenario';

// Written by hand with hey-api: its result types allow a missing `response`
// (a request that never got one), so each call goes through `answered`.
async function answered<R extends { response?: Response }>(call: Promise<R>): Promise<R & { response: Response; request: Request }> {
  const result = (await call) as R & { request?: Request };
  if (result.response === undefined || result.request === undefined) throw new Error('no response');
  return result as R & { response: Response; request: Request };
}

let uuid = '';
let etag = '';
let staleEtag = '';

await runScenario('hey-api', {
  '401 without key': async () => {
    const { response } = await answered(createPassenger({ baseUrl: BASE_URL, body: NEW_PASSENGER }));
    expectEqual(response.status, 401, 'status');
  },
  create: async () => {
    // by hand: the base URL and the key, once
    client.setConfig({ baseUrl: BASE_URL, auth: () => API_KEY });
    const { data, response } = await answered(createPassenger({ body: NEW_PASSENGER }));
    expectEqual(response.status, 201, 'status');
    uuid = data?.uuid ?? '';
    etag = response.headers.get('ETag') ?? '';
  },
  get: async () => {
    const { data, response } = await answered(getPassenger({ path: { uuid } }));
    expectEqual([response.status, data?.name, response.headers.get('ETag')], [200, NEW_PASSENGER.name, etag], 'status, name, ETag');
  },
  'all pages via Link': async () => {
    const { uuids: seen, pages } = await walkPages(async (after) => {
      const { data, response } = await answered(listPassengers({ query: { limit: 2, ...(after === undefined ? {} : { after }) } }));
      return { uuids: (data ?? []).map((passenger) => passenger.uuid), link: response.headers.get('Link') };
    });
    expectEqual([pages > 1, seen.includes(uuid)], [true, true], 'several pages, the new passenger on one');
  },
  '304 with If-None-Match': async () => {
    const { response } = await answered(getPassenger({ path: { uuid }, headers: { 'If-None-Match': etag } }));
    expectEqual(response.status, 304, 'status');
  },
  'replace with If-Match': async () => {
    const body: PassengerInput = { ...NEW_PASSENGER, fare: 20 };
    const { data, response } = await answered(replacePassenger({ path: { uuid }, headers: { 'If-Match': etag }, body }));
    expectEqual([response.status, data?.fare], [200, 20], 'status, fare');
    staleEtag = etag;
    etag = response.headers.get('ETag') ?? '';
  },
  'stale If-Match 412': async () => {
    const { response } = await answered(replacePassenger({ path: { uuid }, headers: { 'If-Match': staleEtag }, body: NEW_PASSENGER }));
    expectEqual(response.status, 412, 'status');
  },
  'merge patch': async () => {
    const { data, response, request } = await answered(patchPassenger({ path: { uuid }, headers: { 'If-Match': etag }, body: { age: null } }));
    expectEqual(
      [response.status, data?.age, data?.fare, request.headers.get('Content-Type')],
      [200, null, 20, 'application/merge-patch+json'],
      'status, age, fare, media type',
    );
    etag = response.headers.get('ETag') ?? '';
  },
  delete: async () => {
    const { response } = await answered(deletePassenger({ path: { uuid }, headers: { 'If-Match': etag } }));
    expectEqual(response.status, 204, 'status');
  },
  '404 after delete': async () => {
    const { response } = await answered(getPassenger({ path: { uuid } }));
    expectEqual(response.status, 404, 'status');
  },
  'bad body 400': async () => {
    const { error, response } = await answered(createPassenger({ body: { ...NEW_PASSENGER, age: -1 } }));
    expectEqual([response.status, error?.errors?.[0]?.path], [400, '/age'], 'status, field named');
  },
});
