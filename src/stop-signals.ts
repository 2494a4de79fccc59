import cluster from 'node:cluster';
import { constants } from 'node:os';

// SIGTERM / SIGINT from a process's first moment. Every entry point (main,
// migrate, import) imports this module first, before anything slow loads or
// starts: Node as PID 1 (the image) ignores a signal nobody handles, so
// `docker stop` during start-up used to end in SIGKILL after 10 s, with PGlite
// killed in the middle of initdb.
//
// Until a process hands the signals over (the server, once it listens, to its
// drain), a stop runs the registered clean-ups (close the database) and exits
// 128 + the signal's number, as a shell reports a process ended by it: the
// work was not done, so an init container or a script sees a failure. A
// clean-up that has not finished within CLEANUP_LIMIT_MS is abandoned; a
// second signal exits at once.
//
// A cluster worker follows its primary instead (cluster.ts, followPrimary).

// A clean-up that returns nothing has finished; the process may exit in the
// same tick (an interrupted initdb is wiped that way, before PGlite writes more).
type Cleanup = () => Promise<void> | undefined;

const CLEANUP_LIMIT_MS = 1_500;
const cleanups = new Set<Cleanup>();
let handedOver: ((signal: NodeJS.Signals) => void) | undefined;
let stopping = false;

function exitCodeFor(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}

function onSignal(signal: NodeJS.Signals): void {
  if (handedOver) {
    handedOver(signal);
    return;
  }
  const exit = () => process.exit(exitCodeFor(signal));
  if (stopping) exit();
  stopping = true;
  process.stderr.write(`passenger-api: ${signal} before start-up finished: stopping\n`);
  const pending = [...cleanups].map((cleanup) => cleanup()).filter((result) => result !== undefined);
  if (pending.length === 0) exit();
  setTimeout(exit, CLEANUP_LIMIT_MS);
  void Promise.allSettled(pending).then(exit);
}

// Whether a stop is under way: a start-up step failing because its database
// was just closed says nothing of its own.
export function stopRequested(): boolean {
  return stopping;
}

// Runs `cleanup` on a stop before hand-over; the returned function forgets it.
export function onEarlyStop(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

// From now on signals go to `handler` (the server's drain, the cluster primary's).
export function handOverStopSignals(handler: (signal: NodeJS.Signals) => void): void {
  handedOver = handler;
}

if (!cluster.isWorker) {
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
