// A consumer of the packed @passenger-api/client, as another project would
// write it (compiled as an ES module and as CommonJS, `--strict`). The test installs the tarball beside this file,
// type-checks it and calls run() against a running service. The annotations
// (`: string`, `: Passenger`) are the point: they compile only because the
// package types what the contract says.
import { type Passenger, type PassengerInput, createPassengerApiClient, etagOf, locationOf } from '@passenger-api/client';

const input: PassengerInput = {
  survived: true,
  passengerClass: 2,
  name: 'Packed Consumer',
  sex: 'female',
  age: 30,
  siblingsOrSpousesAboard: 0,
  parentsOrChildrenAboard: 1,
  fare: 26,
};

export async function run(baseUrl: string, apiKey: string) {
  const api = createPassengerApiClient(baseUrl, { apiKey });

  const created = await api.POST('/postpassenger', { body: input });
  if (created.error) throw new Error(`create answered ${created.error.status}: ${created.error.detail}`);
  const passenger: Passenger = created.data;
  const location: string = locationOf(created.response);
  const uuid = passenger.uuid;

  const read = await api.GET('/getpassenger/{uuid}', { params: { path: { uuid } } });
  const etag: string = etagOf(read.response);

  const pageSizes: number[] = [];
  const listed: string[] = [];
  for await (const page of api.listPassengerPages({ limit: 5 })) {
    pageSizes.push(page.length);
    listed.push(...page.map((row) => row.uuid));
  }

  const changed: PassengerInput = { ...input, age: 31 };
  const replaced = await api.PUT('/putpassenger/{uuid}', { params: { path: { uuid }, header: { 'If-Match': etag } }, body: changed });
  const stale = await api.PUT('/putpassenger/{uuid}', { params: { path: { uuid }, header: { 'If-Match': etag } }, body: changed });
  const deleted = await api.DELETE('/deletepassenger/{uuid}', { params: { path: { uuid }, header: { 'If-Match': etagOf(replaced.response) } } });
  const missing = await api.GET('/getpassenger/{uuid}', { params: { path: { uuid } } });
  const invalid = await api.GET('/passengerlist', { params: { query: { limit: 0 } } });

  return {
    created: { status: created.response.status, location, passenger },
    read: { status: read.response.status, passenger: read.data, etag },
    pageSizes,
    listed,
    replaced: { status: replaced.response.status, passenger: replaced.data, etagChanged: etagOf(replaced.response) !== etag },
    stale: { status: stale.response.status, title: stale.error?.title },
    deleted: { status: deleted.response.status },
    missing: { status: missing.response.status, detail: missing.error?.detail },
    invalid: { status: invalid.response.status, errors: invalid.error?.errors },
  };
}
