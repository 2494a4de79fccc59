// One request to a running server, timed from send to the end of its body:
// the reliability tests bound and print these figures.
export interface Timed {
  status: number;
  ms: number;
  contentType: string | null;
  retryAfter: string | null;
  // The parsed JSON body; undefined when the answer has none.
  body: unknown;
}

export async function timedFetch(baseUrl: string, path: string, init?: RequestInit): Promise<Timed> {
  const began = performance.now();
  const res = await fetch(`${baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  return {
    status: res.status,
    ms: Math.round(performance.now() - began),
    contentType: res.headers.get('content-type'),
    retryAfter: res.headers.get('retry-after'),
    body: text ? JSON.parse(text) : undefined,
  };
}

// How many times each value occurs, for the printed figures.
export function countBy(values: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
