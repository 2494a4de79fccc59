import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Koa from 'koa';
import supertest from 'supertest';
import { DOCS_ASSETS_PATH, DOCS_INIT_SCRIPT } from '../../src/http/docs-page';
import { createOpsRouter } from '../../src/http/ops.router';
import type { AppState } from '../../src/http/request-context';

// The /docs assets as bytes on the wire: which encoding each gets for which
// Accept-Encoding, and their caching and type headers. ops-routes.test.ts
// checks the page loads them; this checks what it is sent.
const dist = dirname(require.resolve('swagger-ui-dist/package.json'));
const request = supertest(new Koa<AppState>().use(createOpsRouter().routes()).callback());

// The body (superagent decodes it by its Content-Encoding, and fails on bytes
// that are not so encoded), and its headers.
async function fetchAsset(file: string, acceptEncoding: string) {
  const res = await request
    .get(`${DOCS_ASSETS_PATH}/${file}`)
    .set('Accept-Encoding', acceptEncoding)
    .buffer(true)
    .parse((stream, done) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
      });
      stream.on('end', () => {
        done(null, Buffer.concat(chunks));
      });
    });
  return { status: res.status, headers: res.headers as Record<string, string | undefined>, body: res.body as Buffer };
}

describe('the /docs asset routes', () => {
  const bundle = readFileSync(join(dist, 'swagger-ui-bundle.js'));

  it('sends a large script brotli- or gzip-encoded as the client prefers, and as it is to a client that accepts neither', async () => {
    const br = await fetchAsset('swagger-ui-bundle.js', 'br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body.equals(bundle)).toBe(true);
    const gzip = await fetchAsset('swagger-ui-bundle.js', 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.body.equals(bundle)).toBe(true);
    const plain = await fetchAsset('swagger-ui-bundle.js', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(bundle)).toBe(true);
  });

  it('never encodes the PNG (already compressed) or a script under the threshold', async () => {
    const png = await fetchAsset('favicon-32x32.png', 'br, gzip');
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.body.equals(readFileSync(join(dist, 'favicon-32x32.png')))).toBe(true);
    const init = await fetchAsset('docs-init.js', 'br, gzip');
    expect(Buffer.byteLength(DOCS_INIT_SCRIPT)).toBeLessThan(1024);
    expect(init.headers['content-encoding']).toBeUndefined();
    expect(init.body.toString()).toBe(DOCS_INIT_SCRIPT);
  });

  it('types each asset, lets it be cached for an hour, and forbids sniffing', async () => {
    for (const [file, type] of [
      ['swagger-ui.css', 'text/css; charset=utf-8'],
      ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
      ['docs-init.js', 'text/javascript; charset=utf-8'],
    ]) {
      const res = await fetchAsset(file, 'identity');
      expect({ file, type: res.headers['content-type'], cache: res.headers['cache-control'], sniff: res.headers['x-content-type-options'] }).toEqual({
        file,
        type,
        cache: 'public, max-age=3600',
        sniff: 'nosniff',
      });
    }
  });

  it('answers nothing (left to the error middleware as a 404) for a file not on its list', async () => {
    expect((await fetchAsset('index.html', 'identity')).status).toBe(404);
  });
});
