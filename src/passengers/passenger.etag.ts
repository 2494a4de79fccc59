import { createHash } from 'node:crypto';

// ETag <-> row version. Strong tags only: If-Match uses strong comparison
// (RFC 9110 §13.1.1), so a weak tag W/"…" never matches.

// The version column is int4. After its largest value a write wraps the
// version to 1 (documented with the ETag in the spec), so a row never becomes
// unwritable; an If-Match holding a tag from 2^31 - 1 writes ago would match again.
export const MAX_VERSION = 2_147_483_647;

export function toETag(version: number): string {
  return `"${version}"`;
}

// What an If-Match header asks for: any current version ("*"), or one of
// these versions. Tags that cannot name a version of ours (not digits, or
// above the int4 column's range) match nothing.
type IfMatch = { any: true } | { any: false; versions: number[] };

export function parseIfMatch(header: string): IfMatch {
  if (header.trim() === '*') return { any: true };
  const versions = header
    .split(',')
    .map((tag) => /^"([1-9]\d{0,9})"$/.exec(tag.trim())?.[1])
    .filter((digits): digits is string => digits !== undefined)
    .map(Number)
    .filter((version) => version <= MAX_VERSION);
  return { any: false, versions };
}

// If-None-Match uses weak comparison (RFC 9110 §13.1.2): W/"1" and "1" are
// the same version, and "*" matches whatever exists.
export function matchesIfNoneMatch(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
}

// A list page's tag: SHA-1 over each row's uuid and version, in page order,
// and whether a next page exists (the Link header is part of the answer). Any
// write to a row on the page bumps its version; a row added to or removed from
// the page changes the uuids. Weak, because it vouches for the rows, not for
// the bytes. Cost: one string of ~40 bytes a row and one hash over it
// (`npm run bench` prints the µs for a 1000-row page).
export function pageETag(passengers: readonly { uuid: string }[], versions: readonly number[], hasMore: boolean): string {
  let text = hasMore ? '+' : '.';
  for (let i = 0; i < passengers.length; i++) text += `${passengers[i].uuid}:${versions[i]},`;
  return `W/"${createHash('sha1').update(text).digest('base64url')}"`;
}
