// The framework floor for /hello: Koa and @koa/router with the one route and
// no middleware, the least this service's stack can cost per request. Shown
// beside bare node:http so the two ceilings' gap is visible in every run.
import Router from '@koa/router';
import Koa from 'koa';

const app = new Koa();
const router = new Router();
router.get('/hello', (ctx) => {
  ctx.body = { message: 'ok' };
});
app.use(router.routes());
const server = app.listen(Number(process.argv[2] ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
