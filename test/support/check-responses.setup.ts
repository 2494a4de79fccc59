import { assertMatchesContract } from './response-contract';

// Jest setup file (jest.config.js setupFiles): every fetch a test makes to a
// server on this machine is checked against the contract before the test sees
// the response, so no socket test can skip the response check.
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const unchecked = globalThis.fetch;

globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const response = await unchecked(input, init);
  const url = new URL(response.url || (input instanceof Request ? input.url : String(input)));
  if (!LOOPBACK.has(url.hostname)) return response;
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  assertMatchesContract({
    method,
    url: url.pathname + url.search,
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: method === 'HEAD' ? undefined : await response.clone().text(),
  });
  return response;
};
