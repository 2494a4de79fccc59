import type { AddressInfo } from 'node:net';
import type { RequestListener, ServerOptions } from 'node:http';
import { type HttpServer, MAX_QUEUED_PER_CONNECTION, createHttpServer } from '../../src/http/connections';
import { PROBLEM_CONTENT_TYPE } from '../../src/http/problem';
import type { Passenger } from '../../src/passengers/passenger.table';
import { postPassenger, postTestPassenger } from '../support/fixtures';
import { type RawConnection, type RawResponse, openRaw, rawRequest } from '../support/raw-http';
import { type TestApp, openTestApp } from '../support/test-app';
import { backend } from '../support/test-database';

// The connection level of the server (src/http/connections.ts) with the real
// app behind it: pipelined requests run and answer in order, one connection's
// queue is bounded, a processed request is always answered, and Node's own
// error answers are problem+json with a request id.

const TRIALS = 40;
const JSON_TYPE = { 'Content-Type': 'application/json' };
const MERGE_PATCH = { 'Content-Type': 'application/merge-patch+json' };

let app: TestApp;
let smallBodyApp: TestApp;
const servers: HttpServer[] = [];
const connections: RawConnection[] = [];

async function listen(listener: RequestListener, options: ServerOptions = {}): Promise<number> {
  const http = createHttpServer(options, listener);
  servers.push(http);
  await new Promise<void>((resolve) => http.server.listen(0, '127.0.0.1', resolve));
  return (http.server.address() as AddressInfo).port;
}

async function open(port: number): Promise<RawConnection> {
  const connection = await openRaw(port);
  connections.push(connection);
  return connection;
}

let port: number;
beforeAll(async () => {
  app = await openTestApp();
  smallBodyApp = await openTestApp({ database: app.database, bodyLimit: '1kb' });
  port = await listen((req, res) => void app.listener(req, res));
});
afterAll(async () => {
  for (const connection of connections) connection.socket.destroy();
  await Promise.all(servers.map((http) => http.close()));
  await app.database.close();
});
beforeEach(async () => app.database.truncate());

const figures: string[] = [];
afterAll(() => {
  process.stdout.write(`pipelining on ${backend}, ${TRIALS} trials each:\n${figures.map((line) => `  ${line}\n`).join('')}`);
});

function body(value: unknown): string {
  return JSON.stringify(value);
}

describe(`pipelined requests on ${backend}`, () => {
  it(`PUT then GET on one connection: the GET sees the PUT, ${TRIALS} of ${TRIALS}`, async () => {
    let inOrder = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const { uuid } = await postPassenger(app.request, { ...postTestPassenger, name: 'E1-before' });
      const connection = await open(port);
      connection.socket.write(
        rawRequest('PUT', `/putpassenger/${uuid}`, JSON_TYPE, body({ ...postTestPassenger, name: 'E1-after' })) + rawRequest('GET', `/getpassenger/${uuid}`),
      );
      const [put, get] = await connection.responses(2);
      connection.socket.destroy();
      expect([put.status, get.status]).toEqual([200, 200]);
      if ((JSON.parse(get.body) as Passenger).name === 'E1-after' && get.headers.etag === put.headers.etag) inOrder++;
    }
    figures.push(`PUT then GET: the GET saw the PUT in ${inOrder} of ${TRIALS}`);
    expect(inOrder).toBe(TRIALS);
  });

  it(`two PUTs on one connection are stored in the order sent, ${TRIALS} of ${TRIALS}`, async () => {
    let inOrder = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const { uuid } = await postPassenger(app.request);
      const connection = await open(port);
      connection.socket.write(
        rawRequest('PUT', `/putpassenger/${uuid}`, JSON_TYPE, body({ ...postTestPassenger, name: 'first' })) +
          rawRequest('PUT', `/putpassenger/${uuid}`, JSON_TYPE, body({ ...postTestPassenger, name: 'second' })),
      );
      const answers = await connection.responses(2);
      connection.socket.destroy();
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      const stored = (await app.request.get(`/getpassenger/${uuid}`)).body as Passenger;
      if (stored.name === 'second' && answers[1].headers.etag === '"3"') inOrder++;
    }
    figures.push(`PUT then PUT: the second was stored last in ${inOrder} of ${TRIALS}`);
    expect(inOrder).toBe(TRIALS);
  });

  it(`PATCH If-Match "1" then PATCH If-Match "2" on one connection: both apply, ${TRIALS} of ${TRIALS}`, async () => {
    let bothApplied = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const { uuid } = await postPassenger(app.request);
      const connection = await open(port);
      connection.socket.write(
        rawRequest('PATCH', `/patchpassenger/${uuid}`, { ...MERGE_PATCH, 'If-Match': '"1"' }, body({ name: 'patched once' })) +
          rawRequest('PATCH', `/patchpassenger/${uuid}`, { ...MERGE_PATCH, 'If-Match': '"2"' }, body({ fare: 1.5 })),
      );
      const answers = await connection.responses(2);
      connection.socket.destroy();
      if (answers[0].status === 200 && answers[1].status === 200 && answers[1].headers.etag === '"3"') bothApplied++;
    }
    figures.push(`PATCH then PATCH: both applied in ${bothApplied} of ${TRIALS}`);
    expect(bothApplied).toBe(TRIALS);
  });

  it(`reads no further than ${MAX_QUEUED_PER_CONNECTION} queued requests and a chunk while one is in progress, then answers all in order, after Node's request timeout too`, async () => {
    const REQUESTS = 10_000;
    const REQUEST_TIMEOUT = { requestTimeout: 500, headersTimeout: 500, connectionsCheckingInterval: 100 };
    let parsed = 0;
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let seen = 0;
    const gatedPort = await listen((req, res) => {
      seen++;
      void (seen === 1 ? firstHeld : Promise.resolve()).then(() => app.listener(req, res));
    }, REQUEST_TIMEOUT);
    servers.at(-1)!.server.on('request', () => parsed++);
    const connection = await open(gatedPort);
    const requests = Array.from({ length: REQUESTS }, (_, i) => rawRequest('GET', '/hello', { 'X-Request-Id': `r${i}` }));
    connection.socket.write(requests.join(''));
    // Until Node has parsed all it is going to while the first is held.
    for (let last = -1; parsed !== last;) {
      last = parsed;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const parsedWhileHeld = parsed;
    // Past Node's request timeout: a request it could not finish reading
    // while the connection was paused is not the client's delay.
    await new Promise((resolve) => setTimeout(resolve, 2 * REQUEST_TIMEOUT.requestTimeout));
    releaseFirst();
    const answers = await connection.responses(REQUESTS);
    const outOfOrder = answers.filter((answer, i) => answer.headers['x-request-id'] !== `r${i}` || answer.status !== 200).length;
    figures.push(`${REQUESTS} pipelined GETs, the first held: ${parsedWhileHeld} parsed while it was; ${outOfOrder} answers out of order or not 200`);
    // The bound and what one read can bring (64 KiB).
    expect(parsedWhileHeld).toBeLessThanOrEqual(MAX_QUEUED_PER_CONNECTION + 1 + Math.ceil(65_536 / requests[0].length));
    expect(outOfOrder).toBe(0);
  });
});

describe(`connections that must not hang or lie on ${backend}`, () => {
  it('answers a POST sent with Connection: close and followed by more bytes, and stores it once', async () => {
    const connection = await open(port);
    connection.socket.write(
      rawRequest('POST', '/postpassenger', { ...JSON_TYPE, Connection: 'close' }, body({ ...postTestPassenger, name: 'closing writer' })) +
        rawRequest('GET', '/hello'),
    );
    const answers = await connection.closed;
    expect(answers.map((answer) => answer.status)).toEqual([201]);
    const list = (await app.request.get('/passengerlist')).body as Passenger[];
    expect(list.filter((p) => p.name === 'closing writer')).toHaveLength(1);
  });

  it('answers a malformed request after the pipelined requests before it, as problem+json, and closes', async () => {
    const connection = await open(port);
    connection.socket.write(`${rawRequest('GET', '/hello')}GARBAGE\r\n\r\n`);
    const answers = await connection.closed;
    expect(answers.map((answer) => answer.status)).toEqual([200, 400]);
    expect(answers[1].headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect((JSON.parse(answers[1].body) as { instance: string }).instance).toBe(answers[1].headers['x-request-id']);
  });

  it('answers headers over the limit with a 431 problem carrying X-Request-Id', async () => {
    const connection = await open(port);
    connection.socket.write(rawRequest('GET', '/hello', { 'X-Big': 'x'.repeat(100_000) }));
    const [answer] = await connection.closed;
    expect(answer.status).toBe(431);
    expect(answer.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 431, instance: answer.headers['x-request-id'] });
  });

  it('closes the connection after a 413 on a chunked body it stopped reading', async () => {
    const smallPort = await listen((req, res) => void smallBodyApp.listener(req, res));
    const connection = await open(smallPort);
    const head = ['POST /postpassenger HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Transfer-Encoding: chunked', '', ''].join('\r\n');
    const chunk = `800\r\n${' '.repeat(0x800)}\r\n`;
    connection.socket.write(head + chunk);
    const [answer] = await connection.responses(1);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(await connection.closed).toHaveLength(1);
  });
});

describe(`request heads that must not be guessed at on ${backend}`, () => {
  const KEY = 'connections-test-key-5d1c';
  let keyedPort: number;
  beforeAll(async () => {
    const keyed = await openTestApp({ database: app.database, apiKeys: [KEY] });
    keyedPort = await listen((req, res) => void keyed.listener(req, res));
  });

  async function exchange(bytes: string): Promise<RawResponse> {
    const connection = await open(keyedPort);
    connection.socket.write(bytes);
    const [answer] = await connection.responses(1);
    connection.socket.destroy();
    return answer;
  }

  it('answers 400 to two Authorization headers, the valid key first, and stores nothing', async () => {
    const head = rawRequest('POST', '/postpassenger', { ...JSON_TYPE, Authorization: `Bearer ${KEY}` }, body(postTestPassenger));
    const answer = await exchange(head.replace('\r\n\r\n', '\r\nAuthorization: Bearer wrong\r\n\r\n'));
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('"path":"/Authorization"');
    expect((await app.request.get('/passengerlist')).body).toEqual([]);
  });

  it('answers 400 to two Content-Type headers', async () => {
    const head = rawRequest('POST', '/postpassenger', { ...JSON_TYPE, Authorization: `Bearer ${KEY}` }, body(postTestPassenger));
    const answer = await exchange(head.replace('\r\n\r\n', '\r\nContent-Type: text/plain\r\n\r\n'));
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('"path":"/Content-Type"');
  });

  it('answers Expect: 100-continue without a key with 401, not 100 Continue', async () => {
    const answer = await exchange(rawRequest('POST', '/postpassenger', { ...JSON_TYPE, Expect: '100-continue', 'Content-Length': '200' }));
    expect(answer.status).toBe(401);
  });

  it('answers Expect: 100-continue with the key with 100 Continue, then 201 for the body', async () => {
    const payload = body(postTestPassenger);
    const connection = await open(keyedPort);
    connection.socket.write(
      rawRequest('POST', '/postpassenger', { ...JSON_TYPE, Authorization: `Bearer ${KEY}`, Expect: '100-continue', 'Content-Length': String(payload.length) }),
    );
    const [interim] = await connection.responses(1);
    expect(interim.status).toBe(100);
    connection.socket.write(payload);
    const [created] = await connection.responses(1);
    expect(created.status).toBe(201);
  });
});

describe(`closing the server on ${backend}`, () => {
  it('answers a keep-alive connection until the listener is closed, then closes it after its next answer', async () => {
    const http = createHttpServer({}, (req, res) => void app.listener(req, res));
    await new Promise<void>((resolve) => http.server.listen(0, '127.0.0.1', resolve));
    const connection = await open((http.server.address() as AddressInfo).port);
    connection.socket.write(rawRequest('GET', '/hello'));
    const [before] = await connection.responses(1);
    expect(before.status).toBe(200);
    expect(before.headers.connection).toBe('keep-alive');
    const closed = http.close();
    connection.socket.write(rawRequest('GET', '/hello'));
    const [after] = await connection.responses(1);
    expect(after.status).toBe(200);
    expect(after.headers.connection).toBe('close');
    expect(await connection.closed).toHaveLength(2);
    await closed;
    expect(http.server.listening).toBe(false);
  });
});
