import Koa from 'koa';
import supertest from 'supertest';
import { type Handlers, createApiRouter, createOpenApiBackend } from '../../src/http/api';
import { errorMiddleware } from '../../src/http/error-middleware';
import type { AppState } from '../../src/http/request-context';
import { silentLogger } from '../support/test-database';
import { loadSpec } from '../../src/spec';

// The router built from the spec, with handlers that misbehave on purpose.
async function appWith(overrides: Partial<Handlers>, validateResponses: boolean) {
  const api = await createOpenApiBackend(loadSpec());
  const handlers = new Proxy(overrides, {
    get: (target, key: string) => target[key as keyof Handlers] ?? (() => Promise.resolve({ status: 200, body: {} })),
  }) as Handlers;
  const router = createApiRouter(api, handlers, { bodyLimit: '1kb', validateResponses, apiKeys: [] });
  const app = new Koa<AppState>();
  app.silent = true;
  app.use(async (ctx, next) => {
    ctx.state.log = silentLogger;
    ctx.state.requestId = 'test';
    await next();
  });
  app.use(errorMiddleware());
  app.use(router.routes());
  return supertest(app.callback());
}

const offContract = (() => Promise.resolve({ status: 200, body: { message: 'not ok' } })) as unknown as Handlers['hello'];

describe('createApiRouter', () => {
  it('turns a success body that breaks the spec into a 500 when response validation is on', async () => {
    const res = await (await appWith({ hello: offContract }, true)).get('/hello');
    expect(res.status).toBe(500);
    expect((res.body as { detail: string }).detail).not.toMatch(/message|hello/);
  });

  it('passes the same body through when response validation is off (production)', async () => {
    const res = await (await appWith({ hello: offContract }, false)).get('/hello');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'not ok' });
  });

  it('sends a non-JSON body with the media type its handler names, typed by the spec', async () => {
    const getMetrics: Handlers['getMetrics'] = () => Promise.resolve({ status: 200, contentType: 'text/plain; version=0.0.4', body: 'up 1\n' });
    // @ts-expect-error the spec gives /metrics a text body, so a JSON-less result must name its media type
    const unnamed: Handlers['getMetrics'] = () => Promise.resolve({ status: 200, body: 'up 1\n' });
    // @ts-expect-error and only the media type the spec lists
    const wrongType: Handlers['getDocs'] = () => Promise.resolve({ status: 200, contentType: 'application/json', body: '<p>' });
    expect([unnamed, wrongType]).toHaveLength(2);
    const res = await (await appWith({ getMetrics }, true)).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.text).toBe('up 1\n');
  });

  it("hands listPassengers the spec's default limit when the request names none", async () => {
    const spec = loadSpec() as unknown as {
      paths: Record<string, { get: { parameters: { name?: string; schema?: { default?: unknown } }[] } }>;
    };
    const specDefault = spec.paths['/passengerlist'].get.parameters.find((parameter) => parameter.name === 'limit')?.schema?.default;
    const received: unknown[] = [];
    const listPassengers: Handlers['listPassengers'] = ({ query }) => {
      received.push(query);
      return Promise.resolve({ status: 200, body: [], headers: { ETag: 'W/"0"' } });
    };
    const request = await appWith({ listPassengers }, false);
    await request.get('/passengerlist');
    await request.get('/passengerlist?sex=female');
    expect(specDefault).toEqual(expect.any(Number));
    expect(received).toEqual([{ limit: specDefault }, { limit: specDefault, sex: 'female' }]);
  });

  it('refuses to start when the spec has an operation without a handler', async () => {
    const api = await createOpenApiBackend(loadSpec());
    expect(() => createApiRouter(api, {} as Handlers, { bodyLimit: '1kb', validateResponses: false, apiKeys: [] })).toThrow(/No handler for operation/);
  });
});
