// Mutation testing (`npm run test:mutation`): Stryker changes src/http and
// src/passengers one small bug at a time and runs the Jest tests that cover
// each change; a mutant the tests still pass on is a bug they would miss.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // All the unit and integration tests as one Jest file (test/mutation/all-tests.test.ts
  // says why), so Jest need not look for the files related to each mutant.
  jest: { configFile: 'jest.mutation.config.js', enableFindRelatedTests: false },
  // PGlite loads its WebAssembly through dynamic import(), which Jest's VM needs this flag for.
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'],
  // In place, not in a sandbox copy: tests run dist/ and the client package's build.
  // Stryker restores the files when it ends (a backup is in .stryker-tmp/ meanwhile).
  inPlace: true,
  // @swc/jest strips types without checking them, so Stryker need not insert
  // @ts-nocheck into every file (in place, that would rewrite test/ and configs too).
  disableTypeChecks: false,
  // Each mutant runs only the tests that executed it in the dry run.
  coverageAnalysis: 'perTest',
  // A static mutant (a module-level value, computed once on load) cannot be
  // switched per test, so each would re-run the whole suite with a fresh
  // module registry; they are reported as ignored and left out of the score.
  ignoreStatic: true,
  mutate: ['src/passengers/**/*.ts', 'src/http/**/*.ts'],
  // The last whole result is kept in git (npm run test:mutation rewrites it):
  // a run tests again only the mutants whose code changed, or whose covering
  // tests did (test/mutation/all-tests.test.ts says how it sees that), so CI
  // gets the whole score in minutes where a run from nothing takes 85 min
  // here (1,110 mutants). Changes it cannot see (test/support, dependencies, the spec)
  // need `npx stryker run --force`.
  incremental: true,
  incrementalFile: 'test/mutation/stryker-incremental.json',
  // The machine has 2 cores.
  concurrency: 2,
  // Each mutant is a new Jest run in the same worker process, and what a run
  // leaves behind (module registries, PGlite's WebAssembly memory) is not all
  // freed: a worker reached 17 GB after about 160 runs and was killed by the
  // kernel. A fresh worker every 25 runs costs a few seconds each time.
  maxTestRunnerReuse: 25,
  dryRunTimeoutMinutes: 10,
  // A mutant may make a loop endless or a query wait forever. Stryker allows
  // timeoutFactor x the covering tests' time + timeoutMS + the dry run's set-up
  // time; at 10 s extra, 10 of 13 mutants timed out under load (most likely slowed
  // workers, not hangs), and a Timeout counts as detected, which would inflate the score.
  timeoutFactor: 2,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
};
