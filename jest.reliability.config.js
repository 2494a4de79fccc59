/** @type {import('jest').Config} */
// `npm run test:reliability`: outage, shutdown-under-load and concurrency tests
// that need real PostgreSQL (TEST_DATABASE_URL, and initdb/pg_ctl for a private
// cluster). One file at a time: each drives the machine hard on purpose.
module.exports = {
  ...require('./jest.config.js'),
  roots: ['<rootDir>/test/reliability'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120_000,
};
