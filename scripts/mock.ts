// `npm run mock`: the service's own HTTP chain (src/app.ts's createHttpApp:
// routing, validation, media types, the body limit, request ids, problems,
// CORS from CORS_ORIGINS, HEAD, OPTIONS, 404, 501) on MOCK_PORT (default 4010),
// around handlers that answer from the spec's examples instead of a database
// (scripts/lib/mock-handlers.ts): the list pages its examples' rows as the
// service pages a table, everything else is Prism's example answer. So a
// request the service refuses, the mock refuses the same way.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createHttpApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createOpenApiBackend } from '../src/http/api';
import { createLogger } from '../src/logger';
import { SPEC_PATH, loadSpec } from '../src/spec';
import { mockHandlers } from './lib/mock-handlers';

const HOST = '127.0.0.1';

export function mockPort(env: Record<string, string | undefined>): number {
  const raw = env.MOCK_PORT;
  if (raw === undefined || raw === '') return 4010;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`MOCK_PORT must be an integer from 1 to 65535, got "${raw}"`);
  return port;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, HOST, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => {
        resolve(port);
      });
    });
    probe.on('error', reject);
  });
}

function startPrism(port: number): Promise<ReturnType<typeof spawn>> {
  const prism = spawn(join(__dirname, '..', 'node_modules', '.bin', 'prism'), ['mock', SPEC_PATH, '--host', HOST, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    prism.once('exit', (code) => {
      reject(new Error(`prism mock exited with ${code}`));
    });
    createInterface({ input: prism.stdout }).on('line', (line) => {
      console.log(line);
      if (line.includes('Prism is listening')) resolve(prism);
    });
  });
}

async function main(): Promise<void> {
  const port = mockPort(process.env);
  // The service's rules for the variables the chain reads (BODY_LIMIT,
  // CORS_ORIGINS, LOG_LEVEL, ...); API_KEYS is not checked by the mock.
  const config = loadConfig(process.env);
  const api = await createOpenApiBackend(loadSpec());
  const prismPort = await freePort();
  const prism = await startPrism(prismPort);
  const app = createHttpApp({
    api,
    logger: createLogger(config.logLevel),
    bodyLimit: config.bodyLimit,
    validateResponses: false,
    apiKeys: [],
    corsOrigins: config.corsOrigins,
    trustProxy: config.trustProxy,
    accepting: () => true,
    handlers: mockHandlers(api, prismPort),
    metrics: (_ctx, next) => next(),
  });
  // The service's timeouts too, so a slow client is cut off as it would be.
  const server = createServer(
    { headersTimeout: config.headersTimeoutMs, requestTimeout: config.requestTimeoutMs, keepAliveTimeout: config.keepAliveTimeoutMs },
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- Koa's handler catches its own errors (ctx.onerror), as in src/main.ts
    app.callback(),
  );
  server.listen(port, HOST, () => {
    console.log(`mock listening on http://${HOST}:${port} (Prism behind it on port ${prismPort})`);
  });
  server.on('error', (err) => {
    console.error(`mock: cannot listen on port ${port} (MOCK_PORT): ${err.message}`);
    prism.kill('SIGKILL');
    process.exit(1);
  });
  prism.once('exit', (code) => {
    console.error(`prism mock exited with ${code}`);
    process.exit(1);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      prism.removeAllListeners('exit');
      prism.kill('SIGTERM');
      server.close();
      process.exit(0);
    });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
