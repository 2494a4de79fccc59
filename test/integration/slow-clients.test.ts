import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postTestPassenger } from '../support/fixtures';
import { type ServerProcess, startServer } from '../../scripts/lib/server-process';

// Slow and big clients against the built server: Node's header and request
// timeouts must actually fire (Node checks them only every
// connectionsCheckingInterval), bodies over the limit get 413, and idle
// keep-alive outlives a load balancer's 60 s.

const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;
// Far below Node's default 30 s check interval, far above the limits.
const CLOSE_BOUND_MS = 10_000;
const API_KEY = 'slow-clients-key-4f1d9a7c2b';
const WRONG_KEY = 'wrong-key-8e2b6c1d0a9f';

let server: ServerProcess;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'passenger-slow-'));
  server = await startServer({
    PGLITE_DATA_DIR: dataDir,
    HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    BODY_LIMIT: '1kb',
    API_KEYS: API_KEY,
    SHUTDOWN_DRAIN_MS: '0',
  });
});
// Clean-up only; the last test stops the server and checks its exit and log.
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before starting it
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface RawExchange {
  response: string;
  closedAfterMs: number;
}

// Opens a socket, sends `start`, then one `trickle` chunk every 300 ms until
// the server answers and closes; resolves with what it said and when.
function slowClient(start: string, trickle: string): Promise<RawExchange> {
  const port = Number(new URL(server.baseUrl).port);
  return new Promise((resolve, reject) => {
    const began = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(start));
    let response = '';
    const timer = setInterval(() => socket.writable && socket.write(trickle), 300);
    socket.on('data', (chunk: Buffer) => {
      response += chunk.toString();
    });
    socket.on('error', () => undefined); // the server may reset mid-trickle; 'close' reports it
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ response, closedAfterMs: Date.now() - began });
    });
    setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`server kept a slow client for ${CLOSE_BOUND_MS} ms; got ${JSON.stringify(response)}`));
    }, CLOSE_BOUND_MS);
  });
}

describe('slow and big clients', () => {
  it('answers 408 and closes a client that never finishes its headers', async () => {
    const { response, closedAfterMs } = await slowClient('GET /hello HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n');
    expect(response).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS);
    process.stdout.write(`slow headers: closed after ${closedAfterMs} ms (limit ${HEADERS_TIMEOUT_MS} ms)\n`);
  });

  it('answers 408 and closes a client that never finishes its body', async () => {
    const head = [
      'POST /postpassenger HTTP/1.1',
      'Host: x',
      'Content-Type: application/json',
      'Content-Length: 500',
      `Authorization: Bearer ${API_KEY}`,
      '',
      '{',
    ].join('\r\n');
    const { response, closedAfterMs } = await slowClient(head, ' ');
    expect(response).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS);
    process.stdout.write(`slow body: closed after ${closedAfterMs} ms (limit ${REQUEST_TIMEOUT_MS} ms)\n`);
  });

  it('answers 413 problem+json to a body over BODY_LIMIT', async () => {
    const res = await fetch(`${server.baseUrl}/postpassenger`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ ...postTestPassenger, name: 'x'.repeat(5_000) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { detail: string }).detail).toContain('1kb');
  });

  it('keeps idle keep-alive connections longer than a load balancer (65 s over its 60 s)', async () => {
    const res = await fetch(`${server.baseUrl}/hello`);
    expect(res.headers.get('keep-alive')).toBe('timeout=65');
  });

  it('serves writes with the key and refuses a wrong one', async () => {
    const write = (key: string) =>
      fetch(`${server.baseUrl}/postpassenger`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
        body: JSON.stringify(postTestPassenger),
      });
    expect((await write(API_KEY)).status).toBe(201);
    const refused = await write(WRONG_KEY);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('Bearer');
  });

  // Last, so the log holds every request above: keys never reach it, whether
  // accepted or refused.
  it('exits 0 on SIGTERM, having logged the writes but neither key', async () => {
    expect(await server.stop()).toBe(0);
    const logs = server.logs.join('\n');
    expect(logs).toContain('"status":201');
    expect(logs).toContain('"status":401');
    expect(logs).not.toContain(API_KEY);
    expect(logs).not.toContain(WRONG_KEY);
  });
});
