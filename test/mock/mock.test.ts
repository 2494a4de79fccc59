import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { OpenAPIBackend, Operation } from 'openapi-backend';
import { createOpenApiBackend, loadSpec } from '../../src/http/api';
import { PROBLEM_CONTENT_TYPE } from '../../src/http/problem';
import { ROOT } from '../support/server-process';

// `npm run mock` exactly as package.json defines it, so the test proves the
// command a frontend developer runs.
const MOCK_URL = 'http://127.0.0.1:4010';
const mockScript: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.mock;

let mock: ChildProcess;
let api: OpenAPIBackend;

beforeAll(async () => {
  const [command, ...args] = mockScript.split(/\s+/);
  mock = spawn(join(ROOT, 'node_modules', '.bin', command), args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const listening = new Promise<void>((resolve, reject) => {
    mock.once('exit', (code) => reject(new Error(`prism mock exited with ${code}:\n${log.join('\n')}`)));
    for (const stream of [mock.stdout!, mock.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        log.push(line);
        if (line.includes('Prism is listening')) resolve();
      });
    }
  });
  [api] = await Promise.all([createOpenApiBackend(loadSpec()), listening]);
});
afterAll(() => {
  mock?.kill('SIGKILL');
});

// The example request of an operation: path parameters from their examples,
// the body from the request body's first example.
function exampleRequest(operation: Operation): { url: string; init: RequestInit } {
  let path = operation.path;
  for (const parameter of operation.parameters ?? []) {
    if ('in' in parameter && parameter.in === 'path') path = path.replace(`{${parameter.name}}`, String(parameter.example));
  }
  const init: RequestInit = { method: operation.method.toUpperCase() };
  // The body in the operation's own media type (PATCH: application/merge-patch+json).
  type Media = { examples?: Record<string, { value?: unknown }> };
  const [mediaType, content] = operation.requestBody && 'content' in operation.requestBody
    ? (Object.entries(operation.requestBody.content)[0] as [string, Media])
    : [];
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
  const media = content && Object.values(content)[0];
  const example = media?.examples && Object.values(media.examples)[0];
  return example && 'value' in example ? example.value : undefined;
}

function expectValid(operation: Operation, status: number, body: unknown): void {
  const check = api.validateResponse(body, operation, status);
  expect(check.errors ?? []).toEqual([]);
}

describe('npm run mock (Prism on port 4010)', () => {
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
      const body = JSON.parse(text);
      expect(body).toEqual(example);
      expectValid(operation, res.status, body);
    }
  });

  it('answers Prefer: code=404 with the documented problem+json', async () => {
    const operation = api.getOperation('getPassenger')!;
    const { url } = exampleRequest(operation);
    const res = await fetch(url, { headers: { Prefer: 'code=404' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    expect(await res.json()).toEqual(firstExample(operation, '404'));
  });

  // Prism answers an invalid request with 422 only when the operation
  // documents no 400; ours do, so the mock answers like the real service: the
  // documented 400 problem+json, with the violation named in sl-violations.
  it('refuses an invalid body with the documented 400 problem+json, naming the field', async () => {
    const operation = api.getOperation('createPassenger')!;
    const { url, init } = exampleRequest(operation);
    const res = await fetch(url, { ...init, body: JSON.stringify({ ...JSON.parse(String(init.body)), sex: 'other' }) });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    expect(await res.json()).toEqual(firstExample(operation, '400'));
    const violations = JSON.parse(res.headers.get('sl-violations') ?? '[]');
    expect(violations).toEqual([expect.objectContaining({ location: ['request', 'body', 'sex'], severity: 'Error' })]);
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
