import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, checkedDocuments } from '../../scripts/lib/paths';

// The README is the first screen: what the service is, the two set-up
// commands, calling the API, the mock and the client; the rest lives in
// docs/. Every relative link in either points at a file that exists and, with
// a #fragment, at a heading of that file.
const README_MAX_LINES = 250;

function anchorsOf(markdown: string): Set<string> {
  const headings = markdown.split('\n').filter((line) => /^#{1,6} /.test(line));
  // GitHub's slugs: lower case, punctuation dropped, spaces to hyphens.
  return new Set(
    headings.map((line) =>
      line
        .replace(/^#+ /, '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

it(`keeps README.md within ${README_MAX_LINES} lines`, () => {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length;
  expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
});

it.each(checkedDocuments())('%s links only to files and headings that exist', (file) => {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const broken: string[] = [];
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/.test(target)) continue;
    const [path, fragment] = target.split('#');
    const resolved = path ? join(ROOT, dirname(file), path) : join(ROOT, file);
    if (!existsSync(resolved)) {
      broken.push(`${target}: no such file`);
      continue;
    }
    if (fragment && resolved.endsWith('.md') && !anchorsOf(readFileSync(resolved, 'utf8')).has(fragment)) broken.push(`${target}: no such heading`);
  }
  expect(broken).toEqual([]);
});
