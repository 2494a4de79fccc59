import type { Problem } from '../../src/http/problem';
import { DECIMAL_INTEGER_MESSAGE } from '../../src/http/integer-parameters';
import { expectProblem, useTestApp } from '../support/test-app';
import { backend } from '../support/test-database';

// Integer query parameters are decimal digits (issue 29): Number() would read
// hex, exponents, signs and spaces, and the Link header repeated whatever
// spelling came in (limit=0x2).
const app = useTestApp({ reset: 'demo' });

describe(`integer query parameters on ${backend}`, () => {
  it.each([
    ['limit', '0x3e8'],
    ['limit', '1e3'],
    ['limit', '%201'],
    ['limit', '1%20'],
    ['limit', '%2B1'],
    ['limit', '1.0'],
    ['limit', '0b1'],
    ['passengerClass', '0x1'],
    ['passengerClass', '1e0'],
  ])('refuses %s=%s as a 400 naming the parameter, once', async (name, value) => {
    const res = await app.request.get(`/passengerlist?${name}=${value}`);
    expectProblem(res, 400, [`/${name}`]);
    expect((res.body as Problem).errors).toEqual([{ in: 'query', path: `/${name}`, message: DECIMAL_INTEGER_MESSAGE }]);
  });

  it('reports a misspelled integer beside the other bad parameters', async () => {
    const res = await app.request.get('/passengerlist?limit=0x2&sex=other');
    expectProblem(res, 400);
    expect((res.body as Problem).errors).toEqual([
      { in: 'query', path: '/limit', message: DECIMAL_INTEGER_MESSAGE },
      expect.objectContaining({ in: 'query', path: '/sex' }),
    ]);
  });

  it('an out-of-range integer in decimal digits still gets its range message', async () => {
    const res = await app.request.get('/passengerlist?limit=1001');
    expect((res.body as Problem).errors).toEqual([{ in: 'query', path: '/limit', message: 'must be <= 1000' }]);
  });

  it('Link repeats each parameter the client sent in its canonical spelling, and only those', async () => {
    const res = await app.request.get('/passengerlist?limit=002&passengerClass=03');
    expect(res.status).toBe(200);
    const page = res.body as { uuid: string }[];
    expect(page).toHaveLength(2);
    expect(res.headers.link).toBe(`</passengerlist?limit=2&passengerClass=3&after=${page[1].uuid}>; rel="next"`);
    const plain = await app.request.get('/passengerlist?limit=1');
    expect(plain.headers.link).toBe(`</passengerlist?limit=1&after=${(plain.body as { uuid: string }[])[0].uuid}>; rel="next"`);
  });
});
