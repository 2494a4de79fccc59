import { type IncomingHttpHeaders, get } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { COMPRESSION_THRESHOLD_BYTES } from '../../src/http/compression';
import { DOCS_ASSETS_PATH } from '../../src/http/docs-page';
import { useTestApp } from '../support/test-app';
import { backend } from '../support/test-database';

// Responses over the threshold leave compressed when the client accepts br or
// gzip, with Vary: Accept-Encoding; raw bytes off a real socket, since HTTP
// clients decompress behind the caller's back.
const app = useTestApp({ reset: 'demo', listen: true });

function fetchRaw(path: string, acceptEncoding?: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {};
    get(`${app.baseUrl}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) });
      });
    }).on('error', reject);
  });
}

describe(`compression on ${backend}`, () => {
  it('sends the list uncompressed to a client that accepts no encoding, still with Vary', async () => {
    const plain = await fetchRaw('/passengerlist');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toContain('Accept-Encoding');
    expect(plain.body.length).toBeGreaterThan(COMPRESSION_THRESHOLD_BYTES);
  });

  it.each([
    ['br', 'gzip, deflate, br', brotliDecompressSync],
    ['gzip', 'gzip', gunzipSync],
  ])('compresses the list with %s when accepted, to the same JSON', async (encoding, accept, decompress) => {
    const plain = await fetchRaw('/passengerlist');
    const res = await fetchRaw('/passengerlist', accept);
    expect(res.headers['content-encoding']).toBe(encoding);
    expect(res.headers.vary).toContain('Accept-Encoding');
    expect(res.body.length).toBeLessThan(plain.body.length / 2);
    expect(JSON.parse(decompress(res.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
  });

  it('leaves bodies under the threshold alone', async () => {
    const res = await fetchRaw('/hello', 'br, gzip');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString()).toBe('{"message":"ok"}');
  });

  it('compresses the /docs assets and the spec', async () => {
    for (const path of [`${DOCS_ASSETS_PATH}/swagger-ui-bundle.js`, `${DOCS_ASSETS_PATH}/swagger-ui.css`, '/openapi.json']) {
      const plain = await fetchRaw(path);
      const res = await fetchRaw(path, 'br');
      expect({ path, encoding: res.headers['content-encoding'] }).toEqual({ path, encoding: 'br' });
      expect(brotliDecompressSync(res.body).equals(plain.body)).toBe(true);
      const gzipped = await fetchRaw(path, 'gzip');
      expect(gzipped.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gzipped.body).equals(plain.body)).toBe(true);
    }
    const png = await fetchRaw(`${DOCS_ASSETS_PATH}/favicon-32x32.png`, 'br, gzip');
    expect(png.headers['content-encoding']).toBeUndefined();
  });
});
