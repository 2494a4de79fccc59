import { matchesIfNoneMatch, parseIfMatch } from '../../src/passengers/passenger.etag';

// The If-Match and If-None-Match parsing behind the conditional routes
// (test/integration/conditional-*.test.ts), at the edges those tests do not reach.
describe('parseIfMatch', () => {
  it("reads versions up to the int4 column's largest, and names no version above it", () => {
    expect(parseIfMatch('"12"')).toEqual({ any: false, versions: [12] });
    expect(parseIfMatch('"3", "2147483647"')).toEqual({ any: false, versions: [3, 2147483647] });
    expect(parseIfMatch('"3", "2147483648", "4567890123"')).toEqual({ any: false, versions: [3] });
  });

  it('takes * with spaces around it as any version, and * among tags as no version', () => {
    expect(parseIfMatch(' * ')).toEqual({ any: true });
    expect(parseIfMatch('"1", *')).toEqual({ any: false, versions: [1] });
  });

  it('matches nothing for a tag with anything before or after its quotes', () => {
    for (const header of ['"5"junk', 'x"5"', '"5"/"6"']) expect({ header, ...parseIfMatch(header) }).toEqual({ header, any: false, versions: [] });
  });
});

describe('matchesIfNoneMatch', () => {
  it('drops W/ only as a prefix: a W/ inside the quotes is part of the tag', () => {
    expect(matchesIfNoneMatch('"aW/1"', '"a1"')).toBe(false);
    expect(matchesIfNoneMatch('"a1"', '"aW/1"')).toBe(false);
    expect(matchesIfNoneMatch('W/"a1"', '"a1"')).toBe(true);
  });

  it('takes * with spaces around it as any version', () => {
    expect(matchesIfNoneMatch(' * ', '"1"')).toBe(true);
  });
});
