// The shipping checks (rendered manifests, Dockerfile, compose file, workflow,
// production install): they need kubectl and PostgreSQL, so they run in
// .ci/run's "shipping" section rather than in `npm test`.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/shipping'],
  testPathIgnorePatterns: ['/node_modules/'],
  // npm ci into a temporary directory can take a while on a busy machine.
  testTimeout: 300_000,
};
