// `npm run bench:costs [-- --rounds 5] [--save]`: what each behaviour the peer does not have costs per
// request. Copies of this tree's dist/ are each made without one behaviour (a
// line of the compiled JavaScript taken out), plus one without all of them, and
// `npm run bench` drives them in the same rounds as ours and the peer. Cost =
// ours' median CPU µs/request minus the copy's. The copies exist only to be
// measured: none of them is a configuration the service offers.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/paths';
import { run } from './processes';
import { round } from './report';
import { TSX } from './servers';

interface Removal {
  file: string;
  // The compiled line(s), matched exactly once, and what replaces them.
  from: string;
  to: string;
}

const BEHAVIOURS: Record<string, Removal[]> = {
  'access-log': [
    {
      file: 'http/request-context.js',
      // The info branch, which API routes take (probes log at debug).
      from: "access.info(line, 'request');",
      to: 'void line;',
    },
  ],
  'request-id': [
    {
      file: 'http/request-context.js',
      from: 'const requestId = ACCEPTABLE_ID.test(incoming) ? incoming : (0, node_crypto_1.randomUUID)();',
      to: "const requestId = incoming || '-';",
    },
    { file: 'http/request-context.js', from: "ctx.set('X-Request-Id', requestId);", to: '' },
  ],
  metrics: [{ file: 'app.js', from: 'app.use(deps.metrics);', to: '' }],
  compression: [{ file: 'app.js', from: 'app.use((0, compression_1.compression)());', to: '' }],
  // Parameters and body reach the handler as sent (the bench sends valid ones).
  validation: [{ file: 'http/api.js', from: 'if (hasInput) {', to: 'if (false) {' }],
};

function applyRemoval(dist: string, removal: Removal): void {
  const path = join(dist, removal.file);
  const text = readFileSync(path, 'utf8');
  const count = text.split(removal.from).length - 1;
  if (count !== 1) throw new Error(`${removal.file}: expected the line once, found it ${count} times (has the source changed?): ${removal.from}`);
  writeFileSync(path, text.replace(removal.from, removal.to));
}

function copyWithout(root: string, name: string, removals: Removal[]): string {
  const dist = join(root, `without-${name}`);
  cpSync(join(ROOT, 'dist'), dist, { recursive: true });
  for (const removal of removals) applyRemoval(dist, removal);
  return dist;
}

interface BenchResult {
  routes: { route: string; servers: Record<string, { cpuMicrosPerRequest: number }> }[];
}

async function main(): Promise<void> {
  await run('npm', ['run', '-s', 'build'], { cwd: ROOT });
  // The copies sit two levels below the checkout, beside links to what a
  // build finds there: ../openapi/openapi.yaml and node_modules.
  const root = join(ROOT, '.bench', 'costs');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  for (const name of ['openapi', 'node_modules']) symlinkSync(join(ROOT, name), join(root, name));
  const dists = Object.entries(BEHAVIOURS).map(([name, removals]) => copyWithout(root, name, removals));
  dists.push(copyWithout(root, 'all-of-them', Object.values(BEHAVIOURS).flat()));
  // Without the list by default (its 887-row body is GC-bound, and 8 servers'
  // list loads take long); any of npm run bench's options may follow.
  const save = process.argv.includes('--save');
  const benchArgs = process.argv.slice(2).filter((arg) => arg !== '--save');
  const args = ['--routes', 'hello,get,post', ...benchArgs, ...dists.flatMap((dist) => ['--compare-dist', dist])];
  const bench = spawn(TSX, [join(__dirname, 'run.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  bench.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(chunk);
  });
  const code = await new Promise<number | null>((resolve) => bench.on('close', resolve));
  const written = /written (\S+)/.exec(output);
  if (code !== 0 || !written) throw new Error(`npm run bench failed (exit ${code})`);
  const text = readFileSync(written[1], 'utf8');
  // --save: the committed figures the README and the performance issue quote.
  if (save) writeFileSync(join(ROOT, 'bench', 'results', 'behaviour-costs.json'), text);
  const result = JSON.parse(text) as BenchResult;
  // One behaviour's difference is often within the run-to-run noise: read it with the ranges in the table above.
  console.log('\nours minus each copy, CPU µs/request (medians of the same rounds; compare with the ranges above)');
  for (const { route, servers } of result.routes) {
    const ours = servers.ours.cpuMicrosPerRequest;
    const costs = Object.entries(servers)
      .filter(([name]) => name.startsWith('without-'))
      .map(([name, s]) => `${name.slice('without-'.length)} ${round(ours - s.cpuMicrosPerRequest, 0)}`);
    console.log(`  ${route}: ours ${ours}, peer ${servers.peer.cpuMicrosPerRequest}; ${costs.join(', ')}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
