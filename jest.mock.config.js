// The mock's tests: they start `npm run mock` (one on the fixed port 4010) and
// compare it with the real service on the test database (PGlite, or
// TEST_DATABASE_URL), so they run on their own (.ci/run's contract section)
// rather than in `npm test`.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/mock'],
  testPathIgnorePatterns: ['/node_modules/'],
};
