import { HttpProblem, MAX_LISTED_ERRORS } from '../../src/http/problem';

// The problem+json body every error answer is built from: the edges of the
// error list's cap, which the integration tests cross only far above it.
describe('HttpProblem.toBody', () => {
  const errors = (count: number) => Array.from({ length: count }, (_, i) => ({ in: 'body' as const, path: `/p${i}`, message: 'is not a known property' }));

  it(`lists ${MAX_LISTED_ERRORS} errors without a total, and the first ${MAX_LISTED_ERRORS} with the total above that`, () => {
    const atCap = new HttpProblem(400, 'bad', errors(MAX_LISTED_ERRORS)).toBody();
    expect(atCap.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(atCap).not.toHaveProperty('totalErrors');
    const over = new HttpProblem(400, 'bad', errors(MAX_LISTED_ERRORS + 1)).toBody();
    expect(over.errors).toEqual(errors(MAX_LISTED_ERRORS));
    expect(over.totalErrors).toBe(MAX_LISTED_ERRORS + 1);
  });

  it('titles a status Node has no name for "Error", and names itself in stack traces', () => {
    const problem = new HttpProblem(599, 'odd');
    expect(problem.toBody('urn:uuid:1')).toEqual({ type: 'about:blank', title: 'Error', status: 599, detail: 'odd', instance: 'urn:uuid:1' });
    expect(String(problem)).toBe('HttpProblem: odd');
  });
});
