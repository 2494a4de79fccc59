import { expectProblem, useTestApp } from '../../support/test-app';
import { backend } from '../../support/test-database';
import { MISSING_UUID } from '../../support/fixtures';
import type { Problem } from '../../../src/http/problem';

// GET /getpassenger/{uuid}. Reading a stored passenger is the typed client's
// test (client.test.ts, 'reads the demo passenger the spec uses as its
// example'); the other route files read back what they wrote.
const app = useTestApp();

describe(`GET /getpassenger/{uuid} on ${backend}`, () => {
  it('answers 404 problem+json naming the uuid, never 200 null, for a missing uuid', async () => {
    const res = await app.request.get(`/getpassenger/${MISSING_UUID}`);
    expectProblem(res, 404);
    expect((res.body as Problem).detail).toContain(MISSING_UUID);
  });

  it('answers 400 naming the path parameter for a malformed uuid', async () => {
    const res = await app.request.get('/getpassenger/12345');
    expectProblem(res, 400, ['/uuid']);
    expect((res.body as Problem).errors![0].in).toBe('path');
  });
});
