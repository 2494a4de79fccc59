// The Jest run Stryker makes for each mutant (`npm run test:mutation`): one
// file, test/mutation/all-tests.test.ts, which holds the unit and integration
// tests in one module registry (that file says why and which it leaves out).
const path = require('node:path');
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/mutation/all-tests.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  // An absolute path: Stryker wraps this environment in its own and requires it as given.
  testEnvironment: path.join(__dirname, 'test/mutation/mutation-environment.js'),
};
