import type { Logger } from 'pino';

// During a database outage every request and probe fails the same way: one
// warning when it starts and one line when the database answers again, not
// an error with a stack per request (the access log still has each 503).
// While down, the database is pinged once a second to notice its return.
const RECHECK_MS = 1_000;

export interface OutageReporter {
  unreachable(err: unknown): void;
}

export function outageReporter(logger: Logger, ping: () => Promise<void>): OutageReporter {
  let down = false;
  const recheck = (): void => {
    setTimeout(() => {
      ping().then(() => {
        down = false;
        logger.info('database reachable again');
      }, recheck);
    }, RECHECK_MS).unref();
  };
  return {
    unreachable(err) {
      if (down) return;
      down = true;
      logger.warn({ reason: err instanceof Error ? err.message : String(err) }, 'database unreachable: answering 503 until it is back');
      recheck();
    },
  };
}
