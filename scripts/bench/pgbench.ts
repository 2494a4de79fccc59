import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PGBENCH = process.env.PGBENCH ?? '/usr/bin/pgbench';

interface PgbenchResult {
  transactionsPerSecond: number;
  latencyAverageMs: number;
}

// The database's own ceiling for one query: pgbench, prepared statements, the
// same number of connections as the HTTP load. One script per statement text;
// several scripts are picked at random with equal weight (e.g. one per uuid).
export async function pgbench(databaseUrl: string, statements: string[], options: { connections: number; seconds: number }): Promise<PgbenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pgbench-'));
  const files = statements.map((statement, i) => {
    const file = join(dir, `script${i}.sql`);
    writeFileSync(file, `${statement};\n`);
    return file;
  });
  const args = ['-n', '-M', 'prepared', '-c', String(options.connections), '-j', '2', '-T', String(options.seconds)];
  const { stdout } = await run(PGBENCH, [...args, ...files.flatMap((file) => ['-f', file]), databaseUrl], { maxBuffer: 1 << 24 });
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  const latency = /latency average = ([\d.]+) ms/.exec(stdout);
  if (!tps || !latency) throw new Error(`unexpected pgbench output:\n${stdout}`);
  return { transactionsPerSecond: Number(tps[1]), latencyAverageMs: Number(latency[1]) };
}

export async function pgbenchCeiling(name: string, databaseUrl: string, statements: string[], options: { connections: number; seconds: number }) {
  const { transactionsPerSecond } = await pgbench(databaseUrl, statements, options);
  return { name, requestsPerSecond: transactionsPerSecond };
}
