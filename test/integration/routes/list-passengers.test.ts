import { demoPassengers } from '../../../src/passengers/demo-passengers';
import { expectProblem, useTestApp } from '../../support/test-app';
import { backend } from '../../support/test-database';
import { postTestPassenger } from '../../support/fixtures';
import type { Passenger } from '../../../src/passengers/passenger.table';
import type { Problem } from '../../../src/http/problem';

// GET /passengerlist. Walking every page through Link rel="next" is the typed
// client's test (client.test.ts, 'follows every page of the list').
const app = useTestApp({ reset: 'demo' });

describe(`GET /passengerlist on ${backend}`, () => {
  it('returns every row ordered by uuid, without a Link header when nothing is left', async () => {
    const res = await app.request.get('/passengerlist');
    expect(res.status).toBe(200);
    expect((res.body as Passenger[]).map((p) => p.uuid)).toEqual(demoPassengers.map((p) => p.uuid).sort());
    expect(res.headers.link).toBeUndefined();
  });

  it('sends a Link header only when another row exists', async () => {
    const exact = await app.request.get(`/passengerlist?limit=${demoPassengers.length}`);
    expect(exact.body).toHaveLength(demoPassengers.length);
    expect(exact.headers.link).toBeUndefined();
    const short = await app.request.get(`/passengerlist?limit=${demoPassengers.length - 1}`);
    expect(short.headers.link).toContain('rel="next"');
  });

  it('filters by survived, passengerClass and sex together, returning exactly the matching rows', async () => {
    const res = await app.request.get('/passengerlist?survived=true&passengerClass=1&sex=female');
    const expected = demoPassengers
      .filter((p) => p.input.survived && p.input.passengerClass === 1 && p.input.sex === 'female')
      .map((p) => p.uuid)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect((res.body as Passenger[]).map((p) => p.uuid)).toEqual(expected);
  });

  it('applies the spec default limit of 1000', async () => {
    await app.database.truncate();
    const rows = Array.from({ length: 1001 }, (_, i) => ({ ...postTestPassenger, name: `Passenger ${i}` }));
    const { createPassenger } = await import('../../../src/passengers/passenger.repository');
    for (const row of rows) await createPassenger(app.database.handle.db, row);
    const res = await app.request.get('/passengerlist');
    expect(res.body).toHaveLength(1000);
    expect(res.headers.link).toContain('rel="next"');
  });

  it.each([
    ['limit=0', '/limit'],
    ['limit=1001', '/limit'],
    ['limit=abc', '/limit'],
    ['after=not-a-uuid', '/after'],
    ['passengerClass=4', '/passengerClass'],
    ['sex=other', '/sex'],
    ['survived=maybe', '/survived'],
  ])('rejects %s with 400 naming the parameter', async (query, field) => {
    const res = await app.request.get(`/passengerlist?${query}`);
    expectProblem(res, 400, [field]);
    expect((res.body as Problem).errors![0].in).toBe('query');
  });
});
