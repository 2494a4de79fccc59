// swagger-typescript-api's fetch client, generated into ./generated.
import { Api, type HttpResponse, type PassengerInput, type Problem, Sex } from './generated/api';
import { walkPages } from './next-page';
import { API_KEY, BASE_URL, NEW_PASSENGER as SAMPLE, expectEqual, runScenario } from './scenario';

// Its enums are TypeScript enums: a string literal is no Sex.
const NEW_PASSENGER: PassengerInput = { ...SAMPLE, sex: Sex.Female };

// Written by hand with swagger-typescript-api: it sends every body as
// application/json, so PATCH gets the merge-patch media type here; the key
// goes through its securityWorker; and every answer outside 2xx (304
// included) is thrown, so `settled` takes it back as the answer.
const api = new Api<string>({
  baseUrl: BASE_URL,
  securityWorker: (key) => (key === null ? {} : { headers: { Authorization: `Bearer ${key}` } }),
  customFetch: (input, init) =>
    fetch(input, init?.method === 'PATCH' ? { ...init, headers: { ...init.headers, 'Content-Type': 'application/merge-patch+json' } } : init),
});
async function settled<D, E>(call: Promise<HttpResponse<D, E>>): Promise<HttpResponse<D, E>> {
  return call.catch((error: unknown) => {
    if (error instanceof Response) return error as HttpResponse<D, E>;
    throw error;
  });
}

let uuid = '';
let etag = '';
let staleEtag = '';

await runScenario('swagger-typescript-api', {
  '401 without key': async () => {
    const response = await settled(api.postpassenger.createPassenger(NEW_PASSENGER));
    expectEqual(response.status, 401, 'status');
  },
  create: async () => {
    api.setSecurityData(API_KEY);
    const response = await settled(api.postpassenger.createPassenger(NEW_PASSENGER));
    expectEqual(response.status, 201, 'status');
    uuid = response.data.uuid;
    etag = response.headers.get('ETag') ?? '';
  },
  get: async () => {
    const response = await settled(api.getpassenger.getPassenger(uuid));
    expectEqual([response.status, response.data.name, response.headers.get('ETag')], [200, NEW_PASSENGER.name, etag], 'status, name, ETag');
  },
  'all pages via Link': async () => {
    const { uuids: seen, pages } = await walkPages(async (after) => {
      const response = await settled(api.passengerlist.listPassengers({ limit: 2, ...(after === undefined ? {} : { after }) }));
      expectEqual(response.status, 200, 'status');
      return { uuids: response.data.map((passenger) => passenger.uuid), link: response.headers.get('Link') };
    });
    expectEqual([pages > 1, seen.includes(uuid)], [true, true], 'several pages, the new passenger on one');
  },
  '304 with If-None-Match': async () => {
    const response = await settled(api.getpassenger.getPassenger(uuid, { headers: { 'If-None-Match': etag } }));
    expectEqual(response.status, 304, 'status');
  },
  'replace with If-Match': async () => {
    const response = await settled(api.putpassenger.replacePassenger(uuid, { ...NEW_PASSENGER, fare: 20 }, { headers: { 'If-Match': etag } }));
    expectEqual([response.status, response.data.fare], [200, 20], 'status, fare');
    staleEtag = etag;
    etag = response.headers.get('ETag') ?? '';
  },
  'stale If-Match 412': async () => {
    const response = await settled(api.putpassenger.replacePassenger(uuid, NEW_PASSENGER, { headers: { 'If-Match': staleEtag } }));
    expectEqual(response.status, 412, 'status');
  },
  'merge patch': async () => {
    const response = await settled(api.patchpassenger.patchPassenger(uuid, { age: null }, { headers: { 'If-Match': etag } }));
    expectEqual([response.status, response.data.age, response.data.fare], [200, null, 20], 'status, age, fare');
    etag = response.headers.get('ETag') ?? '';
  },
  delete: async () => {
    const response = await settled(api.deletepassenger.deletePassenger(uuid, { headers: { 'If-Match': etag } }));
    expectEqual(response.status, 204, 'status');
  },
  '404 after delete': async () => {
    const response = await settled(api.getpassenger.getPassenger(uuid));
    expectEqual(response.status, 404, 'status');
  },
  'bad body 400': async () => {
    const response = await settled<unknown, Problem>(api.postpassenger.createPassenger({ ...NEW_PASSENGER, age: -1 }));
    expectEqual([response.status, response.error.errors?.[0]?.path], [400, '/age'], 'status, field named');
  },
});
