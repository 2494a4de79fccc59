// `npm run bench:js [-- --batches 7] [--requests 2000] [--baseline]`: each stack's JavaScript per
// request, in one process and without sockets or PostgreSQL. Ours is driven through
// app.callback() and the peer (peer-server.ts's createPeer) through fastify.inject(), both on
// light-my-request, both over the same in-memory stand-in for node-postgres (fake-driver.ts)
// answering the 887 Titanic rows. Both log their lines at info into a stream that discards
// them. Batches of requests alternate between the stacks route by route; each batch's
// process.cpuUsage() divided by its requests is one sample (garbage collection included: a
// full collection runs before every batch, so one stack's garbage is not the other's cost).
// Prints medians and ranges, and ours/peer; `npm run bench` measures the same routes over
// real sockets and PostgreSQL.
import { createReadStream, writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect } from 'kysely';
import { type DispatchFunc, inject } from 'light-my-request';
import type { Pool } from 'pg';
import { createApp } from '../../src/app';
import { readPassengerCsv } from '../../src/bulk/passenger-csv';
import { loadConfig } from '../../src/config';
import type { DatabaseHandle } from '../../src/db/database';
import { preparedStatementPool } from '../../src/db/prepared-statements';
import type { Database } from '../../src/db/schema';
import { createOpenApiBackend } from '../../src/http/api';
import { createLogger } from '../../src/logger';
import { loadSpec } from '../../src/spec';
import { ROOT, TITANIC_CSV } from '../lib/paths';
import { type CannedPassenger, type FakeDriver, fakeDriver } from './fake-driver';
import { createPeer } from './peer-server';
import { median, printRows, round } from './report';
import { POST_BODY } from './routes';

const { values: args } = parseArgs({
  options: {
    batches: { type: 'string', default: '7' },
    requests: { type: 'string', default: '2000' },
    baseline: { type: 'boolean', default: false },
  },
});
const BATCHES = Number(args.batches);
const REQUESTS = Number(args.requests);
// The list's body is 887 rows: fewer requests a batch keep its batches as long as the others'.
const LIST_SHARE = 0.1;

interface Request {
  method: 'GET' | 'POST';
  url: string;
  payload?: string;
  headers?: Record<string, string>;
}
interface Route {
  key: string;
  route: string;
  status: number;
  request: (i: number) => Request;
}
interface Answer {
  statusCode: number;
  body: string;
}
interface Stack {
  name: 'ours' | 'peer';
  send: (request: Request) => Promise<Answer>;
}

async function titanicPassengers(): Promise<CannedPassenger[]> {
  const passengers: CannedPassenger[] = [];
  for await (const { input } of readPassengerCsv(createReadStream(TITANIC_CSV), TITANIC_CSV)) {
    // Random-looking but fixed uuids, so both stacks page and look up the same rows.
    const n = passengers.length + 1;
    const hex = ((n * 2654435761) % 2 ** 32).toString(16).padStart(8, '0');
    passengers.push({ uuid: `${hex}-0000-4000-8000-${String(n).padStart(12, '0')}`, ...input });
  }
  return passengers;
}

const discard = { write: () => undefined };

async function ours(driver: FakeDriver): Promise<Stack> {
  // The production defaults: no keys, no CORS origins, no response validation.
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'info' });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparedStatementPool(driver as unknown as Pool) }) });
  const database: DatabaseHandle = {
    kind: 'postgres',
    pool: driver as unknown as Pool,
    db,
    writeDb: db,
    ping: async () => {
      await driver.query('select 1');
    },
    poolStats: () => ({ total: 10, idle: 10, waiting: 0 }),
    close: () => db.destroy(),
  };
  const app = createApp({
    api: await createOpenApiBackend(loadSpec()),
    database,
    logger: createLogger(config.logLevel, discard),
    bodyLimit: config.bodyLimit,
    validateResponses: config.validateResponses,
    apiKeys: config.apiKeys,
    corsOrigins: config.corsOrigins,
    trustProxy: config.trustProxy,
    accepting: () => true,
  });
  const listener = app.callback();
  // Koa's handler catches its own errors, as node:http's caller in main.ts relies on too.
  const dispatch: DispatchFunc = (req, res) => {
    void listener(req, res);
  };
  return { name: 'ours', send: (request) => inject(dispatch, request) };
}

async function peer(driver: FakeDriver): Promise<Stack> {
  const app = await createPeer(driver, join(ROOT, 'openapi', 'openapi.yaml'), { stream: discard as never });
  await app.ready();
  return { name: 'peer', send: (request) => app.inject(request) };
}

function routes(uuids: string[]): Route[] {
  return [
    { key: 'hello', route: 'GET /hello', status: 200, request: () => ({ method: 'GET', url: '/hello' }) },
    { key: 'get', route: 'GET /getpassenger/{uuid}', status: 200, request: (i) => ({ method: 'GET', url: `/getpassenger/${uuids[i % uuids.length]}` }) },
    { key: 'list', route: 'GET /passengerlist (887 rows)', status: 200, request: () => ({ method: 'GET', url: '/passengerlist' }) },
    {
      key: 'post',
      route: 'POST /postpassenger',
      status: 201,
      request: () => ({ method: 'POST', url: '/postpassenger', payload: JSON.stringify(POST_BODY), headers: { 'content-type': 'application/json' } }),
    },
  ];
}

const collectGarbage = (globalThis as { gc?: () => void }).gc;

// CPU µs per request over one batch, every answer checked.
async function batch(stack: Stack, route: Route, requests: number): Promise<number> {
  collectGarbage?.();
  const start = process.cpuUsage();
  for (let i = 0; i < requests; i++) {
    const { statusCode } = await stack.send(route.request(i));
    if (statusCode !== route.status) throw new Error(`${stack.name} ${route.route}: answered ${statusCode}, not ${route.status}`);
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / requests;
}

// Before measuring: both stacks answer each route with the same JSON (a
// created passenger's uuid aside), so neither is measured doing less.
async function checkSameAnswers(stacks: Stack[], table: Route[]): Promise<void> {
  for (const route of table) {
    const bodies = await Promise.all(
      stacks.map(async (stack) => {
        const { statusCode, body } = await stack.send(route.request(0));
        if (statusCode !== route.status) throw new Error(`${stack.name} ${route.route}: answered ${statusCode}, not ${route.status}: ${body}`);
        return JSON.stringify({ ...(JSON.parse(body) as object), ...(route.key === 'post' ? { uuid: '-' } : {}) });
      }),
    );
    if (new Set(bodies).size !== 1) throw new Error(`${route.route}: the stacks answered different bodies`);
  }
}

async function main(): Promise<void> {
  if (!collectGarbage) throw new Error('run with node --expose-gc (npm run bench:js does)');
  const passengers = await titanicPassengers();
  const driver = fakeDriver(passengers);
  const stacks = [await ours(driver), await peer(driver)];
  const table = routes(passengers.map((p) => p.uuid));
  await checkSameAnswers(stacks, table);
  const samples = new Map(table.map((r) => [r.key, { ours: [] as number[], peer: [] as number[] }]));
  console.error(`${BATCHES} batches of ${REQUESTS} requests per route and stack (the list: ${Math.round(REQUESTS * LIST_SHARE)}), after one warm-up batch…`);
  for (let b = -1; b < BATCHES; b++) {
    const order = b % 2 === 0 ? stacks : [...stacks].reverse();
    for (const route of table) {
      const requests = Math.max(1, Math.round(route.key === 'list' ? REQUESTS * LIST_SHARE : REQUESTS));
      for (const stack of order) {
        const micros = await batch(stack, route, requests);
        if (b >= 0) samples.get(route.key)?.[stack.name].push(micros);
      }
    }
  }
  const results = table.map((route) => {
    const { ours: o, peer: p } = samples.get(route.key) ?? { ours: [], peer: [] };
    const summary = (values: number[]) => ({ median: round(median(values), 1), range: [round(Math.min(...values), 1), round(Math.max(...values), 1)] });
    return { route: route.route, ours: summary(o), peer: summary(p), oursToPeer: round(median(o) / median(p)) };
  });
  const rows = [['route', 'ours µs/req', '(range)', 'peer µs/req', '(range)', 'ours/peer']];
  for (const r of results) {
    rows.push([r.route, String(r.ours.median), r.ours.range.join('-'), String(r.peer.median), r.peer.range.join('-'), `${r.oursToPeer.toFixed(2)}×`]);
  }
  console.log(`JavaScript per request, in process (${BATCHES} batches, medians and ranges; no sockets, no database):`);
  printRows(rows);
  const result = {
    date: new Date().toISOString(),
    machine: { hostname: hostname(), cpu: cpus()[0]?.model, cores: cpus().length, node: process.version },
    settings: { batches: BATCHES, requests: REQUESTS, listRequests: Math.round(REQUESTS * LIST_SHARE), logLevel: 'info (discarded)' },
    routes: results,
  };
  const file = join(ROOT, 'bench', 'results', args.baseline ? 'js-baseline.json' : `js-${result.date.replace(/[:.]/g, '-')}.tmp.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written ${file}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
