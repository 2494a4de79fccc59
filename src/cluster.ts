import cluster from 'node:cluster';
import type { Logger } from 'pino';
import { AggregatorRegistry, type Registry } from 'prom-client';

// WORKERS > 1: the primary process forks the workers that serve (they share
// the listening socket through node:cluster), passes SIGTERM/SIGINT on to
// them and exits once they all have. A worker that dies on its own takes the
// others down with it, so the supervisor (Kubernetes, systemd, compose)
// restarts the whole server instead of it running short-handed unnoticed.

// A worker's GET /metrics asks the primary, which gathers every worker's
// registry (prom-client's AggregatorRegistry) and answers with the sum.
const METRICS_REQUEST = 'passenger-api:metrics-request';
const METRICS_REPLY = 'passenger-api:metrics-reply';
const METRICS_TIMEOUT_MS = 6_000; // prom-client gives up on a silent worker after 5 s

interface MetricsRequest {
  type: typeof METRICS_REQUEST;
  id: number;
}
interface MetricsReply {
  type: typeof METRICS_REPLY;
  id: number;
  text?: string;
  error?: string;
}

function isMessage<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

export interface PrimaryOptions {
  workers: number;
  // After this (and a margin), workers still running are killed.
  shutdownTimeoutMs: number;
  // Set on every worker: the primary has already migrated and seeded.
  workerEnv: Record<string, string>;
}

export function runPrimary(options: PrimaryOptions, logger: Logger): void {
  const aggregator = new AggregatorRegistry();
  let running = 0;
  let stopping = false;
  let exitCode = 0;

  const signalWorkers = (signal: NodeJS.Signals): void => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => signalWorkers('SIGKILL'), options.shutdownTimeoutMs + 5_000).unref();
    signalWorkers('SIGTERM');
  };

  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage<MetricsRequest>(message, METRICS_REQUEST)) return;
    // A worker that died meanwhile cannot be answered; without the callback
    // the failed send would be an unhandled 'error' event in the primary.
    const reply = (fields: Partial<MetricsReply>) =>
      worker.send({ type: METRICS_REPLY, id: message.id, ...fields }, undefined, undefined, (err: Error | null) => {
        if (err) logger.warn({ worker: worker.id, err: err.message }, 'could not answer a metrics request');
      });
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (err: unknown) => reply({ error: err instanceof Error ? err.message : String(err) }),
    );
  });
  cluster.on('exit', (worker, code, signal) => {
    running -= 1;
    if (!stopping) {
      logger.error({ worker: worker.id, code, signal }, 'a worker exited unexpectedly: stopping the others');
      exitCode = 1;
      stop();
    } else if (code !== 0) {
      exitCode = 1;
    }
    if (running === 0) {
      logger.info({ exitCode }, 'all workers stopped');
      process.exit(exitCode);
    }
  });

  for (let i = 0; i < options.workers; i++) {
    cluster.fork(options.workerEnv);
    running += 1;
  }
  logger.info({ workers: options.workers }, 'started workers');

  // A second signal is passed on too: each worker then exits at once, as a
  // single-process server does.
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, stopping ? 'second signal: passing it on' : 'shutting down workers');
    if (stopping) signalWorkers(signal === 'SIGINT' ? 'SIGTERM' : signal);
    stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

// In a worker: reads the metrics of every worker, summed, from the primary.
export function clusterMetricsReader(registry: Registry): () => Promise<string> {
  // The worker side of prom-client's aggregation: constructing an
  // AggregatorRegistry in a worker makes it answer the primary with these registries.
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry();
  const pending = new Map<number, (reply: MetricsReply) => void>();
  let nextId = 0;
  process.on('message', (message: unknown) => {
    if (!isMessage<MetricsReply>(message, METRICS_REPLY)) return;
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`the primary process did not send the cluster's metrics within ${METRICS_TIMEOUT_MS} ms`));
      }, METRICS_TIMEOUT_MS);
      pending.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.text !== undefined) resolve(reply.text);
        else reject(new Error(`collecting the cluster's metrics failed: ${reply.error}`));
      });
      process.send!({ type: METRICS_REQUEST, id } satisfies MetricsRequest);
    });
}
