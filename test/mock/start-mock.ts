import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from '../../scripts/lib/paths';

// `npm run mock` exactly as package.json defines it, so the tests prove the
// command a frontend developer runs, on the port given (MOCK_PORT).
const mockScript: string = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.mock;

export async function startMock(port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const [command, ...args] = mockScript.split(/\s+/);
  const child = spawn(join(ROOT, 'node_modules', '.bin', command), args, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, MOCK_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`the mock exited with ${code}:\n${log.join('\n')}`));
    });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        log.push(line);
        if (line.startsWith(`mock listening on http://127.0.0.1:${port}`)) resolve();
      });
    }
  });
  return child;
}
