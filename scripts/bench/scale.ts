// `npm run bench:scale`: 1,000,000 synthetic passengers seeded by COPY (timed),
// then the production server walks every page of /passengerlist by its Link
// headers while its RSS is sampled, page 500 is timed against page 1, and the
// plans of filtered pages are printed. Writes JSON to bench/results/.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { seedSynthetic } from '../../src/bulk/commands';
import { progressReporter } from '../../src/bulk/progress';
import { listPassengersQuery } from '../../src/passengers/passenger.repository';
import { ROOT } from '../lib/paths';
import { freshBenchDatabase } from './database';
import { pidOf, run, rssMb, startProcess, stopProcess } from './processes';

const { values: args } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, baseline: { type: 'boolean', default: false } },
});
const ROWS = Number(args.rows);
const PORT = Number(process.env.BENCH_PORT ?? 4600) + 2;
const SAMPLES = 21;

async function timedGet(url: string): Promise<{ ms: number; next?: string; rows: number }> {
  const started = performance.now();
  const res = await fetch(url);
  const body = (await res.json()) as unknown[];
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  const next = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
  return { ms, next, rows: body.length };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const loadBefore = loadavg().map((n) => Math.round(n * 100) / 100);
  await run('npm', ['run', '-s', 'build'], { cwd: ROOT });
  const { url, handle } = await freshBenchDatabase(process.env.BENCH_SCALE_DB_NAME ?? 'passenger_bench_scale');
  const seedStarted = performance.now();
  await seedSynthetic(handle, { rows: ROWS, seed: 1 }, { replace: true, progress: progressReporter('seed:synthetic') });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  await sql`analyze passenger`.execute(handle.db);

  const env = {
    PATH: process.env.PATH,
    DATABASE_URL: url,
    PORT: String(PORT),
    HOST: '127.0.0.1',
    SEED_DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    NODE_OPTIONS: '--max-semi-space-size=4',
  };
  const base = `http://127.0.0.1:${PORT}`;
  const server = await startProcess(process.execPath, [join(ROOT, 'dist', 'main.js')], env, `${base}/readyz`);
  try {
    // Walk every page by its Link header, as a client would.
    let next: string | undefined = '/passengerlist';
    const pageUrls: string[] = [];
    let rows = 0;
    let peakRssMb = rssMb(pidOf(server));
    const walkStarted = performance.now();
    while (next) {
      pageUrls.push(next);
      const page = await timedGet(`${base}${next}`);
      rows += page.rows;
      next = page.next;
      if (pageUrls.length % 20 === 0) peakRssMb = Math.max(peakRssMb, rssMb(pidOf(server)));
    }
    const walkSeconds = (performance.now() - walkStarted) / 1000;
    if (rows !== ROWS) throw new Error(`walked ${rows} rows, expected ${ROWS}`);
    // Page 1 and page 500, alternately, so both see the same machine load.
    const page500 = pageUrls[Math.min(499, pageUrls.length - 1)];
    const first: number[] = [];
    const deep: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      first.push((await timedGet(`${base}${pageUrls[0]}`)).ms);
      deep.push((await timedGet(`${base}${page500}`)).ms);
    }
    const cursor = new URL(page500, base).searchParams.get('after');
    if (cursor === null) throw new Error(`page URL ${page500} has no after= cursor`);
    // The plans of the service's own page query (repository.listPassengersQuery), as the
    // planner chooses them on this table: nothing switched off.
    const plans: Record<string, string> = {};
    for (const [label, filter] of [
      ['after only', {}],
      ['survived', { survived: true }],
      ['passengerClass', { passengerClass: 2 }],
      ['sex', { sex: 'female' }],
      ['all three', { survived: false, passengerClass: 1, sex: 'male' }],
    ] as const) {
      const plan = await listPassengersQuery(handle.db, { rows: 1001, after: cursor, ...filter }).explain();
      plans[label] = plan.map((row) => String(row['QUERY PLAN'])).join('\n');
    }
    const result = {
      date: new Date().toISOString(),
      loadAverageBefore: loadBefore,
      rows: ROWS,
      seed: { seconds: Math.round(seedSeconds * 10) / 10, rowsPerSecond: Math.round(ROWS / seedSeconds) },
      walk: { pages: pageUrls.length, seconds: Math.round(walkSeconds * 10) / 10, serverPeakRssMb: Math.round(peakRssMb) },
      page1MedianMs: Math.round(median(first) * 10) / 10,
      page500MedianMs: Math.round(median(deep) * 10) / 10,
      page500ToPage1: Math.round((median(deep) / median(first)) * 100) / 100,
      plans,
    };
    console.log(`seeded ${ROWS} rows in ${result.seed.seconds} s (${result.seed.rowsPerSecond} rows/s)`);
    console.log(`walked ${result.walk.pages} pages in ${result.walk.seconds} s; server peak RSS ${result.walk.serverPeakRssMb} MB`);
    console.log(`page 1 median ${result.page1MedianMs} ms, page 500 median ${result.page500MedianMs} ms: ratio ${result.page500ToPage1} (target ≤ 1.5)`);
    for (const [label, plan] of Object.entries(plans)) console.log(`\nEXPLAIN (${label}):\n${plan}`);
    const file = join(ROOT, 'bench', 'results', args.baseline ? 'scale-baseline.json' : `scale-${result.date.replace(/[:.]/g, '-')}.tmp.json`);
    writeFileSync(file, `${JSON.stringify({ ...result, loadAverageAfter: loadavg().map((n) => Math.round(n * 100) / 100) }, null, 2)}\n`);
    console.log(`\nwritten ${file}`);
  } finally {
    await stopProcess(server);
    await handle.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
