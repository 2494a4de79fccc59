import { Agent } from 'node:http';
import { Client } from 'pg';
import { startServer } from '../../scripts/lib/server-process';
import { postTestPassenger } from '../support/fixtures';
import { type Outcome, send } from '../support/http-load';
import { createScratchSchema } from '../support/test-database';

// SIGTERM under 16 keep-alive connections of POSTs (a proxy's pool of
// writers): no request may end in a reset, since a client cannot know
// whether a reset write was stored. Each request is answered, or refused at
// connect once the listener is closed (nothing sent, safe to retry). Every
// 201 has its row and there is no row without one.

const RUNS = Number(process.env.SHUTDOWN_RUNS ?? 5);
const DRAIN_MS = 1_000;
const WRITERS = 16;
const LOAD_BEFORE_SIGNAL_MS = 700;

const url = process.env.TEST_DATABASE_URL;
if (!url) throw new Error('TEST_DATABASE_URL is required (npm run test:reliability runs under .ci/run)');

interface RunFigures {
  run: number;
  created: number;
  refused: number;
  resets: number;
  otherFailures: string[];
  rows: number;
}

const results: RunFigures[] = [];
afterAll(() => {
  process.stdout.write(`shutdown under ${WRITERS} keep-alive POST connections (drain ${DRAIN_MS} ms), ${RUNS} runs:\n`);
  for (const r of results) process.stdout.write(`  ${JSON.stringify(r)}\n`);
});

async function passengerRows(scratchUrl: string): Promise<number> {
  const client = new Client({ connectionString: scratchUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('select count(*)::int as n from passenger');
    return rows[0].n;
  } finally {
    await client.end();
  }
}

async function oneRun(run: number): Promise<void> {
  const scratch = await createScratchSchema(url!);
  const server = await startServer({
    DATABASE_URL: scratch.url,
    SEED_DEMO_DATA: 'false',
    SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
    SHUTDOWN_TIMEOUT_MS: '20000',
  });
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: WRITERS });
    const outcomes: Outcome[] = [];
    const writer = async () => {
      for (;;) {
        const outcome = await send(server.baseUrl, agent, { method: 'POST', path: '/postpassenger', body: postTestPassenger });
        outcomes.push(outcome);
        if (!outcome.ok) return;
      }
    };
    const writers = Array.from({ length: WRITERS }, writer);
    await new Promise((resolve) => setTimeout(resolve, LOAD_BEFORE_SIGNAL_MS));
    server.child.kill('SIGTERM');
    const exitCode = await server.exited;
    await Promise.all(writers);
    agent.destroy();

    const failures = outcomes.filter((o) => !o.ok);
    const figures: RunFigures = {
      run,
      created: outcomes.filter((o) => o.ok && o.status === 201).length,
      refused: failures.filter((o) => o.error === 'ECONNREFUSED').length,
      resets: failures.filter((o) => o.error === 'ECONNRESET' || o.error === 'socket hang up').length,
      otherFailures: failures
        .filter((o) => o.error !== 'ECONNREFUSED' && o.error !== 'ECONNRESET' && o.error !== 'socket hang up')
        .map((o) => o.error ?? String(o.status)),
      rows: await passengerRows(scratch.url),
    };
    results.push(figures);
    expect(exitCode).toBe(0);
    expect(figures.resets).toBe(0);
    expect(figures.otherFailures).toEqual([]);
    // Each writer stops at its first refusal, and nothing else failed.
    expect(figures.refused).toBe(WRITERS);
    expect(figures.rows).toBe(figures.created);
  } finally {
    await server.stop('SIGKILL');
    await scratch.drop();
  }
}

describe('shutdown under keep-alive writers on PostgreSQL', () => {
  it(`resets no request and stores exactly the 201s, over ${RUNS} runs`, async () => {
    for (let run = 1; run <= RUNS; run++) await oneRun(run);
  });
});
