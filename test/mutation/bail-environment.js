// Mutation runs only (jest.mutation.config.js): Jest's node environment that
// stops a run at its first failure. Stryker counts a mutant as killed at the
// first failing test, but its Jest runner cannot make Jest bail (and Jest
// bails between files, not inside one), so a killed mutant in code every
// request passes through still ran all of its 300 covering tests. After a
// failure, every later test and describe block (with its hooks) is skipped.
const { TestEnvironment } = require('jest-environment-node');

class BailEnvironment extends TestEnvironment {
  failed = false;

  handleTestEvent(event) {
    if ((event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure') this.failed = true;
    else if (this.failed && event.name === 'test_start') event.test.mode = 'skip';
    else if (this.failed && event.name === 'run_describe_start') event.describeBlock.mode = 'skip';
  }
}

module.exports = BailEnvironment;
