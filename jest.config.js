/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The mock test needs port 4010 (the documented mock port): it runs on its
  // own, as `npm run test:mock`, so `npm test` never fights a running mock.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/mock/'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  // PGlite needs a few seconds to start per test file; a stuck database should fail fast, not hang CI.
  testTimeout: 30_000,
};
