import type { IncomingMessage } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Context } from 'koa';
import { HttpProblem } from './problem';

// The one reader of JSON request bodies (charset is requireMediaType's): content
// coding (gzip, deflate, br; 415 for others), the size limit on the decoded
// bytes (413, checked while reading, so a compressed bomb stops at the limit),
// strict UTF-8 (400: bytes that are not UTF-8 are refused, never replaced by
// U+FFFD), JSON.parse (400) and no __proto__ keys (400). Replaces
// @koa/bodyparser's chain (co-body, inflation, raw-body, bourne): one pass over
// the bytes and an error of ours for each way a body can be wrong.

interface JsonBodyOptions {
  limitBytes: number;
  // As configured (e.g. 100kb), for the 413's message.
  limitText: string;
  // The operation's Accept-Post / Accept-Patch, which every 415 it answers carries.
  acceptHeaders: Record<string, string>;
}

const DECODERS: Record<string, (() => Transform) | undefined> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};
const ACCEPTED_ENCODINGS = 'gzip, deflate, br';

// Bourne's test: a __proto__ key, possibly spelled with \u escapes. Only a
// body that matches is searched for one (JSON.parse makes it a harmless own
// property, but Object.assign or a merge would set a prototype from it).
const SUSPECT_PROTO =
  /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;

function badBody(detail: string, message: string): HttpProblem {
  return new HttpProblem(400, detail, [{ in: 'body', path: '', message }]);
}

// Resolves with the decoded bytes; rejects with the problem to answer.
function collect(req: IncomingMessage, decoder: Transform | undefined, encoding: string, options: JsonBodyOptions): Promise<Buffer> {
  const source: Readable = decoder ? req.pipe(decoder) : req;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (problem: HttpProblem | undefined) => {
      source.off('data', onData).off('end', onEnd);
      req.off('aborted', onAborted).off('error', onAborted);
      if (decoder) {
        decoder.off('error', onDecodeError);
        req.unpipe(decoder);
        decoder.destroy();
      }
      // Stop reading; Node discards the rest once the answer is sent.
      req.pause();
      if (problem) reject(problem);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.limitBytes) finish(new HttpProblem(413, `The request body exceeds ${options.limitText}.`));
      else chunks.push(chunk);
    };
    const onEnd = () => {
      finish(undefined);
    };
    const onDecodeError = (err: Error) => {
      finish(badBody(`The request body is not valid ${encoding} data (Content-Encoding: ${encoding}): ${err.message}.`, `is not valid ${encoding}`));
    };
    const onAborted = () => {
      finish(badBody('The request body ended before it was complete.', 'is truncated'));
    };
    source.on('data', onData).once('end', onEnd);
    decoder?.once('error', onDecodeError);
    req.once('aborted', onAborted).once('error', onAborted);
  });
}

// JSON pointer to the first own __proto__ key, breadth first.
function protoKeyPath(value: unknown): string | undefined {
  let level: [string, unknown][] = [['', value]];
  while (level.length > 0) {
    const next: [string, unknown][] = [];
    for (const [pointer, node] of level) {
      if (typeof node !== 'object' || node === null) continue;
      if (Object.prototype.hasOwnProperty.call(node, '__proto__')) return `${pointer}/__proto__`;
      for (const [key, child] of Object.entries(node)) {
        next.push([`${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, child]);
      }
    }
    level = next;
  }
  return undefined;
}

export function parseJson(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw badBody(`The request body is not valid JSON: ${(err as Error).message}`, 'malformed JSON');
  }
  const protoPath = SUSPECT_PROTO.test(text) ? protoKeyPath(parsed) : undefined;
  if (protoPath !== undefined) {
    throw new HttpProblem(400, 'The request body contains a __proto__ key.', [{ in: 'body', path: protoPath, message: 'is not a known property' }]);
  }
  return parsed;
}

export async function readJsonBody(ctx: Context, options: JsonBodyOptions): Promise<unknown> {
  const encoding = (ctx.get('Content-Encoding') || 'identity').trim().toLowerCase();
  const decoder = encoding === 'identity' ? undefined : DECODERS[encoding];
  if (encoding !== 'identity' && !decoder) {
    throw new HttpProblem(415, `Content-Encoding ${encoding} is not supported; send ${ACCEPTED_ENCODINGS} or none.`, undefined, {
      ...options.acceptHeaders,
      'Accept-Encoding': ACCEPTED_ENCODINGS,
    });
  }
  // Refused before a byte is read when the client says how big it is.
  const declared = Number(ctx.get('Content-Length'));
  if (!decoder && declared > options.limitBytes) throw new HttpProblem(413, `The request body exceeds ${options.limitText}.`);
  // Everything that can refuse the request without its body has passed (key, media type, size).
  if (ctx.get('Expect').toLowerCase() === '100-continue') ctx.res.writeContinue();
  const bytes = await collect(ctx.req, decoder?.(), encoding, options);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badBody('The request body is not valid UTF-8; JSON text must be UTF-8 (RFC 8259). Nothing was stored.', 'is not valid UTF-8');
  }
  return parseJson(text);
}
