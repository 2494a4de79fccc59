import { setTimeout as sleep } from 'node:timers/promises';

// Waits until `done()` holds, checking every `everyMs` for at most `withinMs`,
// and resolves with whether it did: the test then asserts on what it waited
// for, so a timeout fails with the test's own message, not a generic one.
export async function waitUntil(done: () => boolean, { withinMs = 5_000, everyMs = 50 } = {}): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await sleep(everyMs);
  }
  return true;
}
