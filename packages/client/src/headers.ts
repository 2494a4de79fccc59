import type { paths } from './openapi.js';

// Typed access to the response headers the contract documents. fetch's
// `headers.get()` says `string | null` for every header; these say what the
// spec says: `string` where it marks the header required (a response without
// it breaks the contract and throws), `string | undefined` where it is optional.

type SuccessHeaders<Path extends keyof paths, Method extends keyof paths[Path], Status extends number> = paths[Path][Method] extends {
  responses: Record<Status, { headers: infer Headers }>;
}
  ? Headers
  : never;
type IsRequired<Headers, Name extends keyof Headers> = object extends Pick<Headers, Name> ? false : true;
type HeaderValue<Headers, Name extends keyof Headers> = IsRequired<Headers, Name> extends true ? string : string | undefined;

type ReadHeaders = SuccessHeaders<'/getpassenger/{uuid}', 'get', 200>;
type CreatedHeaders = SuccessHeaders<'/postpassenger', 'post', 201>;
type PageHeaders = SuccessHeaders<'/passengerlist', 'get', 200>;

// Whether the spec requires each header, as compile-checked constants: when the
// spec changes, the generated types change and these lines stop compiling.
const ETAG_REQUIRED: IsRequired<ReadHeaders, 'ETag'> = true satisfies IsRequired<CreatedHeaders, 'ETag'>;
const LOCATION_REQUIRED: IsRequired<CreatedHeaders, 'Location'> = true;
const LINK_REQUIRED: IsRequired<PageHeaders, 'Link'> = false;

/** A response that breaks the contract, e.g. without a header the spec requires. */
export class ContractViolationError extends Error {
  override name = 'ContractViolationError';
}

function header(response: Response, name: string, required: true): string;
function header(response: Response, name: string, required: false): string | undefined;
function header(response: Response, name: string, required: boolean): string | undefined {
  const value = response.headers.get(name);
  if (value === null && required) {
    throw new ContractViolationError(`${response.status} response from ${response.url || 'the API'} lacks the ${name} header the contract requires`);
  }
  return value ?? undefined;
}

/**
 * The passenger's version (GET, POST, PUT, PATCH, and a 304), to send back as
 * If-Match on a write or If-None-Match on a read.
 */
export function etagOf(response: Response): HeaderValue<ReadHeaders, 'ETag'> {
  return header(response, 'ETag', ETAG_REQUIRED);
}

/**
 * Where a created passenger (201) can be read, e.g. /getpassenger/{uuid}.
 */
export function locationOf(response: Response): HeaderValue<CreatedHeaders, 'Location'> {
  return header(response, 'Location', LOCATION_REQUIRED);
}

/**
 * The raw Link header of a /passengerlist page; absent on the last page.
 */
export function linkOf(response: Response): HeaderValue<PageHeaders, 'Link'> {
  return header(response, 'Link', LINK_REQUIRED);
}

/**
 * The target of `rel="next"` in a Link header (RFC 8288), resolved against
 * `base` (the URL the page was fetched from); undefined when there is none.
 */
export function nextPageUrl(response: Response, base: string | URL = response.url): URL | undefined {
  const link = linkOf(response);
  if (link === undefined) return undefined;
  for (const entry of splitLinks(link)) {
    const target = /^\s*<([^>]*)>/.exec(entry);
    if (!target) throw new ContractViolationError(`malformed Link header: ${link}`);
    const rels = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(entry.slice(target[0].length));
    const relations = (rels?.[1] ?? rels?.[2] ?? '').toLowerCase().split(/\s+/);
    if (relations.includes('next')) return new URL(target[1], base);
  }
  return undefined;
}

// Link values are separated by commas outside <…> and quoted strings.
function splitLinks(value: string): string[] {
  const entries: string[] = [];
  let start = 0;
  let inTarget = false;
  let inQuotes = false;
  for (let i = 0; i < value.length; i += 1) {
    const char = value[i];
    if (char === '<' && !inQuotes) inTarget = true;
    else if (char === '>' && !inQuotes) inTarget = false;
    else if (char === '"' && !inTarget) inQuotes = !inQuotes;
    else if (char === ',' && !inTarget && !inQuotes) {
      entries.push(value.slice(start, i));
      start = i + 1;
    }
  }
  entries.push(value.slice(start));
  return entries.filter((entry) => entry.trim() !== '');
}
