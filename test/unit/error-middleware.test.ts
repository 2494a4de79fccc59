import Router from '@koa/router';
import Koa from 'koa';
import pino from 'pino';
import supertest from 'supertest';
import { errorMiddleware, toProblem } from '../../src/http/error-middleware';
import { HttpProblem } from '../../src/http/problem';
import type { AppState } from '../../src/http/request-context';

// What each kind of failure is answered with (toProblem), and the routing
// errors' details, without a database: the integration tests reach most of
// these only through a real outage (test/reliability) or check the status alone.
const dbError = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`database says ${code}`), { code }, extra);
const answer = (err: unknown, fields = new Map<string, string>()) => {
  const problem = toProblem(err, fields);
  return { status: problem.status, detail: problem.detail, errors: problem.errors, headers: problem.headers };
};
const unavailable = { status: 503, detail: 'The database is not reachable; try again shortly.', errors: undefined, headers: { 'Retry-After': '1' } };
const unexpected = { status: 500, detail: 'An unexpected error occurred; quote the instance id when reporting it.', errors: undefined, headers: {} };

describe('toProblem', () => {
  it('passes an HttpProblem through as it is', () => {
    const problem = new HttpProblem(409, 'taken');
    expect(toProblem(problem)).toBe(problem);
  });

  it('answers a constraint (23…) or data (22…) error with 400, naming the field its constraint guards', () => {
    const fields = new Map([['passenger_age_check', 'age']]);
    const named = [{ in: 'body', path: '/age', message: 'breaks a database constraint' }];
    expect(answer(dbError('23514', { constraint: 'passenger_age_check' }), fields)).toEqual({
      status: 400,
      detail: 'The data breaks a database constraint.',
      errors: named,
      headers: {},
    });
    expect(answer(dbError('22003', { constraint: 'passenger_age_check' }), fields).errors).toEqual(named);
    // A constraint nobody registered, or none named, lists no field.
    expect(answer(dbError('23505', { constraint: 'other' }), fields)).toMatchObject({ status: 400, errors: undefined });
    expect(answer(dbError('23502', { constraint: 42 }), fields)).toMatchObject({ status: 400, errors: undefined });
    expect(answer(dbError('23502'), fields)).toMatchObject({ status: 400, errors: undefined });
    // Only as the SQLSTATE's start: 42P23 is not a constraint error.
    expect(answer(dbError('42P23'))).toEqual(unexpected);
    expect(answer(dbError('42P22'))).toEqual(unexpected);
  });

  it('answers a lock timeout (55P03) with a 503 that says to retry', () => {
    expect(answer(dbError('55P03'))).toEqual({
      status: 503,
      detail: 'Another transaction holds a lock on this data; try again shortly.',
      errors: undefined,
      headers: { 'Retry-After': '1' },
    });
  });

  it('answers a database that is not there (SQLSTATE or driver message) with 503 Retry-After', () => {
    for (const code of ['08006', '53300', '57P01', '57P03', '57014']) expect({ code, ...answer(dbError(code)) }).toEqual({ code, ...unavailable });
    for (const message of [
      'connect ECONNREFUSED 127.0.0.1:5432',
      'Connection terminated unexpectedly',
      'timeout exceeded when trying to connect',
      'Query read timeout',
    ]) {
      expect({ message, ...answer(new Error(message)) }).toEqual({ message, ...unavailable });
    }
    expect(answer(dbError('57P04'))).toEqual(unexpected);
    expect(answer({ code: 8006 })).toEqual(unexpected);
  });

  it("keeps a client error's status and message (http-errors: status or statusCode), and hides everything else behind a 500", () => {
    expect(answer(Object.assign(new Error('Payload Too Large'), { status: 413 }))).toEqual({
      status: 413,
      detail: 'Payload Too Large',
      errors: undefined,
      headers: {},
    });
    expect(answer(Object.assign(new Error('Bad Request'), { statusCode: 400 }))).toMatchObject({ status: 400, detail: 'Bad Request' });
    expect(answer(Object.assign(new Error('I am a teapot'), { status: 499 }))).toMatchObject({ status: 499 });
    for (const err of [
      Object.assign(new Error('secret SQL'), { status: 502 }),
      Object.assign(new Error('odd'), { status: 399 }),
      Object.assign(new Error('odd'), { status: '404' }),
      Object.assign(new Error('odd'), { statusCode: 600 }),
      new Error('select * from passenger'),
      'a string',
      null,
    ]) {
      expect(answer(err)).toEqual(unexpected);
    }
  });
});

describe('errorMiddleware', () => {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });

  function appWith(fail?: () => never) {
    const router = new Router<AppState>();
    router.get('/thing', (ctx) => {
      if (fail) fail();
      ctx.body = { ok: true };
    });
    const app = new Koa<AppState>();
    app.silent = true;
    app.use(async (ctx, next) => {
      ctx.state.log = logger;
      ctx.state.requestId = 'urn:uuid:test';
      await next();
    });
    app.use(errorMiddleware({ implementedMethods: ['GET', 'HEAD'] }));
    app.use(router.routes()).use(router.allowedMethods());
    return supertest(app.callback());
  }

  it('names the missing route, the allowed methods, or the implemented ones in a routing error', async () => {
    const app = appWith();
    expect((await app.get('/nowhere')).body).toMatchObject({ status: 404, detail: 'No route /nowhere.', instance: 'urn:uuid:test' });
    const wrongMethod = await app.post('/thing');
    expect(wrongMethod.body).toMatchObject({ status: 405, detail: 'POST is not allowed on /thing; it allows HEAD, GET.' });
    expect(wrongMethod.headers.allow).toBe('HEAD, GET');
    expect((await app.purge('/thing')).body).toMatchObject({
      status: 501,
      detail: 'PURGE is not a method this service implements (it implements GET, HEAD); /thing allows HEAD, GET.',
    });
    expect((await app.purge('/nowhere')).body).toMatchObject({
      status: 501,
      detail: 'PURGE is not a method this service implements (it implements GET, HEAD); no route matches /nowhere.',
    });
    expect((await app.get('/thing')).body).toEqual({ ok: true });
  });

  it('logs a failure of ours at error level and a client error or a 501 not at all', async () => {
    lines.length = 0;
    await appWith(() => {
      throw new Error('boom');
    }).get('/thing');
    await appWith(() => {
      throw new HttpProblem(400, 'bad');
    }).get('/thing');
    await appWith(() => {
      throw new HttpProblem(501, 'not here');
    }).get('/thing');
    expect(lines.map(({ level, msg }) => ({ level, msg }))).toEqual([{ level: 50, msg: 'request failed' }]);
  });

  it('answers problem+json with the problem headers set', async () => {
    const res = await appWith(() => {
      throw new HttpProblem(503, 'later', undefined, { 'Retry-After': '7' });
    }).get('/thing');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers['retry-after']).toBe('7');
  });
});
