import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { track } from './child-processes';
import { ROOT } from './paths';

const MAIN = join(ROOT, 'dist', 'main.js');

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  logs: string[];
  // Resolves with the exit code once the process has ended.
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

// Runs the built server (dist/main.js, as production does) on a free port and
// resolves once it logs "listening". `root` is the directory holding dist/
// (another one for the production-install test).
// `detached`: the server leads a process group of its own, so a test can
// signal the whole group (as Ctrl-C or systemd do) with process.kill(-pid).
export async function startServer(env: Record<string, string>, timeoutMs = 20_000, root = ROOT, { detached = false } = {}): Promise<ServerProcess> {
  const main = join(root, 'dist', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [main], {
    cwd: root,
    detached,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      resolve(code);
    }),
  );
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${logs.join('\n')}`));
    }, timeoutMs);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        logs.push(line);
        if (line.includes('"msg":"listening"')) {
          clearTimeout(timer);
          // The log line is the server's output, read as untrusted JSON.
          const port = (JSON.parse(line) as { address?: { port?: unknown } } | null)?.address?.port;
          if (typeof port !== 'number') {
            reject(new Error(`server logged "listening" without a numeric address.port: ${line}`));
            return;
          }
          resolve(`http://127.0.0.1:${port}`);
        }
      });
    }
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${logs.join('\n')}`));
    });
  });
  return {
    child,
    baseUrl,
    logs,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        // A server stuck in shutdown must not outlive the test or script that started it.
        const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
        void exited.then(() => {
          clearTimeout(kill);
        });
      }
      return exited;
    },
  };
}

// Runs the server expecting it to refuse to start; resolves with code and output.
export async function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}
