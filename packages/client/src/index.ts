import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import { ContractViolationError, nextPageUrl } from './headers';
import type { components, operations, paths } from './openapi';

export type { components, operations, paths } from './openapi';
export { ContractViolationError, etagOf, linkOf, locationOf, nextPageUrl } from './headers';
export type Passenger = components['schemas']['Passenger'];
export type PassengerInput = components['schemas']['PassengerInput'];
export type PassengerPatch = components['schemas']['PassengerPatch'];
export type Problem = components['schemas']['Problem'];
export type ListPassengersQuery = NonNullable<operations['listPassengers']['parameters']['query']>;

export interface PassengerApiClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /**
   * Sent as `Authorization: Bearer <apiKey>` on writes (POST, PUT, PATCH,
   * DELETE) only: reads are public, so the key never travels where it is not needed.
   */
  apiKey?: string;
}

export interface PassengerApiClient extends Client<paths> {
  /**
   * Every page of /passengerlist, first to last, following `Link: <…>; rel="next"`.
   * An error answer throws PassengerApiError.
   */
  listPassengerPages(query?: ListPassengersQuery): AsyncGenerator<Passenger[], void, undefined>;
}

/**
 * An error answer where the helper cannot hand back `{ error }` (the page loop).
 */
export class PassengerApiError extends Error {
  override name = 'PassengerApiError';
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(`passenger-api answered ${status}${problem ? `: ${problem.detail}` : ''}`);
  }
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The media type of patchPassenger's body, a JSON Merge Patch (RFC 7396). */
export const MERGE_PATCH = 'application/merge-patch+json';

/**
 * Whether a conditional read (`params.header['If-None-Match']` set to an ETag
 * you hold) answered 304: your copy is current, and the result has neither
 * `data` nor `error`. A browser's fetch revalidates its own cache and shows
 * you the 200 instead; Node's fetch has no cache, so there you see the 304.
 */
export function isNotModified(response: Response): boolean {
  return response.status === 304;
}

/**
 * A client for the passenger-api at `baseUrl` (e.g. http://localhost:3000).
 * Paths, parameters, bodies and responses come from the contract's generated
 * types, so a call the contract does not allow is a compile error.
 */
export function createPassengerApiClient(baseUrl: string, options: PassengerApiClientOptions = {}): PassengerApiClient {
  const { apiKey, ...fetchOptions } = options;
  const base = baseUrl.replace(/\/+$/, '');
  const client = createClient<paths>({ ...fetchOptions, baseUrl: base });
  // openapi-fetch labels every JSON body application/json; the contract's
  // only PATCH takes a merge patch, labelled as one.
  client.use({
    onRequest({ request }) {
      if (request.method === 'PATCH') request.headers.set('Content-Type', MERGE_PATCH);
      return request;
    },
    // A 304 has no body, but no Content-Length either, so openapi-fetch would
    // read it as an error of '' (it is not ok); with Content-Length: 0 it
    // hands back neither data nor error.
    onResponse({ response }) {
      if (response.status !== 304 || response.headers.get('Content-Length') === '0') return response;
      const headers = new Headers(response.headers);
      headers.set('Content-Length', '0');
      return new Response(null, { status: 304, statusText: response.statusText, headers });
    },
  });
  if (apiKey !== undefined) {
    client.use({
      onRequest({ request }) {
        if (!READS.has(request.method)) request.headers.set('Authorization', `Bearer ${apiKey}`);
        return request;
      },
    });
  }
  const listUrl = new URL(`${base}/passengerlist`);

  async function* listPassengerPages(query: ListPassengersQuery = {}): AsyncGenerator<Passenger[], void, undefined> {
    let page = await client.GET('/passengerlist', { params: { query } });
    for (;;) {
      // Read before the error check: openapi-fetch leaves data undefined on an empty 2xx body, which its type hides.
      const data = page.data;
      if (page.error !== undefined || data === undefined) throw new PassengerApiError(page.response.status, page.error);
      yield data;
      const next = nextPageUrl(page.response, page.response.url || listUrl);
      if (next === undefined) return;
      // Followed as the server wrote it (its query string verbatim), through this
      // client so headers, middleware and the fetch override apply; never to another host.
      if (next.origin !== listUrl.origin || next.pathname !== listUrl.pathname) {
        throw new ContractViolationError(`Link rel="next" points outside ${listUrl.href}: ${next.href}`);
      }
      const search = next.search;
      page = await client.GET('/passengerlist', { querySerializer: () => search });
    }
  }

  return Object.assign(client, { listPassengerPages });
}
