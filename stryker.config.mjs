// Mutation testing (`npm run test:mutation`): Stryker changes src/http and
// src/passengers one small bug at a time and runs the Jest tests that cover
// each change; a mutant the tests still pass on is a bug they would miss.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // jest.config.js less the tests that run dist/ or scripts/ in a child process,
  // which never see a mutant (see that file).
  jest: { configFile: 'jest.mutation.config.js' },
  // PGlite loads its WebAssembly through dynamic import(), which Jest's VM needs this flag for.
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'],
  // In place, not in a sandbox copy: tests read ../shared/data beside the checkout.
  // Stryker restores the files when it ends (a backup is in .stryker-tmp/ meanwhile).
  inPlace: true,
  // @swc/jest strips types without checking them, so Stryker need not insert
  // @ts-nocheck into every file (in place, that would rewrite test/ and configs too).
  disableTypeChecks: false,
  // Each mutant runs only the tests that executed it in the dry run.
  coverageAnalysis: 'perTest',
  // A static mutant (a module-level value, computed once on load) cannot be
  // switched per test, so each would re-run the whole suite (a dry run: minutes
  // here); they are reported as ignored and left out of the score.
  ignoreStatic: true,
  // The score the issue asks for; the rest of src/ can join once its baseline is recorded.
  mutate: ['src/http/**/*.ts', 'src/passengers/**/*.ts'],
  // Kept between local runs (reports/ is not in git), so a second run re-tests
  // only the mutants whose code or covering tests changed. Changes Stryker
  // cannot see (test/support, dependencies, the spec) need `--force`.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // The machine has 2 cores.
  concurrency: 2,
  // The dry run starts PGlite once per test file, in one process: 6.5 min under load.
  dryRunTimeoutMinutes: 20,
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
