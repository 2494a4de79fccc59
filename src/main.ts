// First: signals are handled from the process's first moment (stop-signals.ts).
import { handOverStopSignals, stopRequested } from './stop-signals';
import cluster from 'node:cluster';
import type { Logger } from 'pino';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from './app';
import { clusterMetricsReader, followPrimary, runPrimary } from './cluster';
import { type Config, ConfigError, loadConfig } from './config';
import { type DatabaseHandle, describeDatabaseError, openDatabase, postgresTarget, unreachableMessage } from './db/database';
import { migrateToLatest } from './db/migrate';
import { createOpenApiBackend } from './http/api';
import { createHttpServer } from './http/connections';
import { batchedStdout, createLogger, logDestination } from './logger';
import { seedDemoIfEmpty } from './passengers/demo-seed';
import { checkPortFree, portInUseMessage } from './port';
import { secretsOf } from './secrets';
import { loadSpec } from './spec';

let config: Readonly<Config> | undefined;

async function main(): Promise<void> {
  config = loadConfig();
  // Batched stdout (see batchedStdout): not a write(2) per access-log line.
  const stdout = batchedStdout();
  const logger = createLogger(config.logLevel, logDestination(config.logFormat, { stdout }), secretsOf(config, process.env));
  if (cluster.worker) {
    const workerLogger = logger.child({ worker: cluster.worker.id });
    // Before anything else, so a stop during start-up is not a crash.
    const onStop = followPrimary(workerLogger);
    await serve(config, workerLogger, (shutdown) => {
      onStop(() => {
        shutdown('primary asked');
      });
    });
    return;
  }
  if (config.apiKeys.length === 0) {
    logger.warn('API_KEYS is not set: anyone who can reach the server can create, change and delete passengers');
  }
  if (config.workers === 1) {
    await serve(config, logger, onSignals);
    return;
  }
  // Migrate and seed once, here, before any worker serves.
  await checkPortFree(config.port, config.host);
  const database = await openConfiguredDatabase(config, logger);
  await prepare(database, config, logger);
  await database.close();
  runPrimary(
    {
      workers: config.workers,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
      workerEnv: { MIGRATE_ON_START: 'false', SEED_DEMO_DATA: 'false' },
    },
    logger,
  );
}

async function openConfiguredDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  // A start that migrates or seeds needs the database now: without it, exit 1
  // naming DATABASE_URL / PG*. One that does neither (MIGRATE_ON_START and
  // SEED_DEMO_DATA false, as in Kubernetes) may come up first and answer 503
  // until the database does.
  const needed = config.migrateOnStart || config.seedDemoData;
  const database = await openDatabase(config.database, {
    poolMax: config.dbPoolMax,
    logger,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    ...(needed ? {} : { firstQuery: () => Promise.resolve() }),
  });
  if (!needed && database.kind === 'postgres') {
    try {
      await database.ping();
    } catch (err) {
      const connectionString = config.database.kind === 'postgres' ? config.database.connectionString : undefined;
      logger.warn(`${unreachableMessage(connectionString, err)}; answering 503 until it does`);
      return database;
    }
  }
  logger.info(
    config.database.kind === 'pglite'
      ? { database: 'pglite', dataDir: config.database.dataDir }
      : { database: 'postgres', target: postgresTarget(config.database.connectionString) },
    'database opened',
  );
  return database;
}

async function prepare(database: DatabaseHandle, config: Config, logger: Logger): Promise<void> {
  if (config.migrateOnStart) await migrateToLatest(database.db, logger);
  if (config.seedDemoData) await seedDemoIfEmpty(database.db, logger, { embedded: database.kind === 'pglite' });
}

// Who says when a serving process stops: signals (a lone server) or the primary (a worker).
type StopRequests = (shutdown: (reason: string) => void) => void;

// A second signal, while draining, exits at once.
const onSignals: StopRequests = (shutdown) => {
  handOverStopSignals(shutdown);
};

// Where a browser on this machine reaches the server: a wildcard bind (HOST
// unset) answers on localhost.
function browsableUrl({ address, family, port }: AddressInfo): string {
  const host = address === '0.0.0.0' || address === '::' ? 'localhost' : family === 'IPv6' ? `[${address}]` : address;
  return `http://${host}:${port}`;
}

// One serving process: the whole server, or one worker of a cluster.
async function serve(config: Config, logger: Logger, stopRequests: StopRequests): Promise<void> {
  // A worker's port is the primary's, checked there.
  if (cluster.isPrimary) await checkPortFree(config.port, config.host);
  const database = await openConfiguredDatabase(config, logger);
  await prepare(database, config, logger);

  let accepting = true;
  const api = await createOpenApiBackend(loadSpec());
  const app = createApp({
    api,
    database,
    logger,
    bodyLimit: config.bodyLimit,
    validateResponses: config.validateResponses,
    apiKeys: config.apiKeys,
    corsOrigins: config.corsOrigins,
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
    logProbes: config.logProbes,
    accepting: () => accepting,
    metricsReader: cluster.isWorker ? clusterMetricsReader : undefined,
  });

  // Slow clients cannot hold a socket forever; idle keep-alive outlives a
  // typical load balancer's 60 s so the balancer, not us, closes first. Node
  // enforces the header and request timeouts only when it checks connections
  // (every 30 s by default), so check often enough for the limits to hold.
  const { server, close: closeServer } = createHttpServer(
    {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      keepAliveTimeout: config.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, config.headersTimeoutMs),
    },
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- Koa's handler catches its own errors (ctx.onerror); wrapping it would add a call per request
    app.callback(),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((err: unknown) => {
    throw (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? new Error(portInUseMessage(config.port, config.host)) : err;
  });
  const address = server.address() as AddressInfo;
  const url = browsableUrl(address);
  logger.info({ address, url, docs: `${url}/docs` }, 'listening');

  let stopping = false;
  const shutdown = async (reason: string): Promise<void> => {
    if (stopping) {
      logger.warn({ signal: reason }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    accepting = false;
    logger.info({ signal: reason, drainMs: config.shutdownDrainMs }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('shutdown timed out: closing remaining connections');
      server.closeAllConnections();
    }, config.shutdownTimeoutMs);
    deadline.unref();
    // Keep accepting for the drain window, so connections already in the
    // listen backlog are served, not reset; closeServer then tells each
    // keep-alive connection to close with its next answer.
    await sleep(config.shutdownDrainMs);
    await closeServer();
    await database.close();
    clearTimeout(deadline);
    logger.info('shut down cleanly');
    process.exit(0);
  };
  stopRequests((reason) => void shutdown(reason));
}

// One line, no stack trace: what stopped the start and, where it can, what to do.
main().catch((err: unknown) => {
  // A stop during start-up closed the database under a start-up step; stop-signals exits.
  if (stopRequested()) return;
  if (err instanceof ConfigError) {
    console.error(`passenger-api: invalid configuration: ${err.message}`);
  } else {
    console.error(`passenger-api: failed to start: ${describeDatabaseError(err, config?.database)}`);
  }
  process.exit(1);
});
