import { connect } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import Koa from 'koa';
import supertest from 'supertest';
import { parseJson, readJsonBody } from '../../src/http/json-body';
import type { HttpProblem } from '../../src/http/problem';
import { listenOnLoopback } from '../support/loopback';
import { answerProblems } from '../support/problem-answers';
import { waitUntil } from '../support/poll';

// The body reader on its own: each content coding, the limit at its edge, and
// the exact problem for each way a body can be wrong. request-body.test.ts
// and hostile-input.test.ts check the same through the whole app.
const LIMIT = 64;
const thrown: HttpProblem[] = [];
// Requests whose body the app has begun to read.
let reading = 0;
const app = new Koa();
// The truncated request's socket is gone when the 400 is written; Koa would log that.
app.silent = true;
app.use(answerProblems(thrown));
app.use(async (ctx) => {
  reading++;
  ctx.body = { parsed: await readJsonBody(ctx, { limitBytes: LIMIT, limitText: '64b', acceptHeaders: { 'Accept-Post': 'application/json' } }) };
});
let loopback: Awaited<ReturnType<typeof listenOnLoopback>>;
beforeAll(async () => {
  const listener = app.callback();
  loopback = await listenOnLoopback((req, res) => void listener(req, res));
});
afterAll(async () => loopback.close());

// The bytes exactly as given (superagent would JSON-encode a Buffer), and the answer.
async function post(body: Buffer | string, encoding?: string) {
  const req = supertest(loopback.server)
    .post('/')
    .set('Content-Type', 'application/json')
    .serialize((bytes: Buffer | string) => bytes as string);
  const res = await (encoding ? req.set('Content-Encoding', encoding) : req).send(body);
  return { status: res.status, headers: res.headers as Record<string, string | undefined>, body: res.body as unknown };
}
const json = '{"name":"Ada"}';

describe('readJsonBody', () => {
  it('decodes gzip, x-gzip, deflate and br, whatever the case and spacing of the header', async () => {
    for (const [encoding, bytes] of [
      [' GZIP ', gzipSync(json)],
      ['x-gzip', gzipSync(json)],
      ['Deflate', deflateSync(json)],
      ['br', brotliCompressSync(json)],
      ['identity', Buffer.from(json)],
    ] as const) {
      const res = await post(bytes, encoding);
      expect({ encoding, status: res.status, body: res.body }).toEqual({ encoding, status: 200, body: { parsed: { name: 'Ada' } } });
    }
  });

  it('answers 415 naming the codings it reads for any other, with the Accept-Post it was given', async () => {
    const res = await post(json, 'compress');
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ detail: 'Content-Encoding compress is not supported; send gzip, deflate, br or none.' });
    expect(res.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(res.headers['accept-post']).toBe('application/json');
  });

  it(`reads a body of exactly ${LIMIT} bytes, plain or decoded, and refuses one byte more with 413`, async () => {
    const exactly = `{"a":"${'x'.repeat(LIMIT - 8)}"}`;
    expect(Buffer.byteLength(exactly)).toBe(LIMIT);
    expect((await post(exactly)).status).toBe(200);
    expect((await post(gzipSync(exactly), 'gzip')).status).toBe(200);
    const over = `{"a":"${'x'.repeat(LIMIT - 7)}"}`;
    for (const res of [await post(over), await post(gzipSync(over), 'gzip')]) {
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ detail: 'The request body exceeds 64b.' });
    }
  });

  it('answers 400 naming the coding for bytes that are not what Content-Encoding says', async () => {
    const res = await post(json, 'gzip');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      detail: expect.stringMatching(/^The request body is not valid gzip data \(Content-Encoding: gzip\): .+\.$/) as unknown,
      errors: [{ in: 'body', path: '', message: 'is not valid gzip' }],
    });
  });

  it('answers 400 for bytes that are not UTF-8, and for text that is not JSON', async () => {
    const latin1 = await post(Buffer.from('{"name":"Andr\xe9"}', 'latin1'));
    expect(latin1.body).toEqual({
      detail: 'The request body is not valid UTF-8; JSON text must be UTF-8 (RFC 8259). Nothing was stored.',
      errors: [{ in: 'body', path: '', message: 'is not valid UTF-8' }],
    });
    const malformed = await post('{"name":');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({
      detail: expect.stringMatching(/^The request body is not valid JSON: .+/) as unknown,
      errors: [{ in: 'body', path: '', message: 'malformed JSON' }],
    });
  });

  it('gives up on a body whose client goes away before sending all it declared', async () => {
    thrown.length = 0;
    reading = 0;
    const socket = connect(loopback.port, '127.0.0.1');
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"name":');
    // Once the server reads the body, the client is gone.
    await waitUntil(() => reading > 0, { withinMs: 2_000, everyMs: 10 });
    socket.destroy();
    await waitUntil(() => thrown.length > 0, { withinMs: 2_000, everyMs: 10 });
    expect(thrown.map(({ status, detail, errors }) => ({ status, detail, errors }))).toEqual([
      { status: 400, detail: 'The request body ended before it was complete.', errors: [{ in: 'body', path: '', message: 'is truncated' }] },
    ]);
  });
});

describe('parseJson', () => {
  const protoPath = (text: string) => {
    try {
      parseJson(text);
    } catch (err) {
      return (err as HttpProblem).errors;
    }
    return 'parsed';
  };

  it('names the nearest __proto__ key (breadth first) by JSON pointer, escaping ~ and /', () => {
    expect(protoPath('{"a":[null,{"b/c~d":{"__proto__":{}}}]}')).toEqual([{ in: 'body', path: '/a/1/b~1c~0d/__proto__', message: 'is not a known property' }]);
    expect(protoPath('{"a":{"b":{"__proto__":1}},"c":{"__proto__":1}}')).toEqual([{ in: 'body', path: '/c/__proto__', message: 'is not a known property' }]);
    expect(protoPath('{"\\u005f_proto__":1}')).toEqual([{ in: 'body', path: '/__proto__', message: 'is not a known property' }]);
  });

  it('lets a body through that only mentions __proto__ as a value or inside a longer key', () => {
    expect(protoPath('{"a":"__proto__","b":{"x__proto__":1}}')).toBe('parsed');
    expect(parseJson('{"a":"\\"__proto__\\":"}')).toEqual({ a: '"__proto__":' });
  });
});
