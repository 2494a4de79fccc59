import fc from 'fast-check';
import { createPassenger } from '../../../src/passengers/passenger.repository';
import type { Passenger, PassengerInput } from '../../../src/passengers/passenger.table';
import { postTestPassenger } from '../../support/fixtures';
import { schemaAt, validObject } from '../../support/spec-arbitraries';
import { useTestApp } from '../../support/test-app';
import { backend } from '../../support/test-database';

// GET /passengerlist's filters and keyset paging against an in-memory model
// of the same rows. The demo data cannot tell a dropped filter from a kept one
// (every first-class woman in it survived), so these tests bring their own.

type Filter = Partial<Pick<PassengerInput, 'survived' | 'passengerClass' | 'sex'>>;
// false first: a statement is compiled on its shape's first call and reused
// (compiled-queries.ts), so a filter that mistakes false for "absent" shows
// only when false is the value it first sees.
const FILTER_VALUES = {
  survived: [false, true],
  passengerClass: [1, 2, 3],
  sex: ['male', 'female'],
} as const satisfies { [K in keyof Filter]-?: readonly Filter[K][] };
const FILTER_KEYS = Object.keys(FILTER_VALUES) as (keyof Filter)[];

const RUNS = Number(process.env.LIST_MODEL_RUNS ?? 40);
const PROPERTY_TIMEOUT_MS = 120_000;

const app = useTestApp();

async function store(inputs: PassengerInput[]): Promise<Passenger[]> {
  await app.database.truncate();
  const stored: Passenger[] = [];
  for (const input of inputs) stored.push((await createPassenger(app.database.handle.db, input)).passenger);
  return stored;
}

// The model: the rows that match, in uuid order (PostgreSQL orders uuids as
// their lower-case hex text), after `after` when given.
function model(rows: Passenger[], filter: Filter, after?: string): string[] {
  return rows
    .filter((p) => FILTER_KEYS.every((key) => filter[key] === undefined || p[key] === filter[key]))
    .map((p) => p.uuid)
    .filter((uuid) => after === undefined || uuid > after)
    .sort();
}

function query(filter: Filter, extra: Record<string, string> = {}): string {
  const entries = FILTER_KEYS.flatMap((key): [string, string][] => (filter[key] === undefined ? [] : [[key, String(filter[key])]]));
  return new URLSearchParams([...entries, ...Object.entries(extra)]).toString();
}

// Every page from `first` on, through Link rel="next"; each page but the last
// is full, and there are never more rows than `stored`.
async function walk(first: string, limit: number, stored: number): Promise<string[]> {
  const seen: string[] = [];
  for (let url: string | undefined = first; url !== undefined;) {
    const res = await app.request.get(url);
    expect(res.status).toBe(200);
    const page = (res.body as Passenger[]).map((p) => p.uuid);
    seen.push(...page);
    let next: string | undefined;
    if (Object.hasOwn(res.headers, 'link')) {
      next = /^<([^>]+)>; rel="next"$/.exec(res.headers.link)?.[1];
      expect(next).toBeDefined();
      expect(page).toHaveLength(limit);
    }
    // A Link that goes round in circles fails here.
    expect(seen.length).toBeLessThanOrEqual(stored);
    url = next;
  }
  return seen;
}

// Every combination of the three filters, each one absent or set to each of its values.
const combinations: Filter[] = FILTER_KEYS.reduce<Filter[]>(
  (filters, key) => filters.flatMap((filter) => [filter, ...FILTER_VALUES[key].map((value) => ({ ...filter, [key]: value }))]),
  [{}],
);

describe(`GET /passengerlist filters on ${backend}`, () => {
  // Each of the 12 (survived, class, sex) cells holds a different number of
  // rows (1 to 12), so dropping a filter, or matching another value, always
  // changes which rows come back.
  const cells = combinations.filter((filter) => FILTER_KEYS.every((key) => filter[key] !== undefined)) as Required<Filter>[];
  const grid: PassengerInput[] = cells.flatMap((cell, i) =>
    Array.from({ length: i + 1 }, (_, n) => ({ ...postTestPassenger, ...cell, name: `Cell ${i} row ${n}` })),
  );
  // Stored once: these tests only read.
  let rows: Passenger[];
  beforeAll(async () => {
    rows = await store(grid);
  });

  it.each(combinations.map((filter) => [query(filter) || '(no filter)', filter] as const))('%s answers exactly the matching rows', async (_, filter) => {
    const expected = model(rows, filter);
    // The data's teeth: the answer differs without each filter and with each other value.
    for (const key of FILTER_KEYS) {
      if (filter[key] === undefined) continue;
      expect(model(rows, { ...filter, [key]: undefined })).not.toEqual(expected);
      for (const other of FILTER_VALUES[key].filter((value) => value !== filter[key])) expect(model(rows, { ...filter, [key]: other })).not.toEqual(expected);
    }
    const res = await app.request.get(`/passengerlist?${query(filter, { limit: '1000' })}`);
    expect(res.status).toBe(200);
    expect((res.body as Passenger[]).map((p) => p.uuid)).toEqual(expected);
    expect(res.headers.link).toBeUndefined();
  });
});

describe(`GET /passengerlist paging on ${backend}`, () => {
  it(
    'pages through any rows, with any filters, limit and starting point, exactly as the model does',
    async () => {
      const filter = fc.record(
        {
          survived: fc.constantFrom(...FILTER_VALUES.survived),
          passengerClass: fc.constantFrom(...FILTER_VALUES.passengerClass),
          sex: fc.constantFrom(...FILTER_VALUES.sex),
        },
        { requiredKeys: [] },
      );
      // Start at the beginning, after a stored row (by its index), or after any uuid.
      const after = fc.oneof(fc.constant(undefined), fc.nat(), fc.uuid());
      const rows = fc.array(validObject(schemaAt('#/components/schemas/PassengerInput')) as fc.Arbitrary<PassengerInput>, { maxLength: 30 });
      await fc.assert(
        fc.asyncProperty(rows, filter, fc.integer({ min: 1, max: 8 }), after, async (inputs, generated, limit, start) => {
          const stored = await store(inputs);
          const afterUuid = typeof start === 'number' ? stored[start % Math.max(stored.length, 1)]?.uuid : start;
          const extra: Record<string, string> = { limit: String(limit), ...(afterUuid === undefined ? {} : { after: afterUuid }) };
          expect(await walk(`/passengerlist?${query(generated, extra)}`, limit, stored.length)).toEqual(model(stored, generated, afterUuid));
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
