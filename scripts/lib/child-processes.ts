import type { ChildProcess } from 'node:child_process';

// Every child process the test support and the contract commands start, so
// that whoever gives up (a timeout, a failure, a signal) can end them all.
const running = new Set<ChildProcess>();

export function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}
