// ETag <-> row version. Strong tags only: If-Match uses strong comparison
// (RFC 9110 §13.1.1), so a weak tag W/"…" never matches.

export function toETag(version: number): string {
  return `"${version}"`;
}

// What an If-Match header asks for: any current version ("*"), or one of
// these versions. Tags that cannot name a version of ours match nothing.
export type IfMatch = { any: true } | { any: false; versions: number[] };

export function parseIfMatch(header: string): IfMatch {
  if (header.trim() === '*') return { any: true };
  const versions = header
    .split(',')
    .map((tag) => /^"([1-9]\d{0,9})"$/.exec(tag.trim())?.[1])
    .filter((digits): digits is string => digits !== undefined)
    .map(Number);
  return { any: false, versions };
}
