// `npm run bench`: the production server against PostgreSQL loaded with the
// Titanic rows, driven over loopback by autocannon in its own process, next to
// PostgreSQL's own ceiling (pgbench) for the same queries at the same
// concurrency, and a bare node:http server for /hello. Prints a table and
// writes JSON to bench/results/ (baseline.json with --baseline).
import { writeFileSync, mkdtempSync } from 'node:fs';
import { cpus, hostname, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { importCsvFile } from '../../src/bulk/commands';
import { ROOT, TITANIC_CSV, freshBenchDatabase } from './database';
import { listCompressionFigures, pageETagMicros, printHttpExtras } from './http-extras';
import { pgbench } from './pgbench';
import { measureProcess, run, startProcess, stopProcess } from './processes';

const { values: args } = parseArgs({
  options: {
    baseline: { type: 'boolean', default: false },
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '5' },
    connections: { type: 'string', default: '16' },
    // Server processes (the service's WORKERS). The bare node:http ceiling stays
    // one process: run as two, it left autocannon too little CPU here and fell
    // below its own one-process figure (39k vs 63k req/s).
    workers: { type: 'string', default: '1' },
  },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const WORKERS = Number(args.workers);
const PORT = Number(process.env.BENCH_PORT ?? 4600);
const BARE_PORT = PORT + 1;
const KOA_PORT = PORT + 3; // PORT + 2 is bench:scale's
const POST_BODY = { survived: true, passengerClass: 2, name: 'Post-Test-Name', sex: 'male', age: 27, siblingsOrSpousesAboard: 0, parentsOrChildrenAboard: 0, fare: 13 };
// The statements the service runs for each route, as pgbench runs them (a
// get also reads the version its ETag names).
const COLUMNS =
  'uuid, survived, passenger_class as "passengerClass", name, sex, age, siblings_or_spouses_aboard as "siblingsOrSpousesAboard", parents_or_children_aboard as "parentsOrChildrenAboard", fare';
const SELECT_BY_UUID = (uuid: string) => `select ${COLUMNS}, version from passenger where uuid = '${uuid}'`;
const SELECT_BY_UUID_PARAM = `select ${COLUMNS}, version from passenger where uuid = $1`;
const LIST_SQL = `select ${COLUMNS}, version from passenger order by uuid limit 1001`;
const INSERT_SQL = `insert into passenger (survived, passenger_class, name, sex, age, siblings_or_spouses_aboard, parents_or_children_aboard, fare) values (true, 2, 'Post-Test-Name', 'male', 27, 0, 0, 13) returning ${COLUMNS}`;
const PGBENCH_UUID_SCRIPTS = 100; // pgbench takes at most 128 scripts

interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  warmupRequests: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, method: string, pid: number, extra: string[] = []) {
  const work = run(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(__dirname, 'load.ts'), url, method, String(CONNECTIONS), String(SECONDS), ...extra]);
  const { result, peakRssMb, cpuMs } = await measureProcess(pid, work);
  const summary = JSON.parse(result.stdout) as LoadResult;
  if (summary.non2xx || summary.errors) throw new Error(`${method} ${url}: ${summary.non2xx} non-2xx answers, ${summary.errors} errors`);
  const cpuMicrosPerRequest = Math.round((cpuMs * 1000) / (summary.requests + summary.warmupRequests));
  return { ...summary, peakRssMb, cpuMicrosPerRequest };
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  console.error('building…');
  await run('npm', ['run', '-s', 'build'], { cwd: ROOT });
  const { url, handle } = await freshBenchDatabase(process.env.BENCH_DB_NAME ?? 'passenger_bench');
  await importCsvFile(handle, TITANIC_CSV, { replace: true });
  const uuids = (await handle.db.selectFrom('passenger').select('uuid').execute()).map((row) => row.uuid);
  const { version } = (await sql<{ version: string }>`select version()`.execute(handle.db)).rows[0];
  await handle.close();
  const uuidFile = join(mkdtempSync(join(tmpdir(), 'bench-')), 'uuids.txt');
  writeFileSync(uuidFile, uuids.join('\n'));

  const serverEnv = {
    PATH: process.env.PATH,
    DATABASE_URL: url,
    PORT: String(PORT),
    HOST: '127.0.0.1',
    SEED_DEMO_DATA: 'false',
    NODE_ENV: 'production',
    // As the Dockerfile runs it.
    NODE_OPTIONS: '--max-semi-space-size=4',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    WORKERS: String(WORKERS),
    ...(process.env.DB_POOL_MAX ? { DB_POOL_MAX: process.env.DB_POOL_MAX } : {}),
  };
  const base = `http://127.0.0.1:${PORT}`;
  const server = await startProcess(process.execPath, [join(ROOT, 'dist', 'main.js')], serverEnv, `${base}/readyz`);
  const bare = await startProcess(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(__dirname, 'bare-hello.ts'), String(BARE_PORT)], { PATH: process.env.PATH }, `http://127.0.0.1:${BARE_PORT}/`);
  const pid = server.pid!;
  const ceiling = { connections: CONNECTIONS, seconds: SECONDS };
  try {
    console.error(`measuring ${SECONDS} s per route at ${CONNECTIONS} connections, ${WORKERS} server process(es)…`);
    const bareHello = await load(`http://127.0.0.1:${BARE_PORT}/hello`, 'GET', bare.pid!);
    const routes = [
      {
        route: 'GET /hello',
        http: await load(`${base}/hello`, 'GET', pid),
        ceiling: { name: 'bare node:http', requestsPerSecond: bareHello.requestsPerSecond },
      },
      {
        route: 'GET /getpassenger/{uuid}',
        http: await load(`${base}/getpassenger/{uuid}`, 'GET', pid, ['', uuidFile]),
        ceiling: await pgbenchCeiling('pgbench select by uuid', url, uuids.slice(0, PGBENCH_UUID_SCRIPTS).map(SELECT_BY_UUID), ceiling),
      },
      {
        route: 'GET /passengerlist (887 rows)',
        http: await load(`${base}/passengerlist`, 'GET', pid),
        ceiling: await pgbenchCeiling('pgbench whole-table select', url, [LIST_SQL], ceiling),
      },
      {
        route: 'POST /postpassenger',
        http: await load(`${base}/postpassenger`, 'POST', pid, [JSON.stringify(POST_BODY)]),
        ceiling: await pgbenchCeiling('pgbench insert returning', url, [INSERT_SQL], ceiling),
      },
    ].map((r) => ({ ...r, ratio: ratio(r.http.requestsPerSecond, r.ceiling.requestsPerSecond) }));
    const compression = await listCompressionFigures(`${base}/passengerlist`, pid);
    console.error('measuring the floors (one Node process, none of the service\'s code)…');
    const floors = [
      { what: 'Koa + @koa/router /hello, no middleware', ...(await koaHello()), ceiling: routes[0].ceiling },
      { what: 'node-postgres select by uuid, no HTTP', ...(await pgClient('get', url, SELECT_BY_UUID_PARAM, uuidFile)), ceiling: routes[1].ceiling },
      { what: 'node-postgres 887-row select + JSON.stringify, no HTTP', ...(await pgClient('list', url, LIST_SQL)), ceiling: routes[2].ceiling },
    ].map((f) => ({ ...f, ratio: ratio(f.requestsPerSecond, f.ceiling.requestsPerSecond) }));
    const result = {
      date: new Date().toISOString(),
      machine: {
        hostname: hostname(),
        cpu: cpus()[0]?.model,
        cores: cpus().length,
        memoryGb: Math.round(totalmem() / 2 ** 30),
        kernel: release(),
        node: process.version,
        postgres: version,
        loadAverageBefore: loadBefore.map((n) => Math.round(n * 100) / 100),
        loadAverageAfter: loadavg().map((n) => Math.round(n * 100) / 100),
      },
      settings: { connections: CONNECTIONS, secondsPerRoute: SECONDS, workers: WORKERS, nodeOptions: serverEnv.NODE_OPTIONS, logLevel: serverEnv.LOG_LEVEL, dbPoolMax: serverEnv.DB_POOL_MAX ?? 'default', loadGenerator: 'autocannon (separate process)' },
      routes,
      floors,
      serverPeakRssMb: Math.max(...routes.map((r) => r.http.peakRssMb)),
    };
    printTable(result.routes, result.serverPeakRssMb, result.machine.loadAverageBefore);
    printFloors(floors);
    printHttpExtras(compression, pageETagMicros());
    const baselineName = WORKERS === 1 ? 'baseline.json' : `baseline-workers-${WORKERS}.json`;
    const file = join(ROOT, 'bench', 'results', args.baseline ? baselineName : `${result.date.replace(/[:.]/g, '-')}.tmp.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`written ${file}`);
  } finally {
    await stopProcess(server);
    await stopProcess(bare);
  }
}

function ratio(achieved: number, ceiling: number): number {
  return Math.round((achieved / ceiling) * 1000) / 1000;
}

// The least the stack costs, measured like the service: a Koa app with only
// the /hello route, and node-postgres running the service's statements alone.
// With WORKERS=1 the service's ratios cannot exceed these.
async function koaHello(): Promise<{ requestsPerSecond: number; cpuMicrosPerRequest: number }> {
  const koa = await startProcess(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(__dirname, 'bare-koa.ts'), String(KOA_PORT)], { PATH: process.env.PATH }, `http://127.0.0.1:${KOA_PORT}/hello`);
  try {
    const { requestsPerSecond, cpuMicrosPerRequest } = await load(`http://127.0.0.1:${KOA_PORT}/hello`, 'GET', koa.pid!);
    return { requestsPerSecond, cpuMicrosPerRequest };
  } finally {
    await stopProcess(koa);
  }
}

async function pgClient(mode: 'get' | 'list', url: string, text: string, uuidFile?: string) {
  const args = [join(__dirname, 'pg-client.ts'), url, mode, String(CONNECTIONS), String(SECONDS), text, ...(uuidFile ? [uuidFile] : [])];
  const { stdout } = await run(join(ROOT, 'node_modules', '.bin', 'tsx'), args);
  return JSON.parse(stdout) as { requestsPerSecond: number; cpuMicrosPerRequest: number };
}

async function pgbenchCeiling(name: string, url: string, statements: string[], options: { connections: number; seconds: number }) {
  const { transactionsPerSecond, latencyAverageMs } = await pgbench(url, statements, options);
  return { name, requestsPerSecond: transactionsPerSecond, latencyAverageMs };
}

function printTable(
  routes: Array<{ route: string; http: LoadResult & { peakRssMb: number; cpuMicrosPerRequest: number }; ceiling: { name: string; requestsPerSecond: number }; ratio: number }>,
  peakRssMb: number,
  load: number[],
): void {
  const rows = routes.map((r) => [
    r.route,
    r.http.requestsPerSecond.toFixed(0),
    r.http.p50Ms.toFixed(1),
    r.http.p99Ms.toFixed(1),
    String(r.http.peakRssMb),
    String(r.http.cpuMicrosPerRequest),
    `${r.ceiling.name}: ${r.ceiling.requestsPerSecond.toFixed(0)}`,
    `${(r.ratio * 100).toFixed(1)}%`,
  ]);
  const header = ['route', 'req/s', 'p50 ms', 'p99 ms', 'RSS MB', 'CPU µs/req', 'ceiling req/s', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));
  console.log(`server peak RSS ${peakRssMb} MB; load average before the run ${load.join(' ')} (2 cores shared)`);
}

function printFloors(floors: Array<{ what: string; requestsPerSecond: number; cpuMicrosPerRequest: number; ceiling: { name: string }; ratio: number }>): void {
  console.log('floors: one Node process, none of the service\'s code (a one-process server cannot beat these ratios)');
  for (const f of floors) {
    console.log(`  ${f.what}: ${f.requestsPerSecond.toFixed(0)} req/s, ${f.cpuMicrosPerRequest} CPU µs/req, ${(f.ratio * 100).toFixed(1)}% of ${f.ceiling.name}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
