import { readdirSync } from 'node:fs';
import { join } from 'node:path';

// The repository's root, for scripts and tests that run its files (dist/,
// scripts/, openapi/). Scripts never import from test/; tests may import this.
export const ROOT = join(__dirname, '..', '..');
// The real data set, shipped in the repository (data/README.md says where it comes from).
export const TITANIC_CSV = join(ROOT, 'data', 'titanic.csv');

// The documents whose checked blocks npm run check:readme runs: the README and
// every page under docs/, as paths from ROOT.
export function checkedDocuments(): string[] {
  const pages = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md'));
  return ['README.md', ...pages.sort().map((name) => `docs/${name}`)];
}
