// Mutation runs only (jest.mutation.config.js): Jest's node environment, with
// two changes for Stryker.
const { TestEnvironment } = require('jest-environment-node');

// A test's id as Stryker's own environment names it: describe names and the
// test's, joined by spaces (the root block has no name).
function blockName(block) {
  return block.parent ? `${blockName(block.parent)} ${block.name}`.trimStart() : '';
}

function testIds(block) {
  return block.children.flatMap((child) => (child.type === 'test' ? [`${blockName(block)} ${child.name}`.trimStart()] : testIds(child)));
}

class MutationEnvironment extends TestEnvironment {
  failed = false;

  handleTestEvent(event) {
    this.bail(event);
    this.attributeHookCoverage(event);
  }

  // Stryker counts a mutant as killed at the first failing test, but its Jest
  // runner cannot make Jest bail (and Jest bails between files, not inside
  // one), so a killed mutant in code every request passes through still ran
  // all of its 300 covering tests. After a failure, every later test and
  // describe block (with its hooks) is skipped.
  bail(event) {
    if ((event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure') this.failed = true;
    else if (this.failed && event.name === 'test_start') event.test.mode = 'skip';
    else if (this.failed && event.name === 'run_describe_start') event.describeBlock.mode = 'skip';
  }

  // Stryker records which test ran each piece of code only while a test runs;
  // what a beforeAll or afterAll runs (building the app and its routers, most
  // of the middleware's set-up) it counts as static, run once on load, and so
  // ignores its mutants or tests them only against tests that happen to run
  // the same code again. Yet Jest runs a block's hooks whenever one of its
  // tests runs: the code they run is covered by each of the block's tests, and
  // is recorded so once the block has finished.
  attributeHookCoverage(event) {
    const stryker = this.global.__stryker__;
    if (!stryker) return;
    const hook = event.hook;
    const hookId = (block) => `\0hooks of ${blockName(block)}`;
    if (event.name === 'hook_start' && (hook.type === 'beforeAll' || hook.type === 'afterAll')) {
      stryker.currentTestId = hookId(hook.parent);
    } else if ((event.name === 'hook_success' || event.name === 'hook_failure') && (hook.type === 'beforeAll' || hook.type === 'afterAll')) {
      stryker.currentTestId = undefined;
    } else if (event.name === 'run_describe_finish') {
      const perTest = stryker.mutantCoverage?.perTest;
      const key = hookId(event.describeBlock);
      const covered = perTest?.[key];
      if (!covered) return;
      Reflect.deleteProperty(perTest, key);
      for (const id of testIds(event.describeBlock)) {
        const counts = (perTest[id] ??= {});
        for (const [mutant, hits] of Object.entries(covered)) counts[mutant] = (counts[mutant] ?? 0) + hits;
      }
    }
  }
}

module.exports = MutationEnvironment;
