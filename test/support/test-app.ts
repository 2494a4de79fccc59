import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { Response } from 'supertest';
import pino, { type Logger } from 'pino';
import { createApp } from '../../src/app';
import { createOpenApiBackend } from '../../src/http/api';
import { PROBLEM_CONTENT_TYPE, type Problem } from '../../src/http/problem';
import { listenOnLoopback } from './loopback';
import { assertMatchesContract } from './response-contract';
import { parametersOf } from './spec-arbitraries';
import { type TestDatabase, openTestDatabase, silentLogger } from './test-database';
import { compileComponentSchema, loadSpec } from '../../src/spec';
import { seedDemoIfEmpty } from '../../src/passengers/demo-seed';

export interface TestApp {
  request: TestAgent;
  // The same app as a Node request listener, for tests that need a real socket.
  listener: ReturnType<ReturnType<typeof createApp>['callback']>;
  database: TestDatabase;
  setAccepting(value: boolean): void;
}

// The real app on a real database, driven through app.callback(). Response
// validation is on: a success body that breaks the spec fails as a 500.
export interface TestAppOptions {
  bodyLimit?: string;
  logger?: Logger;
  apiKeys?: string[];
  corsOrigins?: string[];
  trustProxy?: boolean;
  publicUrl?: string;
  logProbes?: boolean;
  // Another app's database, so a file can try two configurations on one PGlite.
  database?: TestDatabase;
}

export async function openTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await openTestDatabase());
  const api = await createOpenApiBackend(loadSpec());
  let accepting = true;
  const app = createApp({
    api,
    database: database.handle,
    logger: options.logger ?? silentLogger,
    bodyLimit: options.bodyLimit ?? '100kb',
    validateResponses: true,
    apiKeys: options.apiKeys ?? [],
    corsOrigins: options.corsOrigins ?? [],
    trustProxy: options.trustProxy ?? false,
    publicUrl: options.publicUrl,
    logProbes: options.logProbes ?? false,
    accepting: () => accepting,
  });
  const listener = app.callback();
  return {
    request: checkedAgent(supertest(listener)),
    listener,
    database,
    setAccepting: (value) => {
      accepting = value;
    },
  };
}

// What every test of a file starts from: an empty table, or the demo passengers.
type Reset = 'empty' | 'demo';

export interface TestContextOptions extends Omit<TestAppOptions, 'database'> {
  reset?: Reset;
  // Also listen on 127.0.0.1 (a free port), for tests that need a real socket.
  listen?: boolean;
  // Another context's database (opened before this one), to try two
  // configurations on one PGlite; that context closes it.
  databaseOf?: TestContext;
}

export interface TestContext extends TestApp {
  // The listening server (listen: true only).
  readonly port: number;
  readonly baseUrl: string;
}

// The one test context, after kysely's example/test/test-context.ts: a file
// calls it at its top; it opens the app (and a socket, if asked) in beforeAll,
// resets the table before each test as asked, and closes everything after
// the file. Its properties can be read once beforeAll has run.
export function useTestApp(options: TestContextOptions = {}): TestContext {
  const { reset, listen, databaseOf, ...appOptions } = options;
  let app: TestApp | undefined;
  let socket: Awaited<ReturnType<typeof listenOnLoopback>> | undefined;
  beforeAll(async () => {
    app = await openTestApp({ ...appOptions, ...(databaseOf ? { database: databaseOf.database } : {}) });
    if (listen) socket = await listenOnLoopback((req, res) => void app?.listener(req, res));
  });
  afterAll(async () => {
    await socket?.close();
    if (!databaseOf) await app?.database.close();
  });
  if (reset) {
    beforeEach(async () => {
      const { database } = opened();
      await database.truncate();
      if (reset === 'demo') await seedDemoIfEmpty(database.handle.db, silentLogger);
    });
  }
  const opened = (): TestApp => {
    if (!app) throw new Error('the test app opens in beforeAll: use it in a test or a hook');
    return app;
  };
  const listening = () => {
    if (!socket) throw new Error('this test context does not listen: pass listen: true');
    return socket;
  };
  return {
    get request() {
      return opened().request;
    },
    get listener() {
      return opened().listener;
    },
    get database() {
      return opened().database;
    },
    setAccepting: (value) => {
      opened().setAccepting(value);
    },
    get port() {
      return listening().port;
    },
    get baseUrl() {
      return `http://127.0.0.1:${listening().port}`;
    },
  };
}

const AGENT_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options']);

// Every request a test makes through the agent gets the contract check as its
// first assertion, so a response that breaks the spec fails the test whatever
// the test itself asserts (test/support/response-contract.ts).
export function checkedAgent(agent: TestAgent): TestAgent {
  return new Proxy(agent, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !AGENT_METHODS.has(property) || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const test = Reflect.apply(value, target, args) as supertest.Test;
        return test.expect((res: Response) => {
          const url = new URL(res.request.url);
          assertMatchesContract({
            method: res.request.method,
            url: url.pathname + url.search,
            status: res.status,
            headers: res.headers,
            body: typeof res.text === 'string' ? res.text : undefined,
          });
        });
      };
    },
  });
}

const spec = loadSpec();
const validateProblem = compileComponentSchema(spec, 'Problem');

export interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  // The request headers the operation reads: its header parameters,
  // Content-Type when it takes a body, Authorization when it is secured,
  // and the X-Request-Id every operation honours.
  headers: string[];
}

// Every operation in the contract, in document order.
export const specOperations: SpecOperation[] = Object.entries(spec.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item ?? {}).map(([method, value]) => {
    const operation = value as { operationId: string; requestBody?: unknown; security?: unknown[] };
    const headers = parametersOf(path, method)
      .filter((parameter) => parameter.in === 'header')
      .map((parameter) => parameter.name);
    if (operation.requestBody) headers.push('Content-Type');
    if (operation.security?.length) headers.push('Authorization');
    headers.push('X-Request-Id');
    return { operationId: operation.operationId, method: method.toUpperCase(), path, headers };
  }),
);

export const specOperationIds: string[] = specOperations.map((operation) => operation.operationId);

// Every error the service sends is problem+json with the right status, and
// (for validation errors) names the fields it expects.
export function expectProblem(res: Response, status: number, fields: string[] = []): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(new RegExp(`^${PROBLEM_CONTENT_TYPE.replace('+', '\\+')}`));
  const body = JSON.parse(res.text) as Problem;
  const valid = validateProblem(body);
  expect(validateProblem.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
  expect(body.status).toBe(status);
  expect(body.instance).toBe(res.headers['x-request-id']);
  const named = (body.errors ?? []).map((error) => error.path);
  for (const field of fields) expect(named).toContain(field);
}

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

// A logger at info level whose lines land, parsed, in `lines`.
export function captureLogger(lines: LogLine[]): Logger {
  return pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) });
}
