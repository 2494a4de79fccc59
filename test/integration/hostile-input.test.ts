import fc from 'fast-check';
import type { Response } from 'supertest';
import type { Passenger } from '../../src/passengers/passenger.table';
import { brokenObject, hostileStrings, invalid, parametersOf, schemaAt, validObject } from '../support/spec-arbitraries';
import { expectProblem, useTestApp } from '../support/test-app';
import { backend } from '../support/test-database';
import { postTestPassenger } from '../support/fixtures';
import type { Problem } from '../../src/http/problem';

// Property-based: thousands of requests generated from the spec, valid and
// broken in every way the schema allows. Invariants: never a 5xx, every
// rejection is problem+json naming the field, valid writes round-trip exactly,
// and the table changes only by accepted writes.

const PASSENGER_INPUT = '#/components/schemas/PassengerInput';
const RUNS = Number(process.env.HOSTILE_INPUT_RUNS ?? 400);
const casesRun: Record<string, number> = {};
// Bounded by RUNS; generous so a busy machine slows the run without failing it.
const PROPERTY_TIMEOUT_MS = 120_000;

const app = useTestApp();
afterAll(() => {
  const total = Object.values(casesRun).reduce((sum, n) => sum + n, 0);
  process.stdout.write(`hostile input on ${backend}: ${total} generated requests ${JSON.stringify(casesRun)}\n`);
});

function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDFFF]/u.test(text);
}

function count(kind: string): void {
  casesRun[kind] = (casesRun[kind] ?? 0) + 1;
}

function expectNoServerError(res: Response, request: string): void {
  if (res.status >= 500) throw new Error(`${res.status} for ${request}: ${res.text}`);
}

// Every row, following the keyset pages (a page holds at most 1000).
async function listAll(): Promise<Passenger[]> {
  const all: Passenger[] = [];
  for (let after = ''; ;) {
    const res = await app.request.get(`/passengerlist${after ? `?after=${after}` : ''}`);
    expect(res.status).toBe(200);
    const page = res.body as Passenger[];
    all.push(...page);
    if (!res.headers.link) return all;
    after = page[page.length - 1].uuid;
  }
}

function post(text: string) {
  return app.request.post('/postpassenger').set('Content-Type', 'application/json').send(text);
}

// A refused body names the broken field: the field itself, or the exact spot
// inside its value (a __proto__ key nested in an unknown field is refused by
// the JSON parser and reported where it sits, e.g. /uuid/__proto__).
function expectNamesField(res: Response, field: string): void {
  expectProblem(res, 400);
  const paths: string[] = (res.body as Problem).errors!.map((error: { path: string }) => error.path);
  const pointer = `/${field}`;
  const naming = paths.filter((path) => path === pointer || path.startsWith(`${pointer}/`));
  // Compared with the paths alongside, so a failure shows what was named instead.
  expect({ field: pointer, paths, named: naming.length > 0 }).toEqual({ field: pointer, paths, named: true });
}

describe(`hostile input generated from the spec on ${backend}`, () => {
  beforeAll(async () => app.database.truncate());

  it(
    'creates exactly the valid bodies and refuses each broken one naming its field',
    async () => {
      // The app runs in this process: a body whose __proto__ key reached a merge
      // would leave a property on every object, whatever its name.
      const prototypeBefore = Object.getOwnPropertyNames(Object.prototype);
      const accepted = new Map<string, unknown>();
      const body = fc.oneof(
        validObject(schemaAt(PASSENGER_INPUT)).map((input) => ({ kind: 'valid' as const, input })),
        brokenObject(schemaAt(PASSENGER_INPUT)).map((broken) => ({ kind: 'broken' as const, broken })),
      );
      await fc.assert(
        fc.asyncProperty(body, async (generated) => {
          if (generated.kind === 'valid') {
            count('POST valid');
            const res = await post(JSON.stringify(generated.input));
            expectNoServerError(res, JSON.stringify(generated.input));
            expect(res.status).toBe(201);
            expect(res.body).toEqual({ ...generated.input, uuid: (res.body as Passenger).uuid });
            const read = await app.request.get(`/getpassenger/${(res.body as Passenger).uuid}`);
            expect(read.body).toEqual(res.body);
            accepted.set((res.body as Passenger).uuid, res.body);
          } else {
            count(`POST ${generated.broken.how}`);
            const res = await post(generated.broken.text);
            expectNoServerError(res, generated.broken.text);
            expectNamesField(res, generated.broken.field);
            expect((res.body as Problem).errors!.every((error: { in: string }) => error.in === 'body')).toBe(true);
          }
        }),
        { numRuns: RUNS * 3 },
      );
      const stored = await listAll();
      expect(stored).toHaveLength(accepted.size);
      for (const passenger of stored) expect(passenger).toEqual(accepted.get(passenger.uuid));
      expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeBefore);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'replaces only with valid bodies; a refused PUT leaves the row as it was',
    async () => {
      const created = await post(JSON.stringify(postTestPassenger));
      const uuid: string = (created.body as Passenger).uuid;
      const body = fc.oneof(
        validObject(schemaAt(PASSENGER_INPUT)).map((input) => ({ kind: 'valid' as const, text: JSON.stringify(input), input, field: '' })),
        brokenObject(schemaAt(PASSENGER_INPUT)).map((broken) => ({ kind: 'broken' as const, text: broken.text, input: undefined, field: broken.field })),
      );
      const rows = (await listAll()).length;
      await fc.assert(
        fc.asyncProperty(body, async (generated) => {
          count(`PUT ${generated.kind}`);
          // Read first, so every case stands alone (and shrinks) whatever ran before it.
          const before = (await app.request.get(`/getpassenger/${uuid}`)).body as Passenger;
          const res = await app.request.put(`/putpassenger/${uuid}`).set('Content-Type', 'application/json').send(generated.text);
          expectNoServerError(res, generated.text);
          if (generated.kind === 'valid') {
            expect(res.status).toBe(200);
            expect(res.body).toEqual({ ...generated.input, uuid });
          } else {
            expectNamesField(res, generated.field);
          }
          expect((await app.request.get(`/getpassenger/${uuid}`)).body).toEqual(generated.kind === 'valid' ? res.body : before);
        }),
        { numRuns: RUNS },
      );
      expect(await listAll()).toHaveLength(rows);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers every generated query string with a page or a 400 naming the parameter',
    async () => {
      // Every query parameter of listPassengers; the others at their spec examples.
      const specParameters = parametersOf('/passengerlist', 'get').filter((parameter) => parameter.in === 'query');
      const parameters = specParameters.map((parameter) => parameter.name);
      const schemaOf = (name: string) => specParameters.find((parameter) => parameter.name === name)!.schema;
      const fine = Object.fromEntries(specParameters.map((parameter) => [parameter.name, String(parameter.example)]));
      const brokenValue = (name: string) =>
        fc.oneof(
          invalid(schemaOf(name)).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
          fc.constantFrom(...hostileStrings),
        );
      const query = fc.tuple(
        fc.constantFrom(...parameters).chain((name) => fc.tuple(fc.constant(name), brokenValue(name))),
        fc.subarray(parameters),
      );
      await fc.assert(
        fc.asyncProperty(query, async ([[name, broken], others]) => {
          count('GET query');
          const search = new URLSearchParams();
          for (const other of others) if (other !== name) search.append(other, fine[other]);
          search.append(name, broken);
          const res = await app.request.get(`/passengerlist?${search.toString()}`);
          expectNoServerError(res, search.toString());
          if (res.status === 200) {
            expect(Array.isArray(res.body)).toBe(true);
          } else {
            expectProblem(res, 400, [`/${name}`]);
          }
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers every generated path parameter with 404, or 400 naming /uuid',
    async () => {
      // Percent-encoded text, plus encodings no text has: a lone surrogate's
      // UTF-8 bytes, bytes that are never UTF-8, broken escapes, traversal.
      const encodable = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom(...hostileStrings), fc.uuid());
      const segment = fc.oneof(
        encodable.filter(isWellFormed).map(encodeURIComponent),
        fc.constantFrom('%ED%B0%80', '%FF%FE', '%', '%zz', '..%2F..%2Fetc%2Fpasswd', '%00', '.', '..'),
      );
      const method = fc.constantFrom('get', 'put', 'delete');
      await fc.assert(
        fc.asyncProperty(method, segment, async (verb, segmentText) => {
          count(`${verb.toUpperCase()} path`);
          const path = { get: '/getpassenger/', put: '/putpassenger/', delete: '/deletepassenger/' }[verb] + segmentText;
          const res = verb === 'put' ? await app.request.put(path).send(postTestPassenger) : await app.request[verb](path);
          expectNoServerError(res, path);
          if (res.status === 400) expectProblem(res, 400, ['/uuid']);
          else expectProblem(res, 404);
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
