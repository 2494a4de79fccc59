import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { Response } from 'supertest';
import { expectProblem, useTestApp } from '../support/test-app';
import { backend } from '../support/test-database';
import { postTestPassenger } from '../support/fixtures';
import type { Passenger } from '../../src/passengers/passenger.table';
import type { Problem } from '../../src/http/problem';

// The bytes of a request body are refused, never altered: text that is not
// UTF-8, a charset other than UTF-8, and a body its Content-Encoding cannot
// decode are each a 4xx problem+json, and none of them stores a row.

// A real socket: the bytes go out exactly as given (supertest would
// JSON-encode a Buffer sent as application/json).
const app = useTestApp({ bodyLimit: '2kb', reset: 'empty', listen: true });

// The fixture's JSON with `name` replaced by raw bytes.
function withNameBytes(bytes: number[]): Buffer {
  const [before, after] = JSON.stringify({ ...postTestPassenger, name: '\u0000' }).split('\\u0000');
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
}

// The answer in the shape expectProblem reads.
async function post(body: Buffer | string, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(`${app.baseUrl}/postpassenger`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: Object.fromEntries(res.headers),
    text,
    body: text ? (JSON.parse(text) as unknown) : {},
  } as unknown as Response;
}

async function storedRows(): Promise<number> {
  return ((await app.request.get('/passengerlist')).body as Passenger[]).length;
}

describe(`request body bytes on ${backend}`, () => {
  it.each([
    ['FF FE (never UTF-8)', [0x4d, 0xff, 0xfe]],
    ['overlong C0 AF', [0x4d, 0xc0, 0xaf]],
    ['an encoded surrogate ED A0 80', [0x4d, 0xed, 0xa0, 0x80]],
    ['a sequence cut short E2 82', [0x4d, 0xe2, 0x82]],
  ])('refuses a name holding %s with 400 saying it is not UTF-8, storing nothing', async (_, bytes) => {
    const res = await post(withNameBytes(bytes));
    expectProblem(res, 400);
    expect((res.body as Problem).detail).toMatch(/not valid UTF-8/);
    expect(await storedRows()).toBe(0);
  });

  it('stores valid multi-byte UTF-8 exactly', async () => {
    const res = await post(withNameBytes([...Buffer.from('Müller 李 🚢')]));
    expect(res.status).toBe(201);
    expect((res.body as Passenger).name).toBe('Müller 李 🚢');
  });

  it('refuses a declared charset other than UTF-8 with 415, storing nothing', async () => {
    const latin1 = withNameBytes([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]);
    const res = await post(latin1, { 'Content-Type': 'application/json; charset=latin1' });
    expectProblem(res, 415);
    expect((res.body as Problem).detail).toMatch(/charset latin1/);
    const put = await app.request
      .put('/putpassenger/1b2c3d4e-0000-4000-8000-000000000001')
      .set('Content-Type', 'application/json; charset=iso-8859-1')
      .send(JSON.stringify(postTestPassenger));
    expectProblem(put, 415);
    expect(await storedRows()).toBe(0);
  });

  it('accepts charset=utf-8 in any case', async () => {
    expect((await post(JSON.stringify(postTestPassenger), { 'Content-Type': 'application/json; charset=UTF-8' })).status).toBe(201);
  });

  const json = Buffer.from(JSON.stringify(postTestPassenger));
  it.each([
    ['gzip', gzipSync(json)],
    ['deflate', deflateSync(json)],
    ['br', brotliCompressSync(json)],
  ])('decodes a %s body', async (encoding, body) => {
    const res = await post(body, { 'Content-Encoding': encoding });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ ...postTestPassenger, uuid: (res.body as Passenger).uuid });
  });

  it.each([
    ['gzip on plain JSON', 'gzip', json],
    ['deflate on plain JSON', 'deflate', json],
    ['br on plain JSON', 'br', json],
    ['a truncated gzip stream', 'gzip', gzipSync(json).subarray(0, 20)],
    ['a truncated deflate stream', 'deflate', deflateSync(json).subarray(0, 20)],
    ['a truncated br stream', 'br', brotliCompressSync(json).subarray(0, 10)],
  ])('answers 400, not 500, for %s', async (_, encoding, body) => {
    const res = await post(body, { 'Content-Encoding': encoding });
    expectProblem(res, 400);
    expect((res.body as Problem).detail).toContain(`Content-Encoding: ${encoding}`);
    expect(await storedRows()).toBe(0);
  });

  it('answers 415 naming the codings it accepts for an unknown Content-Encoding', async () => {
    const res = await post(json, { 'Content-Encoding': 'compress' });
    expectProblem(res, 415);
    expect(res.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('applies the body limit to the decoded bytes: a small gzip of a big body is 413', async () => {
    const big = Buffer.from(JSON.stringify({ ...postTestPassenger, name: 'x'.repeat(1_000_000) }));
    const compressed = gzipSync(big);
    expect(compressed.length).toBeLessThan(2048);
    const res = await post(compressed, { 'Content-Encoding': 'gzip' });
    expectProblem(res, 413);
    expect((res.body as Problem).detail).toContain('2kb');
  });

  it('refuses a __proto__ key spelled with escapes as the body reader does, naming where it is, storing nothing', async () => {
    const text = JSON.stringify(postTestPassenger).replace('{', '{"\\u005f_proto__":{"survived":false},');
    const res = await post(text);
    expectProblem(res, 400, ['/__proto__']);
    // Refused by the body reader (its detail names the key), not only by the
    // schema's additionalProperties, which would name /__proto__ too but lets
    // it through wherever a schema allows any property.
    expect((res.body as Problem).detail).toMatch(/__proto__/);
    expect(await storedRows()).toBe(0);
  });

  it('answers 400 for an empty body and for JSON that is not an object', async () => {
    expectProblem(await post(''), 400);
    expectProblem(await post('"a string"'), 400);
    expect(await storedRows()).toBe(0);
  });
});
