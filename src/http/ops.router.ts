import { createReadStream } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import Router from '@koa/router';
import { DOCS_ASSETS_PATH, DOCS_INIT_SCRIPT } from './docs-page';
import type { AppState } from './request-context';

// The files the docs page loads from the swagger-ui-dist package. A fixed
// list, so no request path ever reaches the file system.
const SWAGGER_UI_FILES = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'];
const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
};

// Routes that are not API operations: the static assets of /docs (the page
// itself is the getDocs operation in the spec). The route name is the metrics label.
export function createOpsRouter(): Router<AppState> {
  const router = new Router<AppState>();
  const distPath = dirname(require.resolve('swagger-ui-dist/package.json'));
  router.get('docsAsset', `${DOCS_ASSETS_PATH}/:file`, (ctx) => {
    const file = ctx.params.file;
    const isInitScript = file === 'docs-init.js';
    if (!isInitScript && !SWAGGER_UI_FILES.includes(file)) return; // 404 problem+json from the error middleware
    // The package version changes only with a deploy; an hour of caching is safe.
    ctx.set({ 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' });
    ctx.type = CONTENT_TYPES[extname(file)];
    ctx.body = isInitScript ? DOCS_INIT_SCRIPT : createReadStream(join(distPath, file));
  });
  return router;
}
