import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import compress from 'koa-compress';
import type { Middleware } from 'koa';
import type { AppState } from './request-context';

// Bodies of at least this many bytes are compressed when the client accepts
// br or gzip; smaller ones gain less than the compressor's cost.
export const COMPRESSION_THRESHOLD_BYTES = 1024;

// koa-compress: br preferred over gzip, for every compressible media type
// (JSON, problem+json, HTML, CSS, JavaScript; not PNG), and always
// Vary: Accept-Encoding. Brotli quality 4 (koa-compress's default): the low
// qualities are the fast ones, and still compress JSON better than gzip (the
// sizes: docs/api.md "Compression"; npm run bench prints them). No deflate:
// its two incompatible readings (zlib or raw) have burnt clients.
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };

export function compression(): Middleware<AppState> {
  return compress({ threshold: COMPRESSION_THRESHOLD_BYTES, br: BROTLI, gzip: {}, deflate: false }) as Middleware<AppState>;
}

export type Encoding = 'br' | 'gzip';
export const ENCODINGS: readonly Encoding[] = ['br', 'gzip'];

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

// The same settings, for bodies that never change (the /docs assets) and are
// compressed once rather than by the middleware on every request.
export function compressOnce(body: Buffer | string, encoding: Encoding): Promise<Buffer> {
  return encoding === 'br' ? brotliAsync(body, BROTLI) : gzipAsync(body);
}
