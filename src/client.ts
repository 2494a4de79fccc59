import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from '../generated/openapi';

export type { paths } from '../generated/openapi';
export type Passenger = components['schemas']['Passenger'];
export type PassengerInput = components['schemas']['PassengerInput'];
export type Problem = components['schemas']['Problem'];
export type PassengerApiClient = Client<paths>;

// A typed client for passenger-api. Paths, parameters, bodies and responses
// all come from the generated `paths`, so a call the contract does not allow
// is a compile error, and `data` / `error` carry the documented types.
export function createPassengerApiClient(baseUrl: string, options: Omit<ClientOptions, 'baseUrl'> = {}): PassengerApiClient {
  return createClient<paths>({ ...options, baseUrl });
}

// The `after` cursor of the next page, read from the list response's
// `Link: <…>; rel="next"` header; undefined on the last page.
export function nextPageCursor(response: Response): string | undefined {
  const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
  return next ? (new URL(next, 'http://placeholder').searchParams.get('after') ?? undefined) : undefined;
}
