/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/shipping needs kubectl and PostgreSQL: `npm run test:shipping` (jest.shipping.config.js);
  // test/browser needs Chromium: `npm run test:browser` (jest.browser.config.js).
  testPathIgnorePatterns: ['/node_modules/', '/test/shipping/', '/test/browser/'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  // PGlite needs a few seconds to start per test file; a stuck database should fail fast, not hang CI.
  testTimeout: 30_000,
};
