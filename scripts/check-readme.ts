// Runs the checked shell and TypeScript blocks of README.md and docs/*.md (see readme-blocks.ts for the
// markers), so a command that stops working fails CI instead of a newcomer.
// Usage: npm run check:readme   (builds first; needs bash and curl)
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer } from './lib/server-process';
import { ROOT, checkedDocuments } from './lib/paths';
import { type CheckedBlock, extractCheckedBlocks } from './readme-blocks';

const BLOCK_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_PROBE = 'http://localhost:3000/hello';
// curl in a block fails on an HTTP error status, so a renamed route fails the check.
const PRELUDE = 'set -euo pipefail\ncurl() { command curl --silent --show-error --fail-with-body "$@"; }\n';

function withPort(text: string, port: number): string {
  return text.replaceAll('localhost:3000', `127.0.0.1:${port}`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

// Its own process group, so stopping it stops everything the block started.
function runShell(code: string, env: Record<string, string> = {}): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn('bash', ['-c', PRELUDE + code], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (status) => {
      resolve(status);
    }),
  );
  return { child, exited };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

// SIGTERM to everything the block started, then wait until it has all gone
// (a server's graceful shutdown outlives the shell), SIGKILL after 15 s.
async function stopGroup(child: ChildProcess): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined || !groupAlive(pgid)) return;
  process.kill(-pgid, 'SIGTERM');
  const killAt = Date.now() + 15_000;
  while (groupAlive(pgid) && Date.now() < killAt + 2_000) {
    if (Date.now() > killAt) process.kill(-pgid, 'SIGKILL');
    await sleep(100);
  }
}

async function runToEnd(code: string): Promise<void> {
  const { child, exited } = runShell(code);
  const timer = setTimeout(() => void stopGroup(child), BLOCK_TIMEOUT_MS);
  try {
    const status = await exited;
    if (status !== 0) throw new Error(`exited with ${status}`);
  } finally {
    clearTimeout(timer);
    await stopGroup(child); // anything the block left running in the background
  }
}

async function runWithServer(code: string): Promise<void> {
  const server = await startServer({ PGLITE_DATA_DIR: 'memory://', SHUTDOWN_DRAIN_MS: '0' });
  try {
    await runToEnd(withPort(code, Number(new URL(server.baseUrl).port)));
  } finally {
    await server.stop();
  }
}

async function runStartsServer(code: string, probeUrl: string): Promise<void> {
  const port = await freePort();
  const url = withPort(probeUrl, port);
  // A data directory of its own: never the developer's .data/pglite, which a
  // server of theirs may have open.
  const dataDir = mkdtempSync(join(tmpdir(), 'readme-check-'));
  const { child } = runShell(withPort(code, port), { PORT: String(port), PGLITE_DATA_DIR: dataDir });
  const deadline = Date.now() + BLOCK_TIMEOUT_MS;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before ${url} answered`);
      const ok = await fetch(url).then(
        (res) => res.ok,
        () => false,
      );
      if (ok) return;
      await sleep(500);
    }
    throw new Error(`${url} did not answer 2xx within ${BLOCK_TIMEOUT_MS / 1000} s`);
  } finally {
    await stopGroup(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// A TypeScript block becomes a shell one: written under node_modules/.cache
// (so its imports resolve to the repository's packages) and run by tsx.
function shellCode(block: CheckedBlock): string {
  if (block.language === 'shell') return block.code;
  const file = `node_modules/.cache/readme-check/block-${block.line}.mts`;
  return `mkdir -p "$(dirname ${file})"\ncat > ${file} <<'TYPESCRIPT'\n${block.code}\nTYPESCRIPT\nnode_modules/.bin/tsx ${file}`;
}

async function check(block: CheckedBlock): Promise<void> {
  const code = shellCode(block);
  if (block.mode === 'with-server') return runWithServer(code);
  if (block.mode === 'starts-server') return runStartsServer(code, block.probeUrl ?? DEFAULT_PROBE);
  return runToEnd(code);
}

async function main(): Promise<void> {
  const blocks = checkedDocuments().flatMap((file) =>
    extractCheckedBlocks(readFileSync(join(ROOT, file), 'utf8'), file).map((block) => ({ ...block, where: `${file}:${block.line}` })),
  );
  if (blocks.length === 0) throw new Error('README.md and docs/ have no checked blocks');
  const failures: string[] = [];
  for (const block of blocks) {
    console.log(`\n--- ${block.where} (${block.mode}) ---\n${block.code}\n---`);
    try {
      await check(block);
      console.log(`--- ${block.where}: ok`);
    } catch (err) {
      failures.push(`${block.where} (${block.mode}): ${err instanceof Error ? err.message : String(err)}`);
      console.log(`--- ${block.where}: FAILED`);
    }
  }
  if (failures.length) {
    console.error(`\n${failures.length} of ${blocks.length} checked blocks failed:\n${failures.join('\n')}`);
    process.exit(1);
  }
  console.log(`\nAll ${blocks.length} checked blocks of README.md and docs/ ran.`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
