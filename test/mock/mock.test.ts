import type { ChildProcess } from 'node:child_process';
import type { OpenAPIBackend, Operation } from 'openapi-backend';
import { createOpenApiBackend } from '../../src/http/api';
import { PROBLEM_CONTENT_TYPE, type Problem } from '../../src/http/problem';
import { mockPort } from '../../scripts/mock';
import { loadSpec } from '../../src/spec';
import { startMock } from './start-mock';

// On MOCK_PORT (4010 unless set), the documented port.
const PORT = mockPort(process.env);
const MOCK_URL = `http://127.0.0.1:${PORT}`;

let mock: ChildProcess | undefined;
let api: OpenAPIBackend;

beforeAll(async () => {
  [api, mock] = await Promise.all([createOpenApiBackend(loadSpec()), startMock(PORT)]);
});
afterAll(() => {
  // SIGTERM: the mock stops the Prism process behind it.
  mock?.kill('SIGTERM');
});

// The example request of an operation: path parameters from their examples,
// the body from the request body's first example.
interface Media {
  examples?: Record<string, { value?: unknown }>;
}
// A RequestInit whose headers and body are the plain values exampleRequest sets, so tests can spread and re-read them.
interface MockRequest {
  method: string;
  headers?: Record<string, string>;
  body?: string;
}

function exampleRequest(operation: Operation): { url: string; init: MockRequest } {
  let path = operation.path;
  for (const parameter of operation.parameters ?? []) {
    if ('in' in parameter && parameter.in === 'path') path = path.replace(`{${parameter.name}}`, String(parameter.example));
  }
  const init: MockRequest = { method: operation.method.toUpperCase() };
  // The body in the operation's own media type (PATCH: application/merge-patch+json).
  const [mediaType, content] =
    operation.requestBody && 'content' in operation.requestBody ? (Object.entries(operation.requestBody.content)[0] as [string, Media]) : [];
  if (mediaType && content?.examples) {
    const [example] = Object.values(content.examples);
    init.body = JSON.stringify(example.value);
    init.headers = { 'Content-Type': mediaType };
  }
  return { url: `${MOCK_URL}${path}`, init };
}

function firstMediaType(operation: Operation, status: string): string | undefined {
  const response = operation.responses?.[status];
  return response && 'content' in response && response.content ? Object.keys(response.content)[0] : undefined;
}

function firstExample(operation: Operation, status: string): unknown {
  const response = operation.responses?.[status];
  const content = response && 'content' in response ? response.content : undefined;
  const media = content && (Object.values(content)[0] as Media | undefined);
  const example = media?.examples && Object.values(media.examples)[0];
  return example && 'value' in example ? example.value : undefined;
}

// listPassengers pages the rows of all its examples, in uuid order.
function exampleRows(operation: Operation): { uuid: string }[] {
  const response = operation.responses?.['200'];
  const media = (response && 'content' in response ? response.content?.['application/json'] : undefined) as Media | undefined;
  const rows = Object.values(media?.examples ?? {}).flatMap((example) => example.value as { uuid: string }[]);
  return rows.sort((a, b) => a.uuid.localeCompare(b.uuid));
}

function expectValid(operation: Operation, status: number, body: unknown): void {
  const check = api.validateResponse(body, operation, status);
  expect(check.errors ?? []).toEqual([]);
}

describe("npm run mock (the service's HTTP layer over Prism and the examples, on MOCK_PORT)", () => {
  it('listens on MOCK_PORT, 4010 by default, and refuses a port that is no port naming the variable', () => {
    expect(mockPort({})).toBe(4010);
    expect(mockPort({ MOCK_PORT: '4999' })).toBe(4999);
    expect(() => mockPort({ MOCK_PORT: 'x' })).toThrow('MOCK_PORT must be an integer from 1 to 65535, got "x"');
  });

  it('answers every operation with its first success example, valid against its schema', async () => {
    const operations = api.getOperations();
    expect(operations.length).toBeGreaterThan(0);
    for (const operation of operations) {
      const { url, init } = exampleRequest(operation);
      const res = await fetch(url, init);
      const success = Object.keys(operation.responses ?? {}).find((code) => code.startsWith('2'))!;
      expect({ operation: operation.operationId, status: res.status }).toEqual({ operation: operation.operationId, status: Number(success) });
      const text = await res.text();
      const example = firstExample(operation, success);
      if (example === undefined) {
        expect(text).toBe('');
        continue;
      }
      const mediaType = firstMediaType(operation, success)!;
      expect(res.headers.get('content-type')).toContain(mediaType);
      // /docs (text/html) and /metrics (text/plain) have string examples, served as they are.
      if (!mediaType.includes('json')) {
        expect(text).toBe(example);
        continue;
      }
      const body = JSON.parse(text) as unknown;
      expect(body).toEqual(operation.operationId === 'listPassengers' ? exampleRows(operation) : example);
      expectValid(operation, res.status, body);
    }
  });

  it('answers Prefer: code=404 with the documented problem+json', async () => {
    const operation = api.getOperation('getPassenger')!;
    const { url } = exampleRequest(operation);
    const res = await fetch(url, { headers: { Prefer: 'code=404' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    // The example's problem, its instance this request's id, as the service sets it.
    expect(await res.json()).toEqual({ ...(firstExample(operation, '404') as object), instance: res.headers.get('x-request-id') });
  });

  // As the real service: Prism alone would answer the 400 *example* whatever was wrong.
  it('refuses an invalid body with problem+json whose errors name exactly the wrong fields', async () => {
    const operation = api.getOperation('createPassenger')!;
    const { url, init } = exampleRequest(operation);
    const body = JSON.stringify({ ...JSON.parse(String(init.body)), sex: 'other', passengerClass: 5 });
    const res = await fetch(url, { ...init, body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    const problem = (await res.json()) as Problem;
    expect((problem.errors ?? []).map((error) => `${error.in} ${error.path}`).sort()).toEqual(['body /passengerClass', 'body /sex']);
    expect(problem.instance).toBe(res.headers.get('x-request-id'));
  });

  it('names a wrong query or path parameter the same way', async () => {
    const limit = (await (await fetch(`${MOCK_URL}/passengerlist?limit=0`)).json()) as Problem;
    expect(limit.errors).toEqual([{ in: 'query', path: '/limit', message: 'must be >= 1' }]);
    const uuid = (await (await fetch(`${MOCK_URL}/getpassenger/urn:uuid:1b2c3d4e-0000-4000-8000-000000000001`)).json()) as Problem;
    expect(uuid.errors).toEqual([expect.objectContaining({ in: 'path', path: '/uuid' })]);
  });

  it('names a wrong field of a merge patch', async () => {
    const res = await fetch(`${MOCK_URL}/patchpassenger/1b2c3d4e-0000-4000-8000-000000000002`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ passengerClass: 7 }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Problem).errors).toEqual([{ in: 'body', path: '/passengerClass', message: 'must be <= 3' }]);
  });

  it('answers malformed JSON with problem+json', async () => {
    const res = await fetch(`${MOCK_URL}/postpassenger`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"survived":' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    expect(((await res.json()) as Problem).errors).toEqual([{ in: 'body', path: '', message: 'malformed JSON' }]);
  });

  it('filters the example rows by each list parameter and pages them by limit and after, as the service pages a table', async () => {
    const rows = exampleRows(api.getOperation('listPassengers')!) as { uuid: string; sex: string; survived: boolean; passengerClass: number }[];
    const list = async (query: string) => ((await (await fetch(`${MOCK_URL}/passengerlist?${query}`)).json()) as { uuid: string }[]).map((row) => row.uuid);
    const uuids = (keep: (row: (typeof rows)[number]) => boolean) => rows.filter(keep).map((row) => row.uuid);
    expect(await list('sex=male')).toEqual(uuids((row) => row.sex === 'male'));
    expect(await list('survived=true&passengerClass=1')).toEqual(uuids((row) => row.survived && row.passengerClass === 1));
    expect(await list('limit=1')).toEqual(uuids(() => true).slice(0, 1));
    expect(await list(`after=${rows[1].uuid}&limit=1`)).toEqual([rows[2].uuid]);
  });

  it('ends a loop that follows Link rel="next" over /passengerlist', async () => {
    const seen: string[] = [];
    let next: string | undefined = `${MOCK_URL}/passengerlist?limit=2`;
    let pages = 0;
    while (next && pages < 10) {
      const res = await fetch(next);
      expect(res.status).toBe(200);
      seen.push(...((await res.json()) as { uuid: string }[]).map((passenger) => passenger.uuid));
      const link = /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '')?.[1];
      next = link && new URL(link, MOCK_URL).toString();
      pages += 1;
    }
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(seen);
  });

  it('answers PATCH with the patched example, and 415 with Accept-Patch on Prefer: code=415', async () => {
    const operation = api.getOperation('patchPassenger')!;
    const { url, init } = exampleRequest(operation);
    expect(init.headers).toEqual({ 'Content-Type': 'application/merge-patch+json' });
    const res = await fetch(url, init);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(firstExample(operation, '200'));
    const refused = await fetch(url, { ...init, headers: { ...init.headers, Prefer: 'code=415' } });
    expect(refused.status).toBe(415);
    expect(refused.headers.get('accept-patch')).toBe('application/merge-patch+json');
  });

  it('answers the documented 304 with an ETag and no body on Prefer: code=304', async () => {
    for (const operationId of ['getPassenger', 'listPassengers'] as const) {
      const { url } = exampleRequest(api.getOperation(operationId)!);
      const res = await fetch(url, { headers: { Prefer: 'code=304', 'If-None-Match': '"1"' } });
      expect({ operationId, status: res.status }).toEqual({ operationId, status: 304 });
      expect(res.headers.get('etag')).toBeTruthy();
      expect(await res.text()).toBe('');
    }
  });

  it('with Prefer: dynamic=true returns generated data valid against the schema', async () => {
    for (const operationId of ['listPassengers', 'getPassenger', 'createPassenger'] as const) {
      const operation = api.getOperation(operationId)!;
      const { url, init } = exampleRequest(operation);
      const res = await fetch(url, { ...init, headers: { ...init.headers, Prefer: 'dynamic=true' } });
      expect(res.status).toBeLessThan(300);
      const body = await res.json();
      expect(body).not.toEqual(firstExample(operation, String(res.status)));
      expectValid(operation, res.status, body);
    }
  });
});
