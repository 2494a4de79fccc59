import { corsMethods } from '../../src/http/cors';

// The preflight's Access-Control-Allow-Methods, derived from the spec's
// operations (test/integration/auth-and-cors.test.ts checks it on the app,
// whose spec has GET, so these edges are only reachable here).
describe('corsMethods', () => {
  it('adds HEAD only where GET is, and lists the methods in order once each', () => {
    expect(corsMethods([{ method: 'put' }, { method: 'post' }, { method: 'put' }])).toEqual(['POST', 'PUT']);
    expect(corsMethods([{ method: 'put' }, { method: 'get' }, { method: 'delete' }])).toEqual(['DELETE', 'GET', 'HEAD', 'PUT']);
  });
});
