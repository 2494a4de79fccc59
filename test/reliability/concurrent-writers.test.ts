import { Client } from 'pg';
import type { Passenger } from '../../src/passengers/passenger.table';
import supertest from 'supertest';
import { postPassenger, postTestPassenger } from '../support/fixtures';
import { type ServerProcess, startServer } from '../../scripts/lib/server-process';
import { createScratchSchema } from '../support/test-database';

// Concurrent writers against the built server on PostgreSQL: 50 writers
// read-modify-write one row with If-Match (exactly one winner per version,
// no lost update), and 1,000 concurrent creates leave exactly 1,000 rows.

const WRITERS = 50;
const CREATES = 1_000;

const url = process.env.TEST_DATABASE_URL;
if (!url) throw new Error('TEST_DATABASE_URL is required (npm run test:reliability runs under .ci/run)');

let server: ServerProcess | undefined;
let scratch: Awaited<ReturnType<typeof createScratchSchema>> | undefined;
const figures: string[] = [];

beforeAll(async () => {
  scratch = await createScratchSchema(url);
  server = await startServer({ DATABASE_URL: scratch.url, SEED_DEMO_DATA: 'false', SHUTDOWN_DRAIN_MS: '0' });
});

afterAll(async () => {
  await server?.stop();
  await scratch?.drop();
  process.stdout.write(`concurrent writers: ${figures.join('; ')}\n`);
});

async function rowCount(): Promise<{ rows: number; names: number }> {
  const client = new Client({ connectionString: scratch!.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ rows: number; names: number }>('select count(*)::int as rows, count(distinct name)::int as names from passenger');
    return rows[0];
  } finally {
    await client.end();
  }
}

function json(body: unknown): RequestInit {
  return { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

describe('concurrent writers on PostgreSQL', () => {
  it(`lets exactly one of ${WRITERS} concurrent If-Match writers win each version, losing no update`, async () => {
    const { uuid } = await postPassenger(supertest(server!.baseUrl), { ...postTestPassenger, siblingsOrSpousesAboard: 0 });
    let preconditionFailures = 0;
    // 412s whose ETag (the version now stored) is the one the writer sent.
    const spurious: string[] = [];

    // Each writer adds one to siblingsOrSpousesAboard: read, change, write if
    // unchanged, else read again. A 412 is only right when another writer won
    // a version between this writer's read and its write, so its ETag (the
    // stored version) differs from the If-Match sent. Those windows do not
    // overlap and only the WRITERS - 1 others can win: a writer needs at most
    // WRITERS attempts, and the k-th to win met at most k - 1 412s. Retrying
    // without these bounds would hide a 412 with no write behind it.
    const MAX_PRECONDITION_FAILURES = (WRITERS * (WRITERS - 1)) / 2;
    // A 503 (no write connection free, or the row lock not had within
    // lock_timeout, as on a stalled machine) stores nothing: like a
    // well-behaved client the writer waits Retry-After and reads again, at
    // most MAX_UNAVAILABLE times, without spending a 412 attempt. Were a 503'd
    // write stored after all, the final count would exceed the wins.
    const MAX_UNAVAILABLE = 5;
    const unavailable: string[] = [];
    const writer = async (): Promise<string> => {
      let retried = 0;
      for (let attempt = 1; attempt <= WRITERS; attempt++) {
        const read = await fetch(`${server!.baseUrl}/getpassenger/${uuid}`);
        const etag = read.headers.get('etag')!;
        const { uuid: _, ...current } = (await read.json()) as Passenger;
        const next = { ...current, siblingsOrSpousesAboard: current.siblingsOrSpousesAboard + 1 };
        const write = await fetch(`${server!.baseUrl}/putpassenger/${uuid}`, {
          method: 'PUT',
          ...json(next),
          headers: { 'Content-Type': 'application/json', 'If-Match': etag },
        });
        if (write.status === 503 && retried++ < MAX_UNAVAILABLE) {
          unavailable.push(((await write.json()) as { detail: string }).detail);
          attempt--;
          await new Promise((resolve) => setTimeout(resolve, Number(write.headers.get('retry-after')) * 1_000));
          continue;
        }
        await write.arrayBuffer();
        if (write.status === 200) return etag;
        if (write.status !== 412) throw new Error(`writer got ${write.status}`);
        preconditionFailures++;
        if (write.headers.get('etag') === etag) spurious.push(etag);
      }
      throw new Error(`a writer met ${WRITERS} 412s in a row, though only ${WRITERS - 1} other writers can win`);
    };
    const began = performance.now();
    const wonVersions = await Promise.all(Array.from({ length: WRITERS }, writer));
    const ms = Math.round(performance.now() - began);

    const final = await fetch(`${server!.baseUrl}/getpassenger/${uuid}`);
    const passenger = (await final.json()) as Passenger;
    figures.push(
      `${WRITERS} If-Match writers: ${WRITERS} wins, ${preconditionFailures} × 412, ${unavailable.length} × 503 retried${unavailable.length ? ` (${[...new Set(unavailable)].join(' | ')})` : ''}, ${ms} ms`,
    );
    expect(spurious).toEqual([]);
    expect(preconditionFailures).toBeLessThanOrEqual(MAX_PRECONDITION_FAILURES);
    expect(passenger.siblingsOrSpousesAboard).toBe(WRITERS);
    expect(final.headers.get('etag')).toBe(`"${WRITERS + 1}"`);
    expect([...wonVersions].sort((a, b) => Number(JSON.parse(a)) - Number(JSON.parse(b)))).toEqual(Array.from({ length: WRITERS }, (_, i) => `"${i + 1}"`));
  });

  it(`lets exactly one of ${WRITERS} concurrent PATCHes holding the same If-Match win, and loses no field of unconditional ones`, async () => {
    const { uuid } = await postPassenger(supertest(server!.baseUrl));
    const patch = async (body: object, ifMatch?: string): Promise<number> => {
      const res = await fetch(`${server!.baseUrl}/patchpassenger/${uuid}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/merge-patch+json', ...(ifMatch ? { 'If-Match': ifMatch } : {}) },
        body: JSON.stringify(body),
      });
      await res.arrayBuffer();
      return res.status;
    };
    const began = performance.now();
    const statuses = await Promise.all(Array.from({ length: WRITERS }, (_, i) => patch({ name: `Patcher ${i}` }, '"1"')));
    const ms = Math.round(performance.now() - began);
    figures.push(
      `${WRITERS} PATCHes on one If-Match: ${statuses.filter((s) => s === 200).length} win, ${statuses.filter((s) => s === 412).length} × 412, ${ms} ms`,
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(WRITERS - 1);

    // Each unconditional patch sets only its own column, so none undoes another.
    const fields = [{ fare: 99 }, { age: null }, { survived: false }, { siblingsOrSpousesAboard: 7 }, { parentsOrChildrenAboard: 3 }];
    expect(await Promise.all(fields.map((body) => patch(body)))).toEqual(fields.map(() => 200));
    const final = (await (await fetch(`${server!.baseUrl}/getpassenger/${uuid}`)).json()) as Passenger;
    expect(final).toEqual(expect.objectContaining(Object.assign({}, ...fields)));
    expect(final.name).toMatch(/^Patcher \d+$/);
  });

  it(`stores exactly ${CREATES} rows for ${CREATES} concurrent creates`, async () => {
    const before = await rowCount();
    let unavailable = 0;
    // A well-behaved client retries a 503 (pool busy) after Retry-After; a 503 is never a stored row.
    const create = async (i: number): Promise<string> => {
      for (let attempt = 1; ; attempt++) {
        const res = await fetch(`${server!.baseUrl}/postpassenger`, { method: 'POST', ...json({ ...postTestPassenger, name: `Concurrent ${i}` }) });
        if (res.status === 201) return ((await res.json()) as Passenger).uuid;
        await res.arrayBuffer();
        if (res.status !== 503 || attempt === 5) throw new Error(`create ${i} got ${res.status}`);
        unavailable++;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    };
    const began = performance.now();
    const uuids = await Promise.all(Array.from({ length: CREATES }, (_, i) => create(i)));
    const ms = Math.round(performance.now() - began);
    const after = await rowCount();
    figures.push(`${CREATES} concurrent creates: ${after.rows - before.rows} new rows, ${unavailable} × 503 retried, ${ms} ms`);
    expect(new Set(uuids).size).toBe(CREATES);
    expect(after.rows - before.rows).toBe(CREATES);
    expect(after.names - before.names).toBe(CREATES);
  });
});
