import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { components, paths } from '../generated/openapi';

export type { paths } from '../generated/openapi';
export type Passenger = components['schemas']['Passenger'];
export type PassengerInput = components['schemas']['PassengerInput'];
export type PassengerPatch = components['schemas']['PassengerPatch'];
export type Problem = components['schemas']['Problem'];
export type PassengerApiClient = Client<paths>;

// A typed client for passenger-api. Paths, parameters, bodies and responses
// all come from the generated `paths`, so a call the contract does not allow
// is a compile error, and `data` / `error` carry the documented types.
export function createPassengerApiClient(baseUrl: string, options: Omit<ClientOptions, 'baseUrl'> = {}): PassengerApiClient {
  const client = createClient<paths>({ ...options, baseUrl });
  client.use(mergePatchBodies);
  return client;
}

export const MERGE_PATCH = 'application/merge-patch+json';

// openapi-fetch labels every JSON body application/json; the only PATCH of
// the contract takes a JSON Merge Patch (RFC 7396), labelled as one.
const mergePatchBodies: Middleware = {
  onRequest({ request }) {
    if (request.method === 'PATCH') request.headers.set('Content-Type', MERGE_PATCH);
    return request;
  },
};

// A conditional GET (params.header['If-None-Match'] set to an ETag you hold)
// answers 304 with neither data nor error while your copy is current. Fetch
// in a browser revalidates its cache by itself and shows you the 200; Node's
// fetch has no cache, so this is what you see there.
export function isNotModified(response: Response): boolean {
  return response.status === 304;
}

// The `after` cursor of the next page, read from the list response's
// `Link: <…>; rel="next"` header; undefined on the last page.
export function nextPageCursor(response: Response): string | undefined {
  const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
  return next ? (new URL(next, 'http://placeholder').searchParams.get('after') ?? undefined) : undefined;
}
