// The mock's test: it starts `npm run mock` on the fixed port 4010, so it runs
// on its own (.ci/run's contract section) rather than in `npm test`.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/mock'],
  testPathIgnorePatterns: ['/node_modules/'],
};
