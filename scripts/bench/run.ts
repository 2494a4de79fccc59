// `npm run bench`: the production server and the fastify-openapi-glue peer
// (peer-server.ts) over PostgreSQL loaded with the Titanic rows, driven
// alternately, route by route, for several rounds over loopback by autocannon
// in its own process; beside them PostgreSQL's own ceiling (pgbench) for the
// same queries at the same concurrency, a bare node:http server for /hello,
// and the floors of the stack. Prints medians and spreads and writes JSON to
// bench/results/ (baseline.json with --baseline).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, release, tmpdir, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { Client } from 'pg';
import { importCsvFile } from '../../src/bulk/commands';
import { ROOT, TITANIC_CSV } from '../lib/paths';
import { freshBenchDatabase } from './database';
import { type Measured, load } from './drive';
import { measureFloors } from './floors';
import { listCompressionFigures, pageETagMicros, printHttpExtras } from './http-extras';
import { pidOf, run, stopProcess } from './processes';
import { type RouteResult, type Summary, printFloors, printRoutes, round, summarise } from './report';
import { POST_NAME, type Route, type RouteKey, benchRoutes } from './routes';
import { type Server, startOneFileServer, startPeer, startService } from './servers';

const { values: args } = parseArgs({
  options: {
    baseline: { type: 'boolean', default: false },
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '5' },
    connections: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '3' },
    // A subset of hello,get,list,post, for a quick comparison of one route.
    routes: { type: 'string', default: 'hello,get,list,post' },
    // Server processes (the service's WORKERS). The peer and the bare node:http
    // ceiling stay one process: the ceiling run as two left autocannon too
    // little CPU here and fell below its own one-process figure (39k vs 63k req/s).
    workers: { type: 'string', default: '1' },
    // Other builds of the service (dist/ directories), each driven in the same
    // rounds under its directory's name: a before/after of a change, or
    // behaviour-costs.ts's builds each without one behaviour, in one time window.
    'compare-dist': { type: 'string', multiple: true, default: [] },
  },
});
const RUN = { connections: Number(args.connections), seconds: Number(args.seconds) };
const ROUNDS = Number(args.rounds);
const WORKERS = Number(args.workers);
const PORT = Number(process.env.BENCH_PORT ?? 4600);
// PORT + 2 is bench:scale's.
const PORTS = { bare: PORT + 1, koa: PORT + 3, peer: PORT + 4, compare: PORT + 5 };

type Samples = Map<RouteKey, Map<string, Measured[]>>;

// measureRounds fills a list for every route and server before anyone reads one.
function samplesOf(samples: Samples, route: RouteKey, server: string): Measured[] {
  const list = samples.get(route)?.get(server);
  if (!list) throw new Error(`no samples list for route ${route} on server ${server}`);
  return list;
}

// Every route, every server, ROUNDS times; within a route the servers run back
// to back, and which goes first alternates, so each pair sees the same load.
async function measureRounds(routes: Route[], servers: Server[], afterPost: () => Promise<void>) {
  const samples: Samples = new Map(routes.map((r) => [r.key, new Map<string, Measured[]>(servers.map((s) => [s.name, []]))]));
  const loads: number[][] = [];
  for (let i = 0; i < ROUNDS; i++) {
    loads.push(loadavg().map((n) => round(n)));
    const order = i % 2 === 0 ? servers : [...servers].reverse();
    for (const r of routes) {
      for (const server of order) {
        samplesOf(samples, r.key, server.name).push(await load(`${server.base}${r.path}`, r.method, pidOf(server.child), r.options));
        if (r.method === 'POST') await afterPost();
      }
    }
  }
  return { samples, loads };
}

function routeResult(route: Route, servers: Record<string, Summary>, ceiling: RouteResult['ceiling']): RouteResult {
  const { ours, peer } = servers;
  return {
    route: route.route,
    servers,
    oursToPeer: {
      cpuMicrosPerRequest: round(ours.cpuMicrosPerRequest / peer.cpuMicrosPerRequest),
      requestsPerSecond: round(ours.requestsPerSecond / peer.requestsPerSecond),
      peakRssMb: round(ours.peakRssMb / peer.peakRssMb),
    },
    ceiling,
    oursToCeiling: round(ours.requestsPerSecond / ceiling.requestsPerSecond, 3),
  };
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
  const admin = new Client({ connectionString: url });
  await admin.connect();
  const removePosted = async () => {
    await admin.query('delete from passenger where name = $1', [POST_NAME]);
    await admin.query('vacuum passenger');
  };

  const serviceEnv = {
    PATH: process.env.PATH,
    DATABASE_URL: url,
    HOST: '127.0.0.1',
    SEED_DEMO_DATA: 'false',
    NODE_ENV: 'production',
    // As the Dockerfile runs it.
    NODE_OPTIONS: '--max-semi-space-size=4',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    WORKERS: String(WORKERS),
    ...(process.env.DB_POOL_MAX ? { DB_POOL_MAX: process.env.DB_POOL_MAX } : {}),
  };
  const compareDists = args['compare-dist'];
  const started: Server[] = [];
  const start = async (server: Promise<Server>) => started[started.push(await server) - 1];
  try {
    const servers = [
      await start(startService('ours', join(ROOT, 'dist'), PORT, serviceEnv)),
      await start(startPeer(PORTS.peer, url)),
      ...(await Promise.all(compareDists.map((dist, i) => start(startService(basename(dist), dist, PORTS.compare + i, serviceEnv))))),
    ];
    const bare = await start(startOneFileServer('bare node:http', 'bare-hello.ts', PORTS.bare));
    const wanted = new Set(args.routes.split(','));
    const routes = benchRoutes({ databaseUrl: url, uuids, uuidFile, bare, run: RUN, removePosted }).filter((r) => wanted.has(r.key));

    console.error(`measuring ${RUN.seconds} s per route and server, ${ROUNDS} round(s), ${RUN.connections} connections, ${WORKERS} service process(es)…`);
    const { samples, loads } = await measureRounds(routes, servers, removePosted);
    console.error('measuring the ceilings…');
    const results = new Map<RouteKey, RouteResult>();
    for (const r of routes) {
      const summaries = Object.fromEntries(servers.map((s) => [s.name, summarise(samplesOf(samples, r.key, s.name))]));
      results.set(r.key, routeResult(r, summaries, await r.ceiling()));
    }
    const [ours] = servers;
    const compression = results.has('list') ? await listCompressionFigures(`${ours.base}/passengerlist`, pidOf(ours.child)) : undefined;
    console.error("measuring the floors (one Node process, none of the service's code)…");
    const floors = await measureFloors(url, uuidFile, results, { ...RUN, koaPort: PORTS.koa });
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
        loadAverageBefore: loadBefore.map((n) => round(n)),
        loadAverageBeforeEachRound: loads,
        loadAverageAfter: loadavg().map((n) => round(n)),
      },
      settings: {
        ...RUN,
        rounds: ROUNDS,
        workers: WORKERS,
        nodeOptions: serviceEnv.NODE_OPTIONS,
        peerNodeOptions: 'none (Node defaults)',
        logLevel: serviceEnv.LOG_LEVEL,
        dbPoolMax: serviceEnv.DB_POOL_MAX ?? 'default',
        loadGenerator: 'autocannon (separate process), 1 s warm-up before each run',
        ...(compareDists.length ? { compareDists } : {}),
      },
      routes: [...results.values()],
      floors,
    };
    printRoutes(result.routes, ROUNDS, loads);
    printFloors(floors);
    if (compression) printHttpExtras(compression, pageETagMicros());
    const baselineName = WORKERS === 1 ? 'baseline.json' : `baseline-workers-${WORKERS}.json`;
    const file = join(ROOT, 'bench', 'results', args.baseline ? baselineName : `${result.date.replace(/[:.]/g, '-')}.tmp.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`written ${file}`);
  } finally {
    await admin.end();
    for (const server of started) await stopProcess(server.child);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
