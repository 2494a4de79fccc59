import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import { ContractViolationError, nextPageUrl } from './headers.js';
import type { components, operations, paths } from './openapi.js';
import type { ApiMethod } from './responses.js';

export type { components, operations, paths } from './openapi.js';
export { ContractViolationError, etagOf, linkOf, locationOf, nextPageUrl } from './headers.js';
export type { ApiMethod, ApiResult, ResponseWithStatus } from './responses.js';
export type Passenger = components['schemas']['Passenger'];
export type PassengerInput = components['schemas']['PassengerInput'];
export type PassengerPatch = components['schemas']['PassengerPatch'];
export type Problem = components['schemas']['Problem'];

// Under exactOptionalPropertyTypes an optional property refuses an explicit
// undefined unless its type says so; `{ apiKey: process.env.API_KEY }` must compile.
type UndefinedAllowed<T> = { [Key in keyof T]?: T[Key] | undefined };

export type ListPassengersQuery = UndefinedAllowed<NonNullable<operations['listPassengers']['parameters']['query']>>;

export type PassengerApiClientOptions = UndefinedAllowed<
  Omit<ClientOptions, 'baseUrl'> & {
    /**
     * Sent as `Authorization: Bearer <apiKey>` on writes (POST, PUT, PATCH,
     * DELETE) only: reads are public, so the key never travels where it is not needed.
     */
    apiKey: string;
  }
>;

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;
type MethodName = (typeof METHODS)[number];

/**
 * openapi-fetch's client, its methods answering ApiResult: one variant per
 * documented status, `status` and `response.status` its literal.
 */
export interface PassengerApiClient extends Omit<Client<paths>, MethodName> {
  GET: ApiMethod<'get'>;
  PUT: ApiMethod<'put'>;
  POST: ApiMethod<'post'>;
  DELETE: ApiMethod<'delete'>;
  OPTIONS: ApiMethod<'options'>;
  HEAD: ApiMethod<'head'>;
  PATCH: ApiMethod<'patch'>;
  TRACE: ApiMethod<'trace'>;
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
  // openapi-fetch's methods, each answer with its status on top; the cast is
  // where openapi-fetch's looser result type becomes ApiResult.
  const typed = Object.fromEntries(METHODS.map((name) => [name, withStatus(name, client[name])]));
  const api = Object.assign(client, typed) as unknown as Omit<PassengerApiClient, 'listPassengerPages'>;
  const listUrl = new URL(`${base}/passengerlist`);

  async function* listPassengerPages(query: ListPassengersQuery = {}): AsyncGenerator<Passenger[], void, undefined> {
    let page = await api.GET('/passengerlist', { params: { query } });
    for (;;) {
      if (page.status !== 200) throw new PassengerApiError(page.status, page.error);
      yield page.data;
      const next = nextPageUrl(page.response, page.response.url || listUrl);
      if (next === undefined) return;
      // Followed as the server wrote it (its query string verbatim), through this
      // client so headers, middleware and the fetch override apply; never to another host.
      if (next.origin !== listUrl.origin || next.pathname !== listUrl.pathname) {
        throw new ContractViolationError(`Link rel="next" points outside ${listUrl.href}: ${next.href}`);
      }
      const search = next.search;
      page = await api.GET('/passengerlist', { querySerializer: () => search });
    }
  }

  return Object.assign(api, { listPassengerPages });
}

// The statuses whose answer the contract gives no body (ApiResult types them without data or error).
const BODILESS = new Set([204, 304]);

function withStatus(method: MethodName, call: (...args: never[]) => Promise<{ data?: unknown; error?: unknown; response: Response }>) {
  return async (...args: never[]) => {
    const result = await call(...args);
    const { status } = result.response;
    // openapi-fetch hands back neither data nor error for an empty body; ApiResult
    // promises one wherever the contract documents it, so an empty one breaks the contract.
    if (result.data === undefined && result.error === undefined && !BODILESS.has(status) && method !== 'HEAD') {
      throw new ContractViolationError(`${status} response from ${result.response.url || 'the API'} has no body; the contract documents one`);
    }
    return { ...result, status };
  };
}
