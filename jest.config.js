/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Need real PostgreSQL and load the machine: `npm run test:reliability`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/reliability/'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  // PGlite needs a few seconds to start per test file; a stuck database should fail fast, not hang CI.
  testTimeout: 30_000,
};
