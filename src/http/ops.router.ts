import { readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import Router from '@koa/router';
import { COMPRESSION_THRESHOLD_BYTES, ENCODINGS, type Encoding, compressOnce } from './compression';
import { DOCS_ASSETS_PATH, DOCS_INIT_SCRIPT } from './docs-page';
import type { AppState } from './request-context';

// The route's name, which is also its operationId label in the metrics.
export const DOCS_ASSET_ROUTE = 'docsAsset';

// The files the docs page loads from the swagger-ui-dist package (about 2 MB),
// read once at start: a broken install fails here, not on a visitor's request,
// and no request path ever reaches the file system.
const SWAGGER_UI_FILES = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'];
// Text compresses; the PNG already is compressed.
const COMPRESSIBLE = new Set(['.css', '.js']);
const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
};

function loadAssets(): Map<string, Buffer | string> {
  const distPath = dirname(require.resolve('swagger-ui-dist/package.json'));
  const assets = new Map<string, Buffer | string>(SWAGGER_UI_FILES.map((file) => [file, readFileSync(join(distPath, file))]));
  assets.set('docs-init.js', DOCS_INIT_SCRIPT);
  return assets;
}

// Routes that are not API operations: the static assets of /docs (the page
// itself is the getDocs operation in the spec).
export function createOpsRouter(): Router<AppState> {
  const assets = loadAssets();
  // Each asset compressed at most once per encoding, on first request: the
  // assets never change while the server runs, and the middleware would
  // compress the whole bundle again on every request (measured:
  // bench/results/README.md).
  const compressed = new Map<string, Promise<Buffer>>();
  const compressedAsset = (file: string, asset: Buffer | string, encoding: Encoding): Promise<Buffer> => {
    const key = `${encoding}:${file}`;
    let body = compressed.get(key);
    if (!body) compressed.set(key, (body = compressOnce(asset, encoding)));
    return body;
  };
  const router = new Router<AppState>();
  router.get(DOCS_ASSET_ROUTE, `${DOCS_ASSETS_PATH}/:file`, async (ctx) => {
    const { file } = ctx.params;
    const asset = assets.get(file);
    if (asset === undefined) return; // 404 problem+json from the error middleware
    // The files change only with a deploy; an hour of caching is safe.
    ctx.set({ 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' });
    ctx.type = CONTENT_TYPES[extname(file)];
    const compressible = COMPRESSIBLE.has(extname(file)) && Buffer.byteLength(asset) >= COMPRESSION_THRESHOLD_BYTES;
    const encoding = compressible ? ctx.acceptsEncodings([...ENCODINGS, 'identity']) : 'identity';
    if (encoding === 'br' || encoding === 'gzip') {
      // Already encoded: koa-compress leaves a body with Content-Encoding alone.
      ctx.set('Content-Encoding', encoding);
      ctx.body = await compressedAsset(file, asset, encoding);
    } else {
      ctx.body = asset;
    }
  });
  return router;
}
