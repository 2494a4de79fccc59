/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Run on their own, each by its own config: test/shipping needs kubectl and
  // PostgreSQL (`npm run test:shipping`); test/mock needs port 4010, the
  // documented mock port (`npm run test:mock`), so `npm test` never fights a running mock;
  // test/browser needs Chromium (`npm run test:browser`); test/reliability needs
  // PostgreSQL and loads the machine (`npm run test:reliability`); test/package
  // packs and installs the client package (`npm run test:package`);
  // test/generators is a script of its own, no Jest file (`npm run test:generators`);
  // test/mutation holds all the others again, for Stryker (`npm run test:mutation`).
  testPathIgnorePatterns: [
    '/node_modules/',
    '/test/shipping/',
    '/test/mock/',
    '/test/browser/',
    '/test/reliability/',
    '/test/package/',
    '/test/generators/',
    '/test/mutation/',
  ],
  // Every response a test fetches is checked against the contract.
  setupFiles: ['<rootDir>/test/support/check-responses.setup.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  // PGlite needs a few seconds to start per test file; a stuck database should fail fast, not hang CI.
  testTimeout: 30_000,
};
