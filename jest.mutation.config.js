// The Jest suite Stryker runs against each mutant (`npm run test:mutation`):
// jest.config.js less the tests that cannot see a mutant. Stryker mutates
// src/ in this process's module graph; these tests start the built dist/ (or
// tsx on scripts/, or openapi-typescript) in a child process, which runs the
// unmutated code, so they only cost time and can never kill a mutant.
const base = require('./jest.config');

module.exports = {
  ...base,
  // The Stryker Jest runner picks each mutant's test files with
  // --findRelatedTests, which follows imports only through files Jest has
  // indexed: with roots test/ alone, a chain test -> src/app.ts ->
  // passenger.handlers.ts -> passenger.etag.ts breaks at src/app.ts, no test
  // file is found, and every mutant of passenger.etag.ts "survives" with 0 tests run.
  roots: [...base.roots, '<rootDir>/src'],
  testPathIgnorePatterns: [
    ...base.testPathIgnorePatterns,
    '/test/integration/process\\.test\\.ts$',
    '/test/integration/startup-errors\\.test\\.ts$',
    '/test/integration/bulk-cli\\.test\\.ts$',
    '/test/integration/embedded-database-owner\\.test\\.ts$',
    '/test/integration/slow-clients\\.test\\.ts$',
    '/test/unit/contract-diff-cli\\.test\\.ts$',
    '/test/unit/generated-types\\.test\\.ts$',
  ],
};
