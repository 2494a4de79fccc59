import { Agent } from 'node:http';
import { connect } from 'node:net';
import { Client } from 'pg';
import { postTestPassenger } from '../support/fixtures';
import { type LoadRequest, type Outcome, send } from '../support/http-load';
import { startServer } from '../../scripts/lib/server-process';
import { createScratchSchema } from '../support/test-database';

// SIGTERM under load. Keep-alive clients (as a proxy pools them) and
// connection-per-request clients run against the built server on PostgreSQL;
// just before the signal a burst of new connections lands in the listen
// backlog. Every request begun before the signal must succeed; /readyz turns
// 503 at once; after the drain window new connections are refused; the
// process exits 0; PostgreSQL shows the pool's connections closed.

const RUNS = Number(process.env.SHUTDOWN_RUNS ?? 5);
const DRAIN_MS = Number(process.env.SHUTDOWN_TEST_DRAIN_MS ?? 1_000);
const KEEP_ALIVE_CLIENTS = 16;
const PER_REQUEST_CLIENTS = 16;
const BACKLOG_BURST = 100;
const LOAD_BEFORE_SIGNAL_MS = 700;

const url = process.env.TEST_DATABASE_URL;
if (!url) throw new Error('TEST_DATABASE_URL is required (npm run test:reliability runs under .ci/run)');

interface RunFigures {
  run: number;
  begunBefore: number;
  completedBefore: number;
  failedBefore: number;
  begunAfter: number;
  completedAfter: number;
  refusedAfter: number;
  otherFailedAfter: number;
  // How the other failures after the signal failed (error code or status).
  otherFailures: Record<string, number>;
  exitMs: number;
}

const results: RunFigures[] = [];
afterAll(() => {
  process.stdout.write(`graceful shutdown (drain ${DRAIN_MS} ms), ${RUNS} runs:\n`);
  for (const r of results) process.stdout.write(`  ${JSON.stringify(r)}\n`);
  const sum = (key: Exclude<keyof RunFigures, 'otherFailures'>) => results.reduce((total, r) => total + r[key], 0);
  process.stdout.write(
    `  total: begun before signal ${sum('begunBefore')}, completed ${sum('completedBefore')}, failed ${sum('failedBefore')}; ` +
      `begun after ${sum('begunAfter')}: completed ${sum('completedAfter')}, refused ${sum('refusedAfter')}, other failures ${sum('otherFailedAfter')}\n`,
  );
});

async function poolConnections(applicationName: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where application_name = $1', [applicationName]);
    return rows[0].n;
  } finally {
    await client.end();
  }
}

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      resolve(err.code === 'ECONNREFUSED');
    });
  });
}

async function oneRun(run: number): Promise<void> {
  const scratch = await createScratchSchema(url!);
  const applicationName = `shutdown-test-${process.pid}-${run}`;
  const databaseUrl = new URL(scratch.url);
  databaseUrl.searchParams.set('application_name', applicationName);
  const server = await startServer({
    DATABASE_URL: databaseUrl.toString(),
    SEED_DEMO_DATA: 'false',
    SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
    SHUTDOWN_TIMEOUT_MS: '20000',
  });
  const port = Number(new URL(server.baseUrl).port);
  try {
    const created = await send(server.baseUrl, false, { method: 'POST', path: '/postpassenger', body: postTestPassenger });
    expect(created).toEqual({ ok: true, status: 201 });
    const list = (await (await fetch(`${server.baseUrl}/passengerlist?limit=1`)).json()) as { uuid: string }[];
    const mix: LoadRequest[] = [
      { method: 'GET', path: `/getpassenger/${list[0].uuid}` },
      { method: 'GET', path: '/passengerlist?limit=20' },
      { method: 'POST', path: '/postpassenger', body: postTestPassenger },
    ];

    let signalAt = Infinity;
    let stopping = false;
    const before: Promise<Outcome>[] = [];
    const after: Promise<Outcome>[] = [];
    const track = (outcome: Promise<Outcome>, began: number) => (began < signalAt ? before : after).push(outcome);

    const keepAlive = new Agent({ keepAlive: true, maxSockets: KEEP_ALIVE_CLIENTS });
    const worker = async (agent: Agent | false, id: number) => {
      for (let i = id; !stopping; i++) {
        const began = performance.now();
        const outcome = send(server.baseUrl, agent, mix[i % mix.length]);
        track(outcome, began);
        const result = await outcome;
        // Refused: the listener is closed; this client would go elsewhere.
        if (!result.ok && result.error === 'ECONNREFUSED') return;
      }
    };
    const workers = [
      ...Array.from({ length: KEEP_ALIVE_CLIENTS }, (_, id) => worker(keepAlive, id)),
      ...Array.from({ length: PER_REQUEST_CLIENTS }, (_, id) => worker(false, id)),
    ];
    await new Promise((resolve) => setTimeout(resolve, LOAD_BEFORE_SIGNAL_MS));

    // New connections, then the signal in the same tick: many of them are
    // still in the listen backlog when the server learns of the SIGTERM.
    for (let i = 0; i < BACKLOG_BURST; i++) track(send(server.baseUrl, false, mix[i % mix.length]), performance.now());
    signalAt = performance.now();
    server.child.kill('SIGTERM');

    const readyz = await send(server.baseUrl, false, { method: 'GET', path: '/readyz' });

    const exitCode = await server.exited;
    const exitMs = Math.round(performance.now() - signalAt);
    stopping = true;
    await Promise.all(workers);
    keepAlive.destroy();
    const refusedAfterExit = await connectionRefused(port);

    const beforeOutcomes = await Promise.all(before);
    const afterOutcomes = await Promise.all(after);
    const failedBefore = beforeOutcomes.filter((o) => !o.ok);
    const figures: RunFigures = {
      run,
      begunBefore: beforeOutcomes.length,
      completedBefore: beforeOutcomes.length - failedBefore.length,
      failedBefore: failedBefore.length,
      begunAfter: afterOutcomes.length,
      completedAfter: afterOutcomes.filter((o) => o.ok).length,
      refusedAfter: afterOutcomes.filter((o) => !o.ok && o.error === 'ECONNREFUSED').length,
      otherFailedAfter: afterOutcomes.filter((o) => !o.ok && o.error !== 'ECONNREFUSED').length,
      otherFailures: afterOutcomes
        .filter((o) => !o.ok && o.error !== 'ECONNREFUSED')
        .reduce<Record<string, number>>((kinds, o) => {
          const kind = o.ok ? 'ok' : (o.error ?? String(o.status));
          kinds[kind] = (kinds[kind] ?? 0) + 1;
          return kinds;
        }, {}),
      exitMs,
    };
    results.push(figures);
    expect(failedBefore).toEqual([]);
    expect(readyz).toEqual({ ok: false, status: 503 });
    expect(exitCode).toBe(0);
    expect(refusedAfterExit).toBe(true);
    expect(figures.begunBefore).toBeGreaterThan(BACKLOG_BURST);

    // The server's backends go away once pool.end() has closed them.
    let open = await poolConnections(applicationName);
    for (let wait = 0; open > 0 && wait < 20; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      open = await poolConnections(applicationName);
    }
    expect(open).toBe(0);
  } finally {
    await server.stop('SIGKILL');
    await scratch.drop();
  }
}

describe('graceful shutdown under load on PostgreSQL', () => {
  it(`serves every request begun before SIGTERM, over ${RUNS} runs`, async () => {
    for (let run = 1; run <= RUNS; run++) await oneRun(run);
  });
});
