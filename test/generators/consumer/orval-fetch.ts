import { BASE_URL } from './scenario';

let apiKey: string | undefined;
export function setApiKey(key: string): void {
  apiKey = key;
}

// Written by hand with orval: every generated call goes through this function
// (orval.config.mjs names it), which adds the base URL and the key, and answers
// the { data, status, headers } that the generated types describe.
export async function orvalFetch<T>(url: string, init: RequestInit): Promise<T> {
  const headers = new Headers(init.headers);
  if (apiKey !== undefined) headers.set('Authorization', `Bearer ${apiKey}`);
  const response = await fetch(new URL(url, BASE_URL), { ...init, headers });
  const text = await response.text();
  return { data: text === '' ? undefined : (JSON.parse(text) as unknown), status: response.status, headers: response.headers } as T;
}
