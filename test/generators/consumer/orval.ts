// orval's fetch client, generated into ./generated through orval-fetch.ts.
import { createPassenger, deletePassenger, getPassenger, listPassengers, patchPassenger, replacePassenger } from './generated/api';
import { walkPages } from './next-page';
import { setApiKey } from './orval-fetch';
import { API_KEY, NEW_PASSENGER, expectEqual, runScenario } from './scenario';

let uuid = '';
let etag = '';
let staleEtag = '';

await runScenario('orval', {
  '401 without key': async () => {
    const response = await createPassenger(NEW_PASSENGER);
    expectEqual(response.status, 401, 'status');
  },
  create: async () => {
    setApiKey(API_KEY);
    const response = await createPassenger(NEW_PASSENGER);
    if (response.status !== 201) throw new Error(`status ${String(response.status)}`);
    uuid = response.data.uuid;
    etag = response.headers.get('ETag') ?? '';
  },
  get: async () => {
    const response = await getPassenger(uuid);
    if (response.status !== 200) throw new Error(`status ${String(response.status)}`);
    expectEqual([response.data.name, response.headers.get('ETag')], [NEW_PASSENGER.name, etag], 'name, ETag');
  },
  'all pages via Link': async () => {
    const { uuids: seen, pages } = await walkPages(async (after) => {
      const response = await listPassengers({ limit: 2, ...(after === undefined ? {} : { after }) });
      if (response.status !== 200) throw new Error(`status ${String(response.status)}`);
      return { uuids: response.data.map((passenger) => passenger.uuid), link: response.headers.get('Link') };
    });
    expectEqual([pages > 1, seen.includes(uuid)], [true, true], 'several pages, the new passenger on one');
  },
  '304 with If-None-Match': async () => {
    const response = await getPassenger(uuid, { 'If-None-Match': etag });
    expectEqual(response.status, 304, 'status');
  },
  'replace with If-Match': async () => {
    const response = await replacePassenger(uuid, { ...NEW_PASSENGER, fare: 20 }, { 'If-Match': etag });
    if (response.status !== 200) throw new Error(`status ${String(response.status)}`);
    expectEqual(response.data.fare, 20, 'fare');
    staleEtag = etag;
    etag = response.headers.get('ETag') ?? '';
  },
  'stale If-Match 412': async () => {
    const response = await replacePassenger(uuid, NEW_PASSENGER, { 'If-Match': staleEtag });
    expectEqual(response.status, 412, 'status');
  },
  'merge patch': async () => {
    const response = await patchPassenger(uuid, { age: null }, { 'If-Match': etag });
    if (response.status !== 200) throw new Error(`status ${String(response.status)}`);
    expectEqual([response.data.age, response.data.fare], [null, 20], 'age, fare');
    etag = response.headers.get('ETag') ?? '';
  },
  delete: async () => {
    const response = await deletePassenger(uuid, { 'If-Match': etag });
    expectEqual(response.status, 204, 'status');
  },
  '404 after delete': async () => {
    const response = await getPassenger(uuid);
    expectEqual(response.status, 404, 'status');
  },
  'bad body 400': async () => {
    const response = await createPassenger({ ...NEW_PASSENGER, age: -1 });
    if (response.status !== 400) throw new Error(`status ${String(response.status)}`);
    expectEqual(response.data.errors?.[0]?.path, '/age', 'field named');
  },
});
