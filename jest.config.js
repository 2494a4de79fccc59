/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Suites that need more than Node: `npm run test:reliability` (PostgreSQL,
  // loads the machine) and `npm run test:shipping` (kubectl and PostgreSQL).
  testPathIgnorePatterns: ['/node_modules/', '/test/reliability/', '/test/shipping/'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  // PGlite needs a few seconds to start per test file; a stuck database should fail fast, not hang CI.
  testTimeout: 30_000,
};
