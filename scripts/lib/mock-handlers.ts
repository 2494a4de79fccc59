// The mock's handlers (scripts/mock.ts): the service's HTTP chain (src/app.ts's
// createHttpApp) runs around them, so routing, validation, media types, the
// body limit, request ids, problems, CORS, HEAD, OPTIONS, 404 and 501 are the
// service's own. What a handler does instead of reading the database:
// - listPassengers pages, filters and orders the rows of the spec's list
//   examples as the service pages a table (limit, after, and each filter the
//   spec declares, e.g. sex; Link while more rows exist; the page's ETag, 304);
// - every other operation (and the list under `Prefer`) asks Prism, which
//   answers from the spec's examples (`Prefer: code=404`, `example=…`,
//   `dynamic=true` as Prism documents); its error answers become the service's
//   problem+json (instance = this request's id), a GET whose ETag matches
//   If-None-Match is a 304, and a write whose If-Match names another version
//   than the examples' (1) is a 412.
import { request } from 'node:http';
import type { Context } from 'koa';
import type { OpenAPIBackend, Operation } from 'openapi-backend';
import type { components } from '../../generated/openapi';
import type { Handlers } from '../../src/http/api';
import { HttpProblem, type ProblemError } from '../../src/http/problem';
import { matchesIfNoneMatch, pageETag, parseIfMatch, toETag } from '../../src/passengers/passenger.etag';

type Passenger = components['schemas']['Passenger'];
// Paging parameters; every other query parameter of listPassengers is a
// filter on the Passenger field of its name (checked at start by listFilters).
interface ListQuery {
  limit: number;
  after?: string;
  [filter: string]: unknown;
}
const PAGING = new Set(['limit', 'after']);
// The handlers' common shape: the router checks each against its operation's
// types where the service's are written; these answer whatever Prism answers.
type MockHandler = (input: { query: unknown; body: unknown; ctx: Context }) => Promise<{
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}>;

// Every example row is at version 1, so its ETag is the service's for version 1.
const EXAMPLE_VERSION = 1;

interface PrismAnswer {
  status: number;
  headers: Record<string, string>;
  contentType: string;
  text: string;
}

// The headers the spec documents for the operation's answer of this status,
// but X-Request-Id, which the chain sets (Prism sends its example's); Prism's
// others (CORS, sl-violations) are not the service's.
function documentedHeaders(operation: Operation, status: number): string[] {
  const response = operation.responses?.[String(status)];
  const names = Object.keys((response && 'headers' in response ? response.headers : undefined) ?? {}).map((name) => name.toLowerCase());
  return names.filter((name) => name !== 'x-request-id');
}

function askPrism(prismPort: number, operation: Operation, ctx: Context, body: unknown): Promise<PrismAnswer> {
  const headers: Record<string, string> = {};
  for (const name of ['accept', 'prefer', 'if-match', 'if-none-match', 'authorization', 'content-type']) {
    const value = ctx.get(name);
    if (value !== '') headers[name] = value;
  }
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    // HEAD is answered from GET's route, as the service does; Koa drops the body.
    const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
    const upstream = request({ host: '127.0.0.1', port: prismPort, method, path: ctx.url, headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('error', reject);
      answer.on('end', () => {
        const kept: Record<string, string> = {};
        for (const name of documentedHeaders(operation, answer.statusCode ?? 502)) {
          const value = answer.headers[name];
          if (typeof value === 'string') kept[name] = value;
        }
        resolve({
          status: answer.statusCode ?? 502,
          headers: kept,
          contentType: answer.headers['content-type'] ?? '',
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    upstream.on('error', (err) => {
      reject(new Error(`Prism did not answer: ${err.message}`));
    });
    upstream.end(payload);
  });
}

// A conditional write (If-Match) whose tags do not name version 1, the
// version of every example row, is refused as the service refuses a stale one.
function checkIfMatch(ctx: Context): void {
  const ifMatch = ctx.get('If-Match');
  if (ifMatch === '' || ctx.get('Prefer') !== '') return;
  const parsed = parseIfMatch(ifMatch);
  if (!parsed.any && !parsed.versions.includes(EXAMPLE_VERSION)) {
    throw new HttpProblem(412, `The passenger has changed since ${ifMatch}; read it again.`, undefined, { ETag: toETag(EXAMPLE_VERSION) });
  }
}

function fromPrism(prismPort: number, operation: Operation): MockHandler {
  return async ({ body, ctx }) => {
    checkIfMatch(ctx);
    const answer = await askPrism(prismPort, operation, ctx, body);
    if (answer.status >= 400) {
      // The documented example problem, re-issued as the service issues one.
      const example = (answer.contentType.includes('json') ? JSON.parse(answer.text) : {}) as { detail?: string; errors?: ProblemError[] };
      throw new HttpProblem(answer.status, example.detail ?? answer.text, example.errors, answer.headers);
    }
    const etag = answer.headers.etag;
    if (ctx.method === 'GET' && etag && matchesIfNoneMatch(ctx.get('If-None-Match'), etag)) return { status: 304, body: undefined, headers: answer.headers };
    if (answer.text === '') return { status: answer.status, body: undefined, headers: answer.headers };
    const json = /^application\/json\b/.test(answer.contentType);
    return json
      ? { status: answer.status, body: JSON.parse(answer.text), headers: answer.headers }
      : { status: answer.status, body: answer.text, contentType: answer.contentType, headers: answer.headers };
  };
}

// Every row of every example of listPassengers' 200, once each, in uuid order.
function exampleRows(api: OpenAPIBackend): Passenger[] {
  const response = api.getOperation('listPassengers')?.responses?.['200'];
  const media = response && 'content' in response ? response.content?.['application/json'] : undefined;
  const rows = new Map<string, Passenger>();
  for (const example of Object.values(media?.examples ?? {})) {
    const value = 'value' in example ? (example.value as Passenger[]) : [];
    for (const row of value) rows.set(row.uuid, row);
  }
  return [...rows.values()].sort((a, b) => (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0));
}

// The list's filters, from the spec: each must name a field of the example
// rows, which it matches exactly; a parameter that does not stops the mock at
// start rather than being ignored (it would need its own rule here).
function listFilters(api: OpenAPIBackend, rows: readonly Passenger[]): (keyof Passenger)[] {
  const fields = new Set(rows.flatMap((row) => Object.keys(row)));
  const parameters = api.getOperation('listPassengers')?.parameters ?? [];
  const names = parameters.flatMap((parameter) => ('in' in parameter && parameter.in === 'query' && !PAGING.has(parameter.name) ? [parameter.name] : []));
  return names.map((name) => {
    if (!fields.has(name)) throw new Error(`listPassengers' query parameter ${name} is no Passenger field: scripts/lib/mock-handlers.ts has no rule for it`);
    return name as keyof Passenger;
  });
}

function listFromExamples(rows: readonly Passenger[], filters: readonly (keyof Passenger)[], prismAnswer: MockHandler): MockHandler {
  return async (input) => {
    if (input.ctx.get('Prefer') !== '') return prismAnswer(input);
    // Validated and coerced by the router, the spec's default limit applied.
    const query = input.query as ListQuery;
    const matching = rows.filter(
      (row) => (query.after === undefined || row.uuid > query.after) && filters.every((field) => query[field] === undefined || row[field] === query[field]),
    );
    const passengers = matching.slice(0, query.limit);
    const hasMore = matching.length > passengers.length;
    const etag = pageETag(
      passengers,
      passengers.map(() => EXAMPLE_VERSION),
      hasMore,
    );
    if (matchesIfNoneMatch(input.ctx.get('If-None-Match'), etag)) return { status: 304, body: undefined, headers: { ETag: etag } };
    const headers: Record<string, string> = { ETag: etag };
    if (hasMore) {
      const next = new URLSearchParams(input.ctx.querystring);
      next.set('after', passengers[passengers.length - 1].uuid);
      headers.Link = `<${input.ctx.path}?${next.toString()}>; rel="next"`;
    }
    return { status: 200, body: passengers, headers };
  };
}

export function mockHandlers(api: OpenAPIBackend, prismPort: number): Handlers {
  const handlers: Record<string, MockHandler> = {};
  for (const operation of api.getOperations()) if (operation.operationId) handlers[operation.operationId] = fromPrism(prismPort, operation);
  const rows = exampleRows(api);
  handlers.listPassengers = listFromExamples(rows, listFilters(api, rows), handlers.listPassengers);
  // The router calls each by its operationId with the input it validated.
  return handlers as unknown as Handlers;
}
