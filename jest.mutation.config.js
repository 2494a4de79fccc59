// The Jest suite Stryker runs against each mutant (`npm run test:mutation`):
// jest.config.js less the tests that cannot see a mutant. Stryker mutates
// src/ in this process's module graph; these tests start the built dist/ (or
// tsx on scripts/, or openapi-typescript) in a child process, which runs the
// unmutated code, so they only cost time and can never kill a mutant.
const base = require('./jest.config');

module.exports = {
  ...base,
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
