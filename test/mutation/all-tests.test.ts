// The one test file Stryker runs against every mutant (jest.mutation.config.js):
// every file `npm run jest` runs, each inside a describe block named by its
// path, in one Jest module registry. Run file by file, each mutant paid for
// loading the app's modules once per test file (about 0.5 s, and every
// integration test imports src/app.ts) and for a new PGlite per file (about
// 1.5 s); here the modules load once and the files take turns on one PGlite.
// Jest skips the hooks of a describe block none of whose tests are picked, so
// a mutant covered by three tests starts only their files' apps.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/paths';
import { sharePgliteBetweenFiles } from '../support/test-database';

// These start dist/, scripts/ or openapi-typescript in a child process, which
// runs the unmutated code: they only cost time and can never kill a mutant.
const CHILD_PROCESS_TESTS = new Set([
  'test/integration/process.test.ts',
  'test/integration/startup-errors.test.ts',
  'test/integration/bulk-cli.test.ts',
  'test/integration/embedded-database-owner.test.ts',
  'test/integration/slow-clients.test.ts',
  'test/integration/stop-during-startup.test.ts',
  'test/unit/contract-diff-cli.test.ts',
  'test/unit/generated-types.test.ts',
]);

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS config the normal run uses
const { testPathIgnorePatterns } = require('../../jest.config') as { testPathIgnorePatterns: string[] };
const ignored = testPathIgnorePatterns.map((pattern) => new RegExp(pattern));

const testFiles = readdirSync(join(ROOT, 'test'), { recursive: true, encoding: 'utf8' })
  .map((name) => `test/${name.split('\\').join('/')}`)
  .filter((name) => name.endsWith('.test.ts') && !CHILD_PROCESS_TESTS.has(name) && !ignored.some((pattern) => pattern.test(`/${name}`)))
  .sort((a, b) => Number(a.startsWith('test/integration/')) - Number(b.startsWith('test/integration/')) || a.localeCompare(b)); // unit tests first: quickest to fail

sharePgliteBetweenFiles();

// Stryker's incremental mode (stryker.config.mjs) sees every test as one in
// this file, so it cannot tell when a test's code changes. The block's name
// carries a digest of the file's text: a changed file's tests count as new,
// and the mutants they killed or covered are tested again. Stryker does see
// this file's own text, with each test placed at its line in its own file, so
// an edit here that moves lines makes the next run test everything again.
const digest = (name: string) =>
  createHash('sha256')
    .update(readFileSync(join(ROOT, name)))
    .digest('hex')
    .slice(0, 12);

for (const name of testFiles) {
  describe(`${name} #${digest(name)}`, () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a test file runs when it is loaded, inside this block
    require(join(ROOT, name));
  });
}
