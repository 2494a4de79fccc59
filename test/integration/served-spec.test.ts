import { type TestApp, openTestApp } from '../support/test-app';
import type { Document } from 'openapi-backend';

// /openapi.json (and so /docs, which renders it) names the server it was
// fetched from; X-Forwarded-Proto/Host count only when TRUST_PROXY is on.
let direct: TestApp;
let behindProxy: TestApp;

beforeAll(async () => {
  direct = await openTestApp();
  behindProxy = await openTestApp({ trustProxy: true, database: direct.database });
});

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before opening it
  await direct?.database.close();
});

const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'passengers.example.org' };

it('names the origin of the request as servers[0]', async () => {
  const res = await direct.request.get('/openapi.json').set('Host', 'api.internal:8080');
  expect((res.body as Document).servers).toEqual([{ url: 'http://api.internal:8080', description: 'This server' }]);
  expect((res.body as Document).paths!['/hello']).toBeDefined();
});

it('ignores X-Forwarded-* headers unless the app trusts a proxy', async () => {
  const res = await direct.request.get('/openapi.json').set('Host', 'api.internal:8080').set(forwarded);
  expect((res.body as Document).servers![0].url).toBe('http://api.internal:8080');
});

it('takes the origin from X-Forwarded-Proto and X-Forwarded-Host behind a trusted proxy', async () => {
  const res = await behindProxy.request.get('/openapi.json').set('Host', 'api.internal:8080').set(forwarded);
  expect((res.body as Document).servers).toEqual([{ url: 'https://passengers.example.org', description: 'This server' }]);
});

it('serves a /docs page whose script keeps the servers of /openapi.json', async () => {
  const script = await direct.request.get('/docs/assets/docs-init.js');
  expect(script.status).toBe(200);
  expect(script.text).toContain("fetch('/openapi.json')");
  expect(script.text).not.toMatch(/servers\s*=/);
});
