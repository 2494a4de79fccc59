import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { killAll, track } from '../../scripts/lib/child-processes';

// A contract command that ends for any reason, a Ctrl-C or a CI timeout
// included, takes every child it started with it: no orphans.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}
process.once('exit', killAll);

export interface CommandOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  // Receives every output line; without it the output goes to this terminal.
  onLine?: (line: string) => void;
}

// Runs a command to its end, bounded in time; resolves with its exit code
// (a command killed for running too long counts as failed).
export function runCommand(command: string, args: string[], options: CommandOptions): Promise<number> {
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    stdio: options.onLine ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
  });
  track(child);
  if (options.onLine) {
    for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream! }).on('line', options.onLine);
  }
  const timer = setTimeout(() => {
    console.error(`${command} ran longer than ${options.timeoutMs} ms: killing it`);
    child.kill('SIGKILL');
  }, options.timeoutMs);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}
