// The driver floor: one Node process running the service's own statements
// through node-postgres (named prepared statements, as the service does) at
// the given concurrency, with no HTTP. For the list it also serialises the
// rows to JSON, as every response must. Prints one JSON line.
// usage: tsx scripts/bench/pg-client.ts URL get|list CONNECTIONS SECONDS SQL [UUID_FILE]
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';

const [url, mode, connections, seconds, text, uuidFile] = process.argv.slice(2);
const uuids = uuidFile ? readFileSync(uuidFile, 'utf8').trim().split('\n') : [];
const pool = new Pool({ connectionString: url, max: Number(connections) });

async function once(): Promise<void> {
  const values = mode === 'get' ? [uuids[Math.floor(Math.random() * uuids.length)]] : [];
  const { rows } = await pool.query({ name: `floor_${mode}`, text, values });
  if (mode === 'list') JSON.stringify(rows);
}

async function drive(ms: number): Promise<number> {
  const until = performance.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: Number(connections) }, async () => {
      while (performance.now() < until) {
        await once();
        done += 1;
      }
    }),
  );
  return done;
}

void (async () => {
  await drive(1_000); // JIT, connections, prepared statements
  const cpu = process.cpuUsage();
  const started = performance.now();
  const done = await drive(Number(seconds) * 1_000);
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await pool.end();
  process.stdout.write(
    `${JSON.stringify({ requestsPerSecond: (done * 1_000) / elapsed, cpuMicrosPerRequest: Math.round((used.user + used.system) / done) })}\n`,
  );
})();
