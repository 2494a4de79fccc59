// The processes the bench drives: the service as built (dist/main.js), the
// fastify-openapi-glue peer, and the one-file ceilings and floors.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../lib/paths';
import { run, startProcess } from './processes';

export interface Server {
  name: string;
  base: string;
  child: ChildProcess;
}

export const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const PEER_BUILD = join(ROOT, '.bench', 'scripts', 'bench', 'peer-server.js');

// The service, started as production starts it; `dist` is this tree's build
// unless another build is named (to compare two versions side by side).
export async function startService(name: string, dist: string, port: number, env: NodeJS.ProcessEnv): Promise<Server> {
  const base = `http://127.0.0.1:${port}`;
  const child = await startProcess(process.execPath, [join(dist, 'main.js')], { ...env, PORT: String(port) }, `${base}/readyz`);
  return { name, base, child };
}

// Compiled by tsc and run by plain node like the service, so tsx's own
// process and loader are not counted in the peer's RSS and CPU.
export async function startPeer(port: number, databaseUrl: string): Promise<Server> {
  await run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(__dirname, 'tsconfig.peer.json')], { cwd: ROOT });
  const base = `http://127.0.0.1:${port}`;
  const spec = join(ROOT, 'openapi', 'openapi.yaml');
  const child = await startProcess(process.execPath, [PEER_BUILD, String(port), databaseUrl, spec], { PATH: process.env.PATH }, `${base}/readyz`);
  return { name: 'peer', base, child };
}

// bare-hello.ts (node:http) or bare-koa.ts: one route, /hello.
export async function startOneFileServer(name: string, script: string, port: number): Promise<Server> {
  const base = `http://127.0.0.1:${port}`;
  const child = await startProcess(TSX, [join(__dirname, script), String(port)], { PATH: process.env.PATH }, `${base}/hello`);
  return { name, base, child };
}
