import { ContractViolationError, PassengerApiError, createPassengerApiClient, etagOf, linkOf, locationOf, nextPageUrl } from '@passenger-api/client';

// @passenger-api/client's header helpers and page loop, on hand-made responses
// through the `fetch` option (test/integration/client.test.ts and
// test/package/ drive it against the real service).
const page = (headers: Record<string, string>, body: unknown = []) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json', ...headers } });

describe('nextPageUrl', () => {
  const base = 'http://api.example.test/passengerlist?limit=2';

  it('picks rel="next" among several links and resolves it against the page URL', () => {
    const response = page({ Link: '</passengerlist?limit=2>; rel="first", </passengerlist?limit=2&after=abc>; rel="next"' });
    expect(nextPageUrl(response, base)?.href).toBe('http://api.example.test/passengerlist?limit=2&after=abc');
  });

  it('reads an unquoted rel, a rel list, and commas inside the target or a quoted parameter', () => {
    expect(nextPageUrl(page({ Link: '</p?a=1,2>; rel=next' }), base)?.href).toBe('http://api.example.test/p?a=1,2');
    expect(nextPageUrl(page({ Link: '</x>; title="a, b"; rel="last next"' }), base)?.pathname).toBe('/x');
  });

  it('is undefined on the last page (no Link, or no rel="next")', () => {
    expect(nextPageUrl(page({}), base)).toBeUndefined();
    expect(nextPageUrl(page({ Link: '</passengerlist>; rel="first"' }), base)).toBeUndefined();
  });

  it('refuses a Link value that is not <target>; params', () => {
    expect(() => nextPageUrl(page({ Link: '/passengerlist?after=abc; rel="next"' }), base)).toThrow(ContractViolationError);
  });
});

describe('typed headers', () => {
  it('returns a required header, and throws, naming it, when a response lacks it', () => {
    expect(etagOf(page({ ETag: '"3"' }))).toBe('"3"');
    expect(locationOf(new Response(null, { status: 201, headers: { Location: '/getpassenger/x' } }))).toBe('/getpassenger/x');
    expect(() => locationOf(new Response(null, { status: 201 }))).toThrow('201 response from the API lacks the Location header the contract requires');
    expect(() => etagOf(page({}))).toThrow(ContractViolationError);
  });

  it('gives undefined for an optional header that is absent', () => {
    expect(linkOf(page({}))).toBeUndefined();
  });
});

describe('createPassengerApiClient with a fetch override', () => {
  function recordingClient(answer: (request: Request) => Response, apiKey?: string) {
    const requests: Request[] = [];
    const api = createPassengerApiClient('http://api.example.test/', {
      apiKey,
      fetch: (request: Request) => {
        requests.push(request);
        return Promise.resolve(answer(request));
      },
    });
    return { api, requests };
  }

  it('follows Link to the last page with the server query string verbatim', async () => {
    const { api, requests } = recordingClient((request) => {
      const after = new URL(request.url).searchParams.get('after');
      if (after === null) return page({ Link: '</passengerlist?limit=1&sex=male&after=a%2Bb>; rel="next"' }, ['first']);
      return page({}, ['second']);
    });
    const pages: unknown[] = [];
    for await (const rows of api.listPassengerPages({ limit: 1, sex: 'male' })) pages.push(rows);
    expect(pages).toEqual([['first'], ['second']]);
    expect(requests.map((request) => request.url)).toEqual([
      'http://api.example.test/passengerlist?limit=1&sex=male',
      'http://api.example.test/passengerlist?limit=1&sex=male&after=a%2Bb',
    ]);
  });

  it('never follows a Link to another host', async () => {
    const { api, requests } = recordingClient(() => page({ Link: '<http://elsewhere.test/passengerlist?after=x>; rel="next"' }));
    const pages = api.listPassengerPages();
    await pages.next();
    await expect(pages.next()).rejects.toThrow(/points outside http:\/\/api\.example\.test\/passengerlist/);
    expect(requests).toHaveLength(1);
  });

  it('throws PassengerApiError with the problem when a page is an error', async () => {
    const problem = { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'limit must be >= 1' };
    const { api } = recordingClient(() => new Response(JSON.stringify(problem), { status: 400, headers: { 'Content-Type': 'application/problem+json' } }));
    const pages = api.listPassengerPages({ limit: 0 });
    const failure = await pages.next().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(PassengerApiError);
    expect(failure).toMatchObject({ status: 400, problem, message: 'passenger-api answered 400: limit must be >= 1' });
  });

  it('sends the API key as a bearer token on writes, never on reads', async () => {
    const { api, requests } = recordingClient(() => page({}, {}), 'a-key-of-sixteen-chars');
    await api.GET('/hello');
    await api.DELETE('/deletepassenger/{uuid}', { params: { path: { uuid: '1b2c3d4e-0000-4000-8000-000000000001' } } });
    expect(requests.map((request) => [request.method, request.headers.get('authorization')])).toEqual([
      ['GET', null],
      ['DELETE', 'Bearer a-key-of-sixteen-chars'],
    ]);
  });

  it('puts the status at the top of each result, the same as response.status', async () => {
    const problem = { type: 'about:blank', title: 'Precondition Failed', status: 412, detail: 'changed since' };
    const { api } = recordingClient((request) =>
      request.method === 'GET'
        ? page({}, { message: 'ok' })
        : new Response(JSON.stringify(problem), { status: 412, headers: { 'Content-Type': 'application/problem+json' } }),
    );
    const hello = await api.GET('/hello');
    expect({ status: hello.status, data: hello.data }).toEqual({ status: 200, data: { message: 'ok' } });
    const stale = await api.DELETE('/deletepassenger/{uuid}', {
      params: { path: { uuid: '1b2c3d4e-0000-4000-8000-000000000001' }, header: { 'If-Match': '"1"' } },
    });
    expect({ status: stale.status, responseStatus: stale.response.status, error: stale.error }).toEqual({ status: 412, responseStatus: 412, error: problem });
  });

  it('throws ContractViolationError for an empty body where the contract documents one, not for a 204 or a 304', async () => {
    const { api } = recordingClient((request) =>
      request.method === 'DELETE' ? new Response(null, { status: 204 }) : new Response(null, { status: 200, headers: { 'Content-Length': '0' } }),
    );
    await expect(api.GET('/hello')).rejects.toThrow(new ContractViolationError('200 response from the API has no body; the contract documents one'));
    const deleted = await api.DELETE('/deletepassenger/{uuid}', { params: { path: { uuid: '1b2c3d4e-0000-4000-8000-000000000001' } } });
    expect(deleted.status).toBe(204);
    const unchanged = recordingClient(() => new Response(null, { status: 304, headers: { ETag: '"1"' } }));
    const again = await unchanged.api.GET('/hello');
    expect({ status: again.status, data: again.data, error: again.error }).toEqual({ status: 304, data: undefined, error: undefined });
  });
});
