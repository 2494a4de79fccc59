import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/paths';
import { seedDemoIfEmpty } from '../../src/passengers/demo-seed';
import { type TestApp, openTestApp } from '../support/test-app';
import { silentLogger } from '../support/test-database';
import { startMock } from './start-mock';

// The same fixed requests to `npm run mock` and to the real service (demo data,
// the same CORS_ORIGINS), compared: status, which headers are present, the
// media type, and the body's shape (its keys and value types, arrays with
// their length). A difference fails unless docs/mock.md's mock-vs-real table
// lists it for that request, and a listed difference that no longer occurs
// fails too, so the table says what happens.
const ORIGIN = 'http://localhost:5173';
const EXAMPLE_UUID = '1b2c3d4e-0000-4000-8000-000000000001';
const MISSING_UUID = '00000000-0000-4000-8000-000000000000';
const PASSENGER = {
  survived: true,
  passengerClass: 2,
  name: 'Compared',
  sex: 'female',
  age: 30,
  siblingsOrSpousesAboard: 0,
  parentsOrChildrenAboard: 1,
  fare: 26,
};
const JSON_BODY = { 'Content-Type': 'application/json' };
const COMPARED_HEADERS = [
  'x-request-id',
  'etag',
  'link',
  'location',
  'allow',
  'accept-patch',
  'accept-post',
  'www-authenticate',
  'retry-after',
  'vary',
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
];

interface Probe {
  label: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  // Sent a second time with If-None-Match set to the first answer's ETag; the second answer is compared.
  revalidate?: boolean;
}

// In order: the reads first, so the one write that stores (a valid POST) cannot change them.
const PROBES: Probe[] = [
  { label: 'GET /hello', method: 'GET', path: '/hello' },
  { label: 'GET /passengerlist', method: 'GET', path: '/passengerlist' },
  { label: 'GET /passengerlist?limit=2', method: 'GET', path: '/passengerlist?limit=2' },
  { label: 'GET /passengerlist?limit=1&sex=female', method: 'GET', path: '/passengerlist?limit=1&sex=female' },
  { label: 'GET /passengerlist?survived=false&passengerClass=3&limit=1', method: 'GET', path: '/passengerlist?survived=false&passengerClass=3&limit=1' },
  { label: 'GET /passengerlist?limit=1&after=…01', method: 'GET', path: `/passengerlist?limit=1&after=${EXAMPLE_UUID}` },
  { label: 'GET /passengerlist?limit=0', method: 'GET', path: '/passengerlist?limit=0' },
  { label: 'GET /passengerlist?limit=2, If-None-Match', method: 'GET', path: '/passengerlist?limit=2', revalidate: true },
  { label: 'HEAD /passengerlist?limit=1', method: 'HEAD', path: '/passengerlist?limit=1' },
  { label: 'GET /getpassenger/…01', method: 'GET', path: `/getpassenger/${EXAMPLE_UUID}` },
  { label: 'GET /getpassenger/…01, If-None-Match', method: 'GET', path: `/getpassenger/${EXAMPLE_UUID}`, revalidate: true },
  { label: 'GET /getpassenger/not-a-uuid', method: 'GET', path: '/getpassenger/not-a-uuid' },
  { label: 'GET /getpassenger/{missing}', method: 'GET', path: `/getpassenger/${MISSING_UUID}` },
  { label: 'GET /nowhere', method: 'GET', path: '/nowhere' },
  { label: 'PROPFIND /hello', method: 'PROPFIND', path: '/hello' },
  { label: 'DELETE /hello', method: 'DELETE', path: '/hello' },
  { label: 'OPTIONS /passengerlist', method: 'OPTIONS', path: '/passengerlist' },
  {
    label: 'OPTIONS /postpassenger, CORS preflight',
    method: 'OPTIONS',
    path: '/postpassenger',
    headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
  },
  { label: 'GET /hello, allowed Origin', method: 'GET', path: '/hello', headers: { Origin: ORIGIN } },
  { label: 'GET /hello, other Origin', method: 'GET', path: '/hello', headers: { Origin: 'http://elsewhere.test' } },
  { label: 'GET /healthz', method: 'GET', path: '/healthz' },
  { label: 'GET /readyz', method: 'GET', path: '/readyz' },
  { label: 'POST /postpassenger, no Content-Type', method: 'POST', path: '/postpassenger', body: JSON.stringify(PASSENGER) },
  { label: 'POST /postpassenger, text/plain', method: 'POST', path: '/postpassenger', headers: { 'Content-Type': 'text/plain' }, body: 'x' },
  { label: 'POST /postpassenger, wrong fields', method: 'POST', path: '/postpassenger', headers: JSON_BODY, body: JSON.stringify({ ...PASSENGER, sex: 'x' }) },
  { label: 'POST /postpassenger, malformed JSON', method: 'POST', path: '/postpassenger', headers: JSON_BODY, body: '{"survived":' },
  { label: 'POST /postpassenger, 200 KB', method: 'POST', path: '/postpassenger', headers: JSON_BODY, body: JSON.stringify({ name: 'x'.repeat(200_000) }) },
  {
    label: 'PATCH /patchpassenger/…02, application/json',
    method: 'PATCH',
    path: '/patchpassenger/1b2c3d4e-0000-4000-8000-000000000002',
    headers: JSON_BODY,
    body: '{}',
  },
  {
    label: 'PATCH /patchpassenger/…02, wrong field',
    method: 'PATCH',
    path: '/patchpassenger/1b2c3d4e-0000-4000-8000-000000000002',
    headers: { 'Content-Type': 'application/merge-patch+json' },
    body: JSON.stringify({ passengerClass: 7 }),
  },
  {
    label: 'PUT /putpassenger/…03, text/plain',
    method: 'PUT',
    path: '/putpassenger/1b2c3d4e-0000-4000-8000-000000000003',
    headers: { 'Content-Type': 'text/plain' },
    body: 'x',
  },
  {
    label: 'PUT /putpassenger/…03, stale If-Match',
    method: 'PUT',
    path: '/putpassenger/1b2c3d4e-0000-4000-8000-000000000003',
    headers: { ...JSON_BODY, 'If-Match': '"999"' },
    body: JSON.stringify(PASSENGER),
  },
  { label: 'DELETE /deletepassenger/not-a-uuid', method: 'DELETE', path: '/deletepassenger/not-a-uuid' },
  { label: 'POST /postpassenger', method: 'POST', path: '/postpassenger', headers: JSON_BODY, body: JSON.stringify(PASSENGER) },
];

interface Answer {
  status: number;
  headers: string[];
  mediaType: string;
  requestId: string | null;
  shape: unknown;
  instance: unknown;
}

// Keys and value types, arrays element by element (so their length counts).
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, shapeOf((value as Record<string, unknown>)[key])]),
    );
  }
  return value === null ? 'null' : typeof value;
}

async function send(base: string, probe: Probe, requestId: string): Promise<Answer> {
  const call = (extra: Record<string, string> = {}) =>
    fetch(`${base}${probe.path}`, { method: probe.method, headers: { 'X-Request-Id': requestId, ...probe.headers, ...extra }, body: probe.body });
  let res = await call();
  if (probe.revalidate) res = await call({ 'If-None-Match': res.headers.get('etag') ?? '' });
  const mediaType = (res.headers.get('content-type') ?? '').split(';')[0].trim();
  const text = await res.text();
  const body = mediaType.endsWith('json') && text !== '' ? (JSON.parse(text) as unknown) : undefined;
  return {
    status: res.status,
    headers: COMPARED_HEADERS.filter((name) => res.headers.has(name)),
    mediaType,
    requestId: res.headers.get('x-request-id'),
    shape: body === undefined ? (text === '' ? 'empty' : 'text') : shapeOf(body),
    instance: body !== null && typeof body === 'object' && 'instance' in body ? body.instance : undefined,
  };
}

function differences(mock: Answer, real: Answer): string[] {
  const found: string[] = [];
  if (mock.status !== real.status) found.push('status');
  for (const name of COMPARED_HEADERS) if (mock.headers.includes(name) !== real.headers.includes(name)) found.push(`header ${name}`);
  if (mock.mediaType !== real.mediaType) found.push('content-type');
  if (JSON.stringify(mock.shape) !== JSON.stringify(real.shape)) found.push('body');
  return found;
}

// The "mock vs real" table of docs/mock.md: a row per listed difference, its request
// label in backticks in the first cell, the aspects that differ in the second.
function listedDifferences(): Map<string, string[]> {
  const page = readFileSync(join(ROOT, 'docs', 'mock.md'), 'utf8');
  const section = /<!-- mock-vs-real -->\n([\s\S]*?)\n\n/.exec(page)?.[1];
  if (!section) throw new Error('docs/mock.md has no table after <!-- mock-vs-real -->');
  const listed = new Map<string, string[]>();
  for (const row of section.split('\n').slice(2)) {
    const [, label = '', aspects = ''] = row.split('|').map((cell) => cell.trim());
    listed.set(
      label.replace(/^`|`$/g, ''),
      aspects.split(',').map((aspect) => aspect.trim().replace(/^`|`$/g, '')),
    );
  }
  return listed;
}

let app: TestApp;
let server: Server;
let mock: ChildProcess | undefined;
const answers = new Map<string, { mock: Answer; real: Answer }>();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => {
        resolve(port);
      });
    });
    probe.on('error', reject);
  });
}

beforeAll(async () => {
  const port = await freePort();
  const started = startMock(port, { CORS_ORIGINS: ORIGIN });
  app = await openTestApp({ corsOrigins: [ORIGIN] });
  await seedDemoIfEmpty(app.database.handle.db, silentLogger);
  server = createServer((req, res) => void app.listener(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mock = await started;
  const realBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const [index, probe] of PROBES.entries()) {
    const requestId = `compare-${index}`;
    answers.set(probe.label, { mock: await send(`http://127.0.0.1:${port}`, probe, requestId), real: await send(realBase, probe, requestId) });
  }
}, 60_000);
afterAll(async () => {
  mock?.kill('SIGTERM');
  await new Promise((resolve) => server.close(resolve));
  await app.database.close();
});

describe('the mock against the real service, request by request', () => {
  it(`sends ${PROBES.length} fixed requests, at least 20`, () => {
    expect(answers.size).toBe(PROBES.length);
    expect(PROBES.length).toBeGreaterThanOrEqual(20);
  });

  it('differs only where the docs/mock.md table says, and the table lists nothing that does not differ', () => {
    const found = PROBES.flatMap((probe) => {
      const { mock: fromMock, real } = answers.get(probe.label)!;
      const aspects = differences(fromMock, real);
      return aspects.length ? [{ request: probe.label, aspects, mock: fromMock, real }] : [];
    });
    const listed = listedDifferences();
    expect(found.map(({ request, aspects }) => ({ request, aspects: listed.get(request) === undefined ? aspects : aspects.sort() }))).toEqual(
      [...listed].map(([request, aspects]) => ({ request, aspects: aspects.sort() })),
    );
  });

  it("echoes the caller's X-Request-Id on every answer and sets it as every problem's instance, as the service does", () => {
    for (const [index, probe] of PROBES.entries()) {
      for (const answer of Object.values(answers.get(probe.label)!)) {
        expect({ request: probe.label, requestId: answer.requestId }).toEqual({ request: probe.label, requestId: `compare-${index}` });
        if (answer.mediaType === 'application/problem+json')
          expect({ request: probe.label, instance: answer.instance }).toEqual({ request: probe.label, instance: `compare-${index}` });
      }
    }
  });
});
