import { connect } from 'node:net';
import { sql } from 'kysely';
import pino from 'pino';
import supertest from 'supertest';
import { createHttpApp } from '../../src/app';
import { opsHandlers } from '../../src/http/ops.handlers';
import { passengerHandlers } from '../../src/passengers/passenger.handlers';
import { createOpenApiBackend } from '../../src/http/api';
import { MAX_LISTED_ERRORS } from '../../src/http/problem';
import { type LogLine, captureLogger, expectProblem, useTestApp } from '../support/test-app';
import { postTestPassenger } from '../support/fixtures';
import { backend } from '../support/test-database';
import { loadSpec } from '../../src/spec';
import type { Problem } from '../../src/http/problem';

// Two Host headers are a 400 (RFC 9112 §3.2), and an error list is capped at
// MAX_LISTED_ERRORS entries plus the total, so a small hostile request cannot
// earn an answer many times its size. Routing errors: 404, 405, 501.

// Every log line of the app, parsed, for the tests that check log levels.
const logLines: LogLine[] = [];
const app = useTestApp({ logger: captureLogger(logLines), listen: true });

// One raw HTTP/1.1 request; resolves with the whole answer once the server closes.
function rawRequest(head: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(app.port, '127.0.0.1', () => socket.end([...head, 'Connection: close', '', ''].join('\r\n')));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
    });
    socket.on('end', () => {
      resolve(answer);
    });
    socket.on('error', reject);
  });
}

describe(`request headers and error lists on ${backend}`, () => {
  it('answers 400 problem+json to a request with two Host headers, 200 to one', async () => {
    const two = await rawRequest(['GET /hello HTTP/1.1', 'Host: a.example', 'Host: b.example']);
    expect(two).toMatch(/^HTTP\/1\.1 400 /);
    expect(two).toMatch(/content-type: application\/problem\+json/i);
    expect(two).toContain('"path":"/Host"');
    expect(await rawRequest(['GET /hello HTTP/1.1', 'Host: a.example'])).toMatch(/^HTTP\/1\.1 200 /);
  });

  it(`lists at most ${MAX_LISTED_ERRORS} query errors and says how many there were`, async () => {
    const query = Array.from({ length: 1_500 }, (_, i) => `u${i.toString(36)}=1`).join('&');
    const res = await app.request.get(`/passengerlist?${query}`);
    expectProblem(res, 400);
    expect((res.body as Problem).errors).toHaveLength(MAX_LISTED_ERRORS);
    expect((res.body as Problem).totalErrors).toBe(1_500);
    expect(res.text.length).toBeLessThan(5_000);
    process.stdout.write(`1,500 unknown query parameters (${query.length} bytes): a ${res.text.length}-byte answer\n`);
  });

  it(`lists at most ${MAX_LISTED_ERRORS} body errors and says how many there were`, async () => {
    const extra = Object.fromEntries(Array.from({ length: 11_000 }, (_, i) => [`p${i.toString(36)}`, 1]));
    const text = JSON.stringify({ ...postTestPassenger, ...extra });
    const res = await app.request.post('/postpassenger').set('Content-Type', 'application/json').send(text);
    expectProblem(res, 400, ['/p0']);
    expect((res.body as Problem).errors).toHaveLength(MAX_LISTED_ERRORS);
    expect((res.body as Problem).totalErrors).toBe(11_000);
    expect(res.text.length).toBeLessThan(5_000);
    process.stdout.write(`11,000 unknown properties (${text.length} bytes): a ${res.text.length}-byte answer\n`);
  });

  it('lists every error, without totalErrors, when there are few', async () => {
    const res = await app.request.post('/postpassenger').send({ ...postTestPassenger, passengerClass: 9, sex: 'x' });
    expectProblem(res, 400, ['/passengerClass', '/sex']);
    expect((res.body as Problem).errors).toHaveLength(2);
    expect((res.body as Problem).totalErrors).toBeUndefined();
  });

  it("answers a database rule stricter than the spec with a 400 naming the field (the passengers' constraint map reaches the app)", async () => {
    // This file's own database: the fare CHECK tightened below the spec's maximum.
    await sql`alter table passenger drop constraint passenger_fare_check`.execute(app.database.handle.db);
    await sql`alter table passenger add constraint passenger_fare_check check (fare between 0 and 100)`.execute(app.database.handle.db);
    const res = await app.request.post('/postpassenger').send({ ...postTestPassenger, fare: 500 });
    await sql`alter table passenger drop constraint passenger_fare_check`.execute(app.database.handle.db);
    await sql`alter table passenger add constraint passenger_fare_check check (fare between 0 and 1000000)`.execute(app.database.handle.db);
    expectProblem(res, 400);
    expect((res.body as Problem).errors).toEqual([{ in: 'body', path: '/fare', message: 'breaks a database constraint' }]);
  });

  it("logs an error thrown above the error middleware through Koa's error event", async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const api = await createOpenApiBackend(loadSpec());
    const { db } = app.database.handle;
    const broken = createHttpApp({
      api,
      logger,
      bodyLimit: '100kb',
      validateResponses: true,
      apiKeys: [],
      corsOrigins: [],
      trustProxy: false,
      accepting: () => true,
      handlers: {
        ...opsHandlers({ accepting: () => true, ping: () => Promise.resolve() }, api.definition, () => Promise.resolve(''), { trustProxy: false }),
        ...passengerHandlers(db, db),
      },
      // The metrics middleware runs above the error middleware on every request.
      metrics: () => {
        throw new Error('metrics unavailable');
      },
    });
    const res = await supertest(broken.callback()).get('/hello').set('X-Request-Id', 'trace-above');
    expect(res.status).toBe(500);
    const logged = lines
      .map((line) => JSON.parse(line) as { msg: string; err: { message: string }; requestId: string })
      .filter((entry) => entry.msg === 'request failed outside the error middleware');
    expect(logged).toHaveLength(1);
    expect(logged[0].err.message).toBe('metrics unavailable');
    expect(logged[0].requestId).toBe('trace-above');
  });
});

describe(`routing errors on ${backend}`, () => {
  it('answers 404 problem+json for an unknown path', async () => {
    expectProblem(await app.request.get('/no/such/route'), 404);
  });

  it('answers 405 with Allow for a known path with a wrong method', async () => {
    const res = await app.request.post('/hello');
    expectProblem(res, 405);
    expect(res.headers.allow).toContain('GET');
  });

  it.each([
    ['/hello', 'PROPFIND', /^PROPFIND is not a method this service implements \(it implements .*PATCH.*\); \/hello allows HEAD, GET\.$/],
    ['/nowhere', 'PURGE', /^PURGE is not a method this service implements \(it implements .*GET.*\); no route matches \/nowhere\.$/],
  ])('answers 501 problem+json naming what is implemented for %s %s, logged at info', async (path, method, detail) => {
    logLines.length = 0;
    const res = await app.request[method.toLowerCase() as 'get'](path);
    expectProblem(res, 501);
    expect((res.body as Problem).detail).toMatch(detail);
    expect(logLines.filter((line) => line.level >= 40)).toEqual([]);
    expect(logLines).toContainEqual(expect.objectContaining({ level: 30, msg: 'request', method, status: 501 }));
  });

  it('keeps answering OPTIONS with Allow and HEAD without a body', async () => {
    const options = await app.request.options('/patchpassenger/1b2c3d4e-0000-4000-8000-000000000001');
    expect(options.status).toBe(200);
    expect(options.headers.allow).toBe('PATCH');
    const head = await app.request.head('/hello');
    expect(head.status).toBe(200);
    expect(head.text).toBeUndefined();
    expect(head.headers['content-type']).toMatch(/^application\/json/);
  });
});
