import cluster from 'node:cluster';
import type { Logger } from 'pino';
import { AggregatorRegistry, Registry } from 'prom-client';
import { handOverStopSignals } from './stop-signals';

// WORKERS > 1: the primary process forks the workers that serve (they share
// the listening socket through node:cluster), tells them to drain on SIGTERM
// or SIGINT and exits once they all have. A worker that dies on its own takes
// the others down with it, so the supervisor (Kubernetes, systemd, compose)
// restarts the whole server instead of it running short-handed unnoticed.
//
// Only the primary decides when to stop. A signal may reach every process at
// once (Ctrl-C, systemd's control-group kill, kill -- -PGID) or the primary
// alone (Kubernetes); either way each worker drains exactly once, and only a
// second signal to the primary makes them exit without draining.
const DRAIN = 'passenger-api:drain';
const EXIT_NOW = 'passenger-api:exit-now';

// A worker's GET /metrics asks the primary, which gathers every worker's
// registry (prom-client's AggregatorRegistry) and answers with one text:
// counters and histograms summed, gauges one series per worker (WorkerRegistry).
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

interface PrimaryOptions {
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

  const workers = () => Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
  const tellWorkers = (type: typeof DRAIN | typeof EXIT_NOW): void => {
    for (const worker of workers()) worker.send({ type });
  };
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // A worker that cannot drain in time (or cannot hear us) is killed.
    setTimeout(() => {
      for (const worker of workers()) worker.process.kill('SIGKILL');
    }, options.shutdownTimeoutMs + 5_000).unref();
    tellWorkers(DRAIN);
  };

  cluster.on('fork', (worker) => {
    // A message to a worker that has just died fails with an 'error' event
    // (ours, and prom-client's metrics requests); unhandled, it would crash the
    // primary and leave the other workers undrained. Its 'exit' follows.
    worker.on('error', (err: Error) => {
      logger.warn({ worker: worker.id, err: err.message }, 'could not reach a worker');
    });
  });

  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage<MetricsRequest>(message, METRICS_REQUEST)) return;
    const reply = (fields: Partial<MetricsReply>) => worker.send({ type: METRICS_REPLY, id: message.id, ...fields });
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

  // As a single-process server does: the first signal drains, a second one
  // ends the workers at once.
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: workers exit now');
      tellWorkers(EXIT_NOW);
      return;
    }
    logger.info({ signal }, 'shutting down workers');
    stop();
  };
  handOverStopSignals(onSignal);
}

// In a worker, from its first moment: waits for the primary's word to stop,
// and calls `drain` (once) when it comes; before the worker serves there is
// nothing to drain, so it just exits. A SIGTERM sent to the worker alone
// counts as the same request; SIGINT is left to the primary (Ctrl-C reaches
// the whole process group).
export function followPrimary(logger: Logger): (drain: () => void) => void {
  let requested = false;
  let drain: (() => void) | undefined;
  const request = (): void => {
    if (requested) return;
    requested = true;
    if (drain) drain();
    else process.exit(0);
  };
  process.on('SIGTERM', request);
  process.on('SIGINT', () => undefined);
  process.on('message', (message: unknown) => {
    if (isMessage(message, DRAIN)) request();
    if (isMessage(message, EXIT_NOW)) {
      logger.warn('told to exit now');
      process.exit(1);
    }
  });
  return (callback) => {
    drain = callback;
  };
}

// What a worker hands the primary. A gauge is one process's reading (open and
// maximum file descriptors, heap, start time, event-loop lag, pool size), so
// a sum or prom-client's default per-metric choice (omit the start time,
// average the lag) would report a process that does not exist: each worker's
// gauges carry a `worker` label instead, and the primary passes them through
// (one series per label set, so 'first' takes each as it is). Counters and
// histograms count events, which add up across workers: those are summed.
class WorkerRegistry extends Registry {
  constructor(
    private readonly own: Registry,
    private readonly worker: string,
  ) {
    super();
  }

  override async getMetricsAsJSON(): ReturnType<Registry['getMetricsAsJSON']> {
    const metrics = await this.own.getMetricsAsJSON();
    // prom-client's types declare `type` a numeric enum; at run time it is the exposition name.
    return metrics.map((metric) =>
      (metric.type as unknown) !== 'gauge'
        ? metric
        : {
            ...metric,
            aggregator: 'first',
            values: metric.values.map((value) => ({ ...value, labels: { ...value.labels, worker: this.worker } })),
          },
    );
  }
}

// In a worker: reads the metrics of every worker from the primary.
export function clusterMetricsReader(registry: Registry): () => Promise<string> {
  // The worker side of prom-client's aggregation: constructing an
  // AggregatorRegistry in a worker makes it answer the primary with these registries.
  AggregatorRegistry.setRegistries([new WorkerRegistry(registry, String(cluster.worker?.id))]);
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
      // Only a forked process (a cluster worker) has an IPC channel to ask on.
      if (!process.send) {
        reject(new Error("collecting the cluster's metrics needs a cluster worker's IPC channel"));
        return;
      }
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
      process.send({ type: METRICS_REQUEST, id } satisfies MetricsRequest, undefined, undefined, (err: Error | null) => {
        if (!err) return;
        clearTimeout(timer);
        pending.delete(id);
        reject(new Error(`could not ask the primary process for the cluster's metrics: ${err.message}`));
      });
    });
}
