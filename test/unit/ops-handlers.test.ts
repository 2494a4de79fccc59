import { opsHandlers } from '../../src/http/ops.handlers';
import { HttpProblem } from '../../src/http/problem';
import { loadSpec } from '../../src/spec';

// /readyz's two reasons to answer 503, each with Retry-After. The running app
// reaches the database one only in an outage (test/reliability).
async function readyz(accepting: boolean, ping: () => Promise<void>): Promise<unknown> {
  const handlers = opsHandlers({ accepting: () => accepting, ping }, loadSpec(), () => Promise.resolve(''), { trustProxy: false });
  try {
    return await handlers.readyz({} as never);
  } catch (err) {
    if (!(err instanceof HttpProblem)) throw err;
    return { status: err.status, detail: err.detail, headers: err.headers };
  }
}

describe('readyz', () => {
  it('answers 503 while shutting down, without asking the database', async () => {
    const ping = jest.fn(() => Promise.resolve());
    expect(await readyz(false, ping)).toEqual({ status: 503, detail: 'The server is shutting down.', headers: { 'Retry-After': '1' } });
    expect(ping).not.toHaveBeenCalled();
  });

  it('answers 503 when the database does not answer, 200 when it does', async () => {
    expect(await readyz(true, () => Promise.reject(new Error('gone')))).toEqual({
      status: 503,
      detail: 'The database is not reachable.',
      headers: { 'Retry-After': '1' },
    });
    expect(await readyz(true, () => Promise.resolve())).toEqual({ status: 200, body: { status: 'ok' } });
  });
});
