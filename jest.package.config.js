// The installable client's test: packs packages/client, installs the tarball
// into a fresh project in the OS temp directory and calls a built server. It
// needs npm (and its cache or the registry) and runs once, on its own, from
// .ci/run (`npm run test:package`), not in each database pass of `npm test`.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/package'],
  testPathIgnorePatterns: ['/node_modules/'],
};
