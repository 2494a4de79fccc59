import { Client } from 'pg';
import type { Passenger } from '../../src/passengers/passenger.table';
import supertest from 'supertest';
import { postPassenger, postTestPassenger } from '../support/fixtures';
import { type ServerProcess, startServer } from '../../scripts/lib/server-process';
import { createScratchSchema } from '../support/test-database';
import { type Timed, countBy, timedFetch } from '../support/timed-fetch';

// A row lock held from outside the service (psql's `BEGIN; SELECT … FOR
// UPDATE`) under 50 concurrent PUTs of that row: reads of other rows and the
// list keep answering 200 throughout, every PUT ends within ~2 s as a 503
// problem+json with Retry-After, none of them is applied, and once the lock is
// released writes go through and nothing the locker or a client was told is
// stored goes missing.

const PUTS = 50;
// The design bound is 1.2 s of waiting (a writers' connection within 1 s, then
// lock_timeout 200 ms) plus the request's own work; the issue asks for 2 s.
// CI runs alone on its machine: there the slowest PUT took 1.4 s (figures
// printed); at a load average of 20 on 2 cores it took 2.0-2.4 s.
const WITHIN_MS = 2_000;

const url = process.env.TEST_DATABASE_URL;
if (!url) throw new Error('TEST_DATABASE_URL is required (npm run test:reliability runs under .ci/run)');

let server: ServerProcess | undefined;
let scratch: Awaited<ReturnType<typeof createScratchSchema>> | undefined;
let locker: Client | undefined;
const figures: string[] = [];

beforeAll(async () => {
  scratch = await createScratchSchema(url);
  server = await startServer({ DATABASE_URL: scratch.url, SEED_DEMO_DATA: 'false', SHUTDOWN_DRAIN_MS: '0' });
  locker = new Client({ connectionString: scratch.url });
  await locker.connect();
});

afterAll(async () => {
  await locker?.end();
  await server?.stop();
  await scratch?.drop();
  process.stdout.write(`locked row: ${figures.join('; ')}\n`);
});

const timed = (path: string, init?: RequestInit) => timedFetch(server!.baseUrl, path, init);

const put = (uuid: string, name: string) =>
  timed(`/putpassenger/${uuid}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...postTestPassenger, name }),
  });

const slowest = (calls: Timed[]) => Math.max(...calls.map((call) => call.ms));

describe('a row locked from outside the service, on PostgreSQL', () => {
  it(`keeps reads answering while ${PUTS} PUTs wait on the lock, and loses nothing once it is released`, async () => {
    const api = supertest(server!.baseUrl);
    const create = async (name: string) => (await postPassenger(api, { ...postTestPassenger, name })).passenger;
    const target = await create('Locked Row');
    const others = await Promise.all(['Other A', 'Other B', 'Other C'].map(create));

    await locker!.query('begin');
    await locker!.query(`update passenger set name = 'Changed By The Locker' where uuid = $1`, [target.uuid]);
    let puts: Timed[];
    const reads: Timed[] = [];
    try {
      const writing = Promise.all(Array.from({ length: PUTS }, (_, i) => put(target.uuid, `Writer ${i}`)));
      // Readers go on for as long as the writers are stuck.
      let settled = false;
      void writing.finally(() => (settled = true));
      const reader = async () => {
        for (let i = 0; !settled; i++) {
          reads.push(await timed(i % 2 ? '/passengerlist' : `/getpassenger/${others[i % others.length].uuid}`));
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      await Promise.all([reader(), reader(), reader(), reader()]);
      puts = await writing;
    } finally {
      await locker!.query('commit');
    }

    const byDetail = new Map<string, number[]>();
    for (const call of puts) {
      const detail = (call.body as { detail?: string }).detail ?? String(call.status);
      byDetail.set(detail, [...(byDetail.get(detail) ?? []), call.ms]);
    }
    figures.push(
      `${PUTS} PUTs on the locked row: ${[...byDetail].map(([detail, ms]) => `${ms.length} × ${call503(detail)} (${Math.min(...ms)}-${Math.max(...ms)} ms)`).join(', ')}`,
      `${reads.length} reads of other rows and the list meanwhile: ${JSON.stringify(countBy(reads.map((call) => call.status)))}, slowest ${slowest(reads)} ms`,
    );
    expect(reads.length).toBeGreaterThan(0);
    expect(countBy(reads.map((call) => call.status))).toEqual({ 200: reads.length });
    for (const call of puts) {
      expect({ status: call.status, type: call.contentType, retryAfter: call.retryAfter }).toEqual({
        status: 503,
        type: expect.stringMatching(/^application\/problem\+json/) as unknown,
        retryAfter: '1',
      });
      expect({ ms: call.ms, within: call.ms < WITHIN_MS }).toEqual({ ms: call.ms, within: true });
    }

    // The lock, not only the queue, is named: lock_timeout ended the waits on the row.
    expect(byDetail.has('Another transaction holds a lock on this data; try again shortly.')).toBe(true);

    // Released: the locker's change is there, no refused PUT was applied, and a PUT now goes through.
    expect((await timed(`/getpassenger/${target.uuid}`)).body).toEqual({ ...target, name: 'Changed By The Locker' });
    const after = await put(target.uuid, 'After The Lock');
    expect(after.status).toBe(200);
    const list = (await timed('/passengerlist')).body as Passenger[];
    expect(list).toHaveLength(4);
    expect(list).toEqual(expect.arrayContaining([...others, { ...target, name: 'After The Lock' }]));
  });
});

// The 503's reason in a word, for the figures.
function call503(detail: string): string {
  if (detail.includes('locked')) return 'row locked';
  if (detail.includes('not reachable')) return 'no connection free';
  return detail;
}
