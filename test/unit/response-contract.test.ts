import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback } from '../support/loopback';
import supertest from 'supertest';
import { send } from '../support/http-load';
import { type ReceivedResponse, assertMatchesContract, contractViolations } from '../support/response-contract';
import { checkedAgent } from '../support/test-app';

// The response check every HTTP test goes through: it must refuse what the
// contract does not say, and every way a test receives a response must use it.
const UUID = '6a1f4c2e-9b3d-4e5f-8a7b-0c1d2e3f4a5b';
const passenger = {
  uuid: UUID,
  survived: true,
  passengerClass: 2,
  name: 'Post-Test-Name',
  sex: 'male',
  age: 27,
  siblingsOrSpousesAboard: 0,
  parentsOrChildrenAboard: 0,
  fare: 13,
};
const created: ReceivedResponse = {
  method: 'POST',
  url: '/postpassenger',
  status: 201,
  headers: { 'content-type': 'application/json; charset=utf-8', location: `/getpassenger/${UUID}`, etag: '"1"', 'x-request-id': 'r-1' },
  body: JSON.stringify(passenger),
};
const problem = (status: number, headers: Record<string, string> = {}): ReceivedResponse => ({
  method: 'GET',
  url: `/getpassenger/${UUID}`,
  status,
  headers: { 'content-type': 'application/problem+json', 'x-request-id': 'r-2', ...headers },
  body: JSON.stringify({ type: 'about:blank', title: 'x', status, detail: 'x', instance: 'r-2' }),
});

describe('the response check', () => {
  it('passes a response that matches its operation', () => {
    expect(contractViolations(created)).toEqual([]);
    expect(contractViolations(problem(503, { 'retry-after': '1' }))).toEqual([]);
  });

  it('fails a status the operation does not document', () => {
    expect(contractViolations({ ...created, status: 200 })).toEqual([expect.stringContaining('createPassenger answered 200, which it does not document')]);
    expect(contractViolations(problem(409))).toEqual([expect.stringContaining('getPassenger answered 409')]);
  });

  it('fails a missing required header: Location on a 201, Retry-After on a 503', () => {
    const { location: _, ...withoutLocation } = created.headers;
    expect(contractViolations({ ...created, headers: withoutLocation })).toEqual(['createPassenger 201: required header Location is missing']);
    expect(contractViolations(problem(503))).toEqual(['getPassenger 503: required header Retry-After is missing']);
  });

  it('fails a header that breaks its schema: a malformed ETag, a Retry-After that is no number', () => {
    expect(contractViolations({ ...created, headers: { ...created.headers, etag: '1' } })).toEqual([
      expect.stringMatching(/^createPassenger 201: header ETag: "1" breaks its schema/),
    ]);
    expect(contractViolations(problem(503, { 'retry-after': 'soon' }))).toEqual([
      expect.stringMatching(/^getPassenger 503: header Retry-After: "soon" breaks its schema/),
    ]);
  });

  it('fails a body that breaks the documented schema, or a media type the operation does not document', () => {
    expect(contractViolations({ ...created, body: JSON.stringify({ ...passenger, passengerClass: 4 }) })).toEqual([
      expect.stringContaining('createPassenger 201: body breaks its schema'),
    ]);
    expect(contractViolations({ ...problem(404), headers: { ...problem(404).headers, 'content-type': 'application/json' } })).toEqual([
      expect.stringContaining('Content-Type application/json is not one of application/problem+json'),
    ]);
  });

  it('fails a problem whose error message quotes a regular expression', () => {
    const body = JSON.stringify({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'x',
      errors: [{ in: 'body', path: '/name', message: 'must match pattern "^x$"' }],
    });
    expect(contractViolations({ ...created, status: 400, headers: { 'content-type': 'application/problem+json', 'x-request-id': 'r' }, body })).toEqual([
      'problem error message quotes a rule: must match pattern "^x$"',
    ]);
  });

  it('holds answers to requests no operation describes to problem+json', () => {
    expect(contractViolations({ method: 'GET', url: '/nowhere', status: 404, headers: { 'content-type': 'text/plain' }, body: 'no' })).toEqual([
      'answered 404 with Content-Type text/plain, not problem+json',
    ]);
    expect(() => {
      assertMatchesContract({ method: 'GET', url: '/nowhere', status: 200, headers: {}, body: '' });
    }).toThrow('GET /nowhere is no operation of the spec, yet answered 200');
  });
});

describe('every way a test receives a response is checked', () => {
  // A server that breaks the contract: /hello answers 418.
  const teapot = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(418, { 'Content-Type': 'application/json', 'X-Request-Id': 'r' });
    res.end('{"message":"ok"}');
  };
  let loopback: Awaited<ReturnType<typeof listenOnLoopback>>;
  let baseUrl: string;

  beforeAll(async () => {
    loopback = await listenOnLoopback(teapot);
    baseUrl = `http://127.0.0.1:${loopback.port}`;
  });

  afterAll(async () => loopback.close());

  it('the supertest agent of openTestApp', async () => {
    await expect(checkedAgent(supertest(teapot)).get('/hello')).rejects.toThrow('hello answered 418, which it does not document');
  });

  it('fetch, in every Jest test (check-responses.setup.ts)', async () => {
    await expect(fetch(`${baseUrl}/hello`)).rejects.toThrow('hello answered 418, which it does not document');
  });

  it('the node:http load client', async () => {
    await expect(send(baseUrl, false, { method: 'GET', path: '/hello' })).resolves.toEqual({
      ok: false,
      status: 418,
      error: expect.stringContaining('hello answered 418, which it does not document') as unknown,
    });
  });
});
