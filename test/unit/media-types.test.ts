import Koa from 'koa';
import type { Operation } from 'openapi-backend';
import supertest from 'supertest';
import { acceptHeaders, requireMediaType } from '../../src/http/media-types';
import type { AppState } from '../../src/http/request-context';
import { answerProblems } from '../support/problem-answers';

// The request media type check for operations the spec does not have today:
// two media types on one operation, and a media type that is not JSON.
function operation(method: string, mediaTypes: string[]): Operation {
  const content = Object.fromEntries(mediaTypes.map((type) => [type, { schema: { type: 'object' } }]));
  return { operationId: 'example', method, path: '/example', requestBody: { content } } as unknown as Operation;
}

// A Koa app that answers what requireMediaType threw as status, detail and headers.
function appFor(op: Operation) {
  const app = new Koa<AppState>();
  app.use(answerProblems());
  app.use(requireMediaType(op));
  app.use((ctx) => {
    ctx.body = { passed: true };
  });
  return supertest(app.callback());
}

describe('requireMediaType', () => {
  const both = ['application/json', 'application/merge-patch+json'];

  it('names every declared media type in the 415 and in Accept-Post, in spec order', async () => {
    const res = await appFor(operation('post', both)).post('/example').type('text/plain').send('x');
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ detail: 'Send the request body as application/json or application/merge-patch+json.' });
    expect(res.headers['accept-post']).toBe('application/json, application/merge-patch+json');
  });

  it('passes a body of either declared type on', async () => {
    for (const type of both) {
      const res = await appFor(operation('post', both)).post('/example').type(type).send('{}');
      expect({ type, status: res.status }).toEqual({ type, status: 200 });
    }
  });

  it('refuses at start an operation whose body is not JSON, naming it and the media type', () => {
    expect(() => requireMediaType(operation('post', ['application/json', 'text/csv']))).toThrow(
      'example: request media type text/csv is not JSON; the router parses JSON only',
    );
    expect(() => requireMediaType(operation('post', ['application/jsonx']))).toThrow('application/jsonx is not JSON');
    expect(() => requireMediaType(operation('post', ['application/vnd.example+json']))).not.toThrow();
  });
});

describe('acceptHeaders', () => {
  it('names the media types in Accept-Post for POST, Accept-Patch for PATCH, and in no header for PUT', () => {
    const types = ['application/json', 'application/merge-patch+json'];
    expect(acceptHeaders('post', types)).toEqual({ 'Accept-Post': 'application/json, application/merge-patch+json' });
    expect(acceptHeaders('patch', types)).toEqual({ 'Accept-Patch': 'application/json, application/merge-patch+json' });
    expect(acceptHeaders('put', types)).toEqual({});
  });
});
