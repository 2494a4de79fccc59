import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

// Every child a contract command starts, so that a timeout, a failure or a
// Ctrl-C ends them all and no orphan survives the command.
const running = new Set<ChildProcess>();

export function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

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
