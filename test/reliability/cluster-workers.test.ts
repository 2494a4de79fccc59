import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type ServerProcess, startServer } from '../../scripts/lib/server-process';
import { ROOT } from '../../scripts/lib/paths';
import { createScratchSchema } from '../support/test-database';
import { waitUntil } from '../support/poll';

// WORKERS=2 on PostgreSQL: the primary migrates and seeds once, both workers
// serve the shared port, /metrics sums every worker's counters and labels
// each worker's gauges; a signal to the primary
// or to the whole process group (Ctrl-C, systemd) drains each worker once and
// exits 0, a second signal ends them at once; and a worker that dies on its
// own brings the server down (exit 1) so its supervisor restarts it.

const url = process.env.TEST_DATABASE_URL;
if (!url) throw new Error('TEST_DATABASE_URL is required (npm run test:reliability runs under .ci/run)');

interface LogLine {
  msg?: string;
  worker?: number;
  path?: string;
  level?: number;
}
const parsed = (server: ServerProcess): LogLine[] =>
  server.logs.flatMap((line) => {
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });

async function startCluster(databaseUrl: string, drainMs = 200): Promise<ServerProcess> {
  const server = await startServer({ DATABASE_URL: databaseUrl, WORKERS: '2', SHUTDOWN_DRAIN_MS: String(drainMs) }, 20_000, ROOT, {
    detached: true,
  });
  // startServer returns at the first worker's "listening"; wait for the second.
  await waitUntil(() => parsed(server).filter((l) => l.msg === 'listening').length >= 2, { withinMs: 10_000 });
  expect(
    parsed(server)
      .filter((l) => l.msg === 'listening')
      .map((l) => l.worker)
      .sort(),
  ).toEqual([1, 2]);
  return server;
}

function workerPids(primaryPid: number): number[] {
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(primaryPid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((pid) => pid > 0);
}

describe('WORKERS=2 (node:cluster) on PostgreSQL', () => {
  it('seeds once, serves from both workers, sums their counters, labels their gauges and drains both on SIGTERM', async () => {
    const since = Math.floor(Date.now() / 1000);
    const scratch = await createScratchSchema(url);
    const server = await startCluster(scratch.url);
    try {
      // Seeded once by the primary: a seed per worker would race on the demo uuids.
      const list = (await (await fetch(`${server.baseUrl}/passengerlist`)).json()) as unknown[];
      expect(list).toHaveLength(12);

      const REQUESTS = 40;
      for (let i = 0; i < REQUESTS; i++) {
        // A new connection each time, so the primary hands them out to both workers.
        const res = await fetch(`${server.baseUrl}/hello`, { headers: { Connection: 'close' } });
        expect(res.status).toBe(200);
      }
      // Each worker writes its access lines in batches, up to 250 ms late (src/logger.ts).
      const served = () => parsed(server).filter((l) => l.msg === 'request' && l.path === '/hello');
      await waitUntil(() => served().length >= REQUESTS);
      expect(served()).toHaveLength(REQUESTS);
      expect(new Set(served().map((l) => l.worker))).toEqual(new Set([1, 2]));

      const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
      expect(metrics).toContain(`http_request_duration_seconds_count{operationId="hello",method="GET",status="200"} ${REQUESTS}`);
      // Gauges are per process: each worker's own, never a sum (2 × the limit) or dropped (the start time).
      const gauge = (name: string) =>
        [...metrics.matchAll(new RegExp(`^${name}(\\{[^}]*\\}|) (\\S+)$`, 'gm'))].map((m) => ({ labels: m[1], value: Number(m[2]) }));
      const maxFds = gauge('process_max_fds');
      expect(maxFds.map((g) => g.labels).sort()).toEqual(['{worker="1"}', '{worker="2"}']);
      // The workers inherit this process's open-files limit.
      const limit = Number(/^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1]);
      expect(maxFds.map((g) => g.value)).toEqual([limit, limit]);
      const started = gauge('process_start_time_seconds');
      expect(started.map((g) => g.labels).sort()).toEqual(['{worker="1"}', '{worker="2"}']);
      for (const { value } of started) {
        expect(value).toBeGreaterThanOrEqual(since);
        expect(value).toBeLessThanOrEqual(Date.now() / 1000);
      }
      expect(
        gauge('db_pool_connections')
          .map((g) => g.labels)
          .sort(),
      ).toEqual(['{worker="1"}', '{worker="2"}']);

      expect(await server.stop('SIGTERM')).toBe(0);
      const drained = parsed(server)
        .filter((l) => l.msg === 'shut down cleanly')
        .map((l) => l.worker);
      expect(drained.sort()).toEqual([1, 2]);
    } finally {
      await server.stop('SIGKILL');
      await scratch.drop();
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('drains each worker once when %s reaches the whole process group', async (signal) => {
    const scratch = await createScratchSchema(url);
    const server = await startCluster(scratch.url);
    try {
      process.kill(-server.child.pid!, signal);
      expect(await server.exited).toBe(0);
      const lines = parsed(server);
      expect(
        lines
          .filter((l) => l.msg === 'shut down cleanly')
          .map((l) => l.worker)
          .sort(),
      ).toEqual([1, 2]);
      expect(lines.filter((l) => (l.level ?? 0) >= 40 && l.worker !== undefined)).toEqual([]);
    } finally {
      await server.stop('SIGKILL');
      await scratch.drop();
    }
  });

  it('ends the workers at once on a second signal to the primary', async () => {
    const scratch = await createScratchSchema(url);
    const server = await startCluster(scratch.url, 10_000);
    try {
      const signalled = performance.now();
      server.child.kill('SIGTERM');
      await waitUntil(() => parsed(server).filter((l) => l.msg === 'shutting down').length >= 2, { withinMs: 2_500 });
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(1);
      // Well inside the 10 s drain window the workers were in.
      expect(performance.now() - signalled).toBeLessThan(5_000);
      expect(parsed(server).filter((l) => l.msg === 'told to exit now')).toHaveLength(2);
    } finally {
      await server.stop('SIGKILL');
      await scratch.drop();
    }
  });

  it('stops the other worker and exits 1 when a worker dies', async () => {
    const scratch = await createScratchSchema(url);
    const server = await startCluster(scratch.url);
    try {
      const [victim, survivor] = workerPids(server.child.pid!);
      expect(survivor).toBeGreaterThan(0);
      process.kill(victim, 'SIGKILL');
      expect(await server.exited).toBe(1);
      expect(parsed(server).some((l) => l.msg === 'a worker exited unexpectedly: stopping the others')).toBe(true);
      expect(parsed(server).filter((l) => l.msg === 'shut down cleanly')).toHaveLength(1);
      expect(() => process.kill(survivor, 0)).toThrow();
    } finally {
      await server.stop('SIGKILL');
      await scratch.drop();
    }
  });
});
