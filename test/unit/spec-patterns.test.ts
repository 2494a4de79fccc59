import { spawnSync } from 'node:child_process';
import { loadSpec } from '../../src/spec';

// Every `pattern` in the spec is read by clients' validators in other
// languages (issue 25: Perl refused every name the JavaScript-only pattern
// allowed). So each stays within the portable subset (no \u escapes, no
// lookaround, no flags) and must compile and give the same verdicts on the
// same strings in JavaScript with and without `u`, Python's re and Perl.
// Not compared: a string ending in a newline, which `$` in Python and Perl
// also matches before (no pattern using `$` can avoid that); Go's RE2 is not
// on these machines. Perl reads the samples as characters (decoded UTF-8), as
// a JSON client does.

function patternsIn(node: unknown, at: string, found: { at: string; pattern: string }[] = []): { at: string; pattern: string }[] {
  if (Array.isArray(node)) node.forEach((item, i) => patternsIn(item, `${at}/${i}`, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'pattern' && typeof value === 'string') found.push({ at, pattern: value });
      else patternsIn(value, `${at}/${key}`, found);
    }
  }
  return found;
}

const patterns = patternsIn(loadSpec(), '#');

// Strings around each kind of rule the spec's patterns have: uuids, entity
// tags, paths, request ids, names in several scripts, controls, astral text.
const SAMPLES = [
  '',
  'Mr. Owen Harris Braund',
  'Zoë Ølsen 张伟 👩‍🚀',
  '李',
  'a\u0000b',
  '\u001f',
  'tab\tinside',
  '\u007f',
  '\u0085',
  '\u009f',
  '\u00a0',
  'Mr. \u202eevil\u202c',
  '\u200b',
  '😀',
  '1b2c3d4e-0000-4000-8000-000000000001',
  '1B2C3D4E-0000-4000-8000-00000000000F',
  'urn:uuid:1b2c3d4e-0000-4000-8000-000000000001',
  '"1"',
  'W/"5d41402abc4b2a76b9719d911017c592"',
  '"é"',
  '/getpassenger/6a1f4c2e-9b3d-4e5f-8a7b-0c1d2e3f4a5b',
  '</passengerlist?limit=2&after=1b2c3d4e-0000-4000-8000-000000000003>; rel="next"',
  'Bearer realm="passenger-api"',
  'Bearer realm="passenger-api", error="invalid_token"',
  '7f1c0b1e-2d7a-4c9e-9b1a-4d3c2b1a0f9e',
  'x'.repeat(129),
  '<script>',
];

const PYTHON = `
import json, re, sys
cases = json.load(sys.stdin)
print(json.dumps([[re.search(c["pattern"], s) is not None for s in c["samples"]] for c in cases]))
`;
const PERL = `
use strict; use warnings; use JSON::PP;
local $/; my $cases = JSON::PP->new->utf8->decode(<STDIN>);
my @out = map { my $re = qr/$_->{pattern}/; [ map { $_ =~ $re ? JSON::PP::true : JSON::PP::false } @{ $_->{samples} } ] } @$cases;
print JSON::PP->new->encode(\\@out);
`;

// Each engine's verdicts on every sample, one list per pattern.
function run(command: string, args: string[]): boolean[][] {
  const input = JSON.stringify(patterns.map(({ pattern }) => ({ pattern, samples: SAMPLES })));
  const result = spawnSync(command, args, { input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as boolean[][];
}

describe('the spec patterns are portable', () => {
  it('finds the patterns of uuids, names, entity tags, Link, Location, WWW-Authenticate and X-Request-Id', () => {
    expect(patterns.length).toBeGreaterThanOrEqual(7);
    expect(patterns.map(({ at }) => at)).toEqual(expect.arrayContaining(['#/components/schemas/PassengerName', '#/components/schemas/Uuid']));
  });

  it.each(patterns.map(({ at, pattern }) => [at, pattern]))('%s: no \\u escape, no lookaround, no inline flag', (_, pattern) => {
    expect(pattern).not.toMatch(/\\u/);
    expect(pattern).not.toMatch(/\(\?<?[=!]/);
    expect(pattern).not.toMatch(/\(\?[a-z]/i);
  });

  it('gives the same verdicts in JavaScript with and without u, Python and Perl', () => {
    const withU = patterns.map(({ pattern }) => SAMPLES.map((sample) => new RegExp(pattern, 'u').test(sample)));
    const withoutU = patterns.map(({ pattern }) => SAMPLES.map((sample) => new RegExp(pattern).test(sample)));
    const verdicts = { 'JavaScript without u': withoutU, python3: run('python3', ['-c', PYTHON]), perl: run('perl', ['-e', PERL]) };
    // Named by pattern, so a failure shows which one differs where.
    const named = (lists: boolean[][]) => Object.fromEntries(patterns.map(({ at }, i) => [at, lists[i].join(' ')]));
    for (const [engine, lists] of Object.entries(verdicts)) expect({ engine, verdicts: named(lists) }).toEqual({ engine, verdicts: named(withU) });
  });

  it('each pattern accepts one sample and refuses another, so the comparison compares something', () => {
    for (const { at, pattern } of patterns) {
      const verdicts = SAMPLES.map((sample) => new RegExp(pattern, 'u').test(sample));
      expect({ at, accepts: verdicts.includes(true), refuses: verdicts.includes(false) }).toEqual({ at, accepts: true, refuses: true });
    }
  });
});
