// The /docs page in Debian's Chromium: it needs /usr/bin/chromium, so it runs
// in .ci/run's browser section rather than in `npm test`.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/browser'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 90_000,
};
