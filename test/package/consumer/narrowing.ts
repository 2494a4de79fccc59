// What the result types let through, checked by the compiler only (the test
// reads this file's diagnostics: there must be none). Each @ts-expect-error
// line must fail to compile; if the types loosened (a 304 with data, a status
// typed `number`), the directive itself would be the error (TS2578).
import { type Passenger, type PassengerApiClient, type Problem, createPassengerApiClient } from '@passenger-api/client';

// Under exactOptionalPropertyTypes, an option may still be given as undefined.
const maybeKey: string | undefined = undefined;
export const api: PassengerApiClient = createPassengerApiClient('http://127.0.0.1:9', { apiKey: maybeKey, headers: undefined });
export const pages = api.listPassengerPages({ limit: 5, sex: undefined });

export async function revalidate(uuid: string, etag: string): Promise<Passenger | 'unchanged'> {
  const read = await api.GET('/getpassenger/{uuid}', { params: { path: { uuid }, header: { 'If-None-Match': etag } } });
  if (read.status === 304) {
    // @ts-expect-error a 304 carries no passenger
    const stale: Passenger = read.data;
    const status: 304 = read.response.status;
    return stale === undefined && status === 304 ? 'unchanged' : stale;
  }
  if (read.error) {
    // @ts-expect-error the errors getPassenger documents have no data either
    const none: Passenger = read.data;
    throw new Error(`${read.error.status} ${read.error.title} ${String(none)}`);
  }
  // Neither 304 nor an error: the only status left is 200, with its passenger.
  const status: 200 = read.status;
  const passenger: Passenger = read.data;
  return status === 200 ? passenger : passenger;
}

export async function replace(uuid: string, etag: string, input: Omit<Passenger, 'uuid'>): Promise<Passenger | Problem> {
  const put = await api.PUT('/putpassenger/{uuid}', { params: { path: { uuid }, header: { 'If-Match': etag } }, body: input });
  if (put.response.status === 412) {
    // response.status narrows the response alone: it is the literal 412 ...
    const status: 412 = put.response.status;
    // @ts-expect-error ... but not the result (TypeScript narrows by an object's own properties), so error may still be undefined
    const problem: Problem = put.error;
    return { ...problem, status };
  }
  if (put.status === 412) {
    // The top-level status narrows the result: the 412's problem, its status the literal.
    const problem: Problem & { status: 412 } = put.error;
    // @ts-expect-error a 412's problem is not a 404's
    const notFound: { status: 404 } = put.error;
    // @ts-expect-error and it has no data
    const data: Passenger = put.data;
    return { ...problem, detail: `${notFound.status} ${data.name}` };
  }
  // @ts-expect-error putPassenger documents no 418, so the comparison cannot be true
  if (put.status === 418) throw new Error('teapot');
  if (put.status !== 200) return put.error;
  return put.data;
}

export async function remove(uuid: string, etag: string): Promise<void> {
  const deleted = await api.DELETE('/deletepassenger/{uuid}', { params: { path: { uuid }, header: { 'If-Match': etag } } });
  // @ts-expect-error a 204 has no body
  const body: unknown[] = deleted.status === 204 ? deleted.data : [];
  if (deleted.status !== 204) throw new Error(`${deleted.status}: ${deleted.error.detail} ${body.length}`);
}
