import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import type { components } from '../../generated/openapi';
import { demoPassengers } from '../../src/passengers/demo-passengers';
import { type ServerProcess, startServer } from '../../scripts/lib/server-process';
import { ROOT } from '../../scripts/lib/paths';

// @passenger-api/client as a consumer gets it: `npm pack` of the workspace,
// installed from the tarball into two fresh projects outside the repository,
// an ES module one ("type": "module") and a CommonJS one (npm init's default),
// (openapi-fetch and @types/node come from npm's cache, --prefer-offline),
// each type-checked under --strict, exactOptionalPropertyTypes and
// noUncheckedIndexedAccess with module nodenext, then run against the built
// server: test/package/consumer/*.ts and the package README's example.
// `npm run test:package` builds first (the tarball packs packages/client/dist).
const execFileAsync = promisify(execFile);
const API_KEY = 'package-test-key-0123456789';
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const CONSUMER_SOURCES = join(__dirname, 'consumer');
const CONSUMER_FILES = ['consumer.ts', 'misuse.ts', 'narrowing.ts', 'readme-example.ts'];
const MODULE_TYPES = ['module', 'commonjs'] as const;
type ModuleType = (typeof MODULE_TYPES)[number];
// The version the repository's own tests compile against, so npm finds it in its cache.
const TYPES_NODE = (JSON.parse(readFileSync(join(ROOT, 'node_modules', '@types', 'node', 'package.json'), 'utf8')) as { version: string }).version;

// What test/package/consumer/consumer.ts prints: its own checks' results; only the created passenger is read into.
type ConsumerReport = Record<'read' | 'listed' | 'pageSizes' | 'replaced' | 'stale' | 'deleted' | 'missing' | 'invalid', unknown> & {
  created: { passenger: components['schemas']['Passenger'] };
};

interface ConsumerProject {
  dir: string;
  compilerOutput: string;
}

let server: ServerProcess | undefined;
let packDir: string;
let tarball: string;
const projects = {} as Record<ModuleType, ConsumerProject>;

function npm(args: string[], cwd: string): Promise<string> {
  return run('npm', args, cwd);
}

async function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await execFileAsync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return stdout;
}

// The first ```ts block of the package's README, the example a consumer copies.
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'packages', 'client', 'README.md'), 'utf8');
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(readme);
  if (!block?.[1]) throw new Error('packages/client/README.md has no ```ts example');
  return block[1];
}

// One tsc run over all files (tsc is the slow part); errors are told apart by file.
// It emits out/*.js even where misuse.ts fails, as tsc does without noEmitOnError.
async function consumerProject(type: ModuleType): Promise<ConsumerProject> {
  const dir = mkdtempSync(join(tmpdir(), `passenger-client-${type}-`));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${type}`, private: true, type }));
  await npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball, `@types/node@${TYPES_NODE}`], dir);
  for (const file of CONSUMER_FILES.slice(0, -1)) copyFileSync(join(CONSUMER_SOURCES, file), join(dir, file));
  writeFileSync(join(dir, 'readme-example.ts'), readmeExample());
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        types: ['node'],
        outDir: 'out',
      },
      files: CONSUMER_FILES,
    }),
  );
  const compiled = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
  return { dir, compilerOutput: compiled.stdout + compiled.stderr };
}

function misuseErrorLines(compilerOutput: string): number[] {
  return [...new Set([...compilerOutput.matchAll(/^misuse\.ts\((\d+),/gm)].map((match) => Number(match[1])))];
}

beforeAll(async () => {
  // PGlite starts while npm packs and installs (a few seconds each; more on a busy machine).
  const starting = startServer({ PGLITE_DATA_DIR: 'memory://', API_KEYS: API_KEY, SHUTDOWN_DRAIN_MS: '0' }, 90_000);
  packDir = mkdtempSync(join(tmpdir(), 'passenger-client-pack-'));
  const packed = JSON.parse(await npm(['pack', '--workspace', '@passenger-api/client', '--pack-destination', packDir, '--json'], ROOT)) as {
    filename: string;
  }[];
  tarball = join(packDir, packed[0].filename);
  const [esm, cjs] = await Promise.all(MODULE_TYPES.map(consumerProject));
  projects.module = esm;
  projects.commonjs = cjs;
  server = await starting;
}, 240_000);

afterAll(async () => {
  await server?.stop();
  for (const dir of [packDir, ...Object.values(projects).map((project) => project.dir)]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed @passenger-api/client', () => {
  it("ships the CommonJS and ES module builds, their declarations, the generated contract types, README and LICENSE, nothing else, at the spec's version", () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
    const builds = ['cjs', 'esm'].flatMap((folder) =>
      ['headers.d.ts', 'headers.js', 'index.d.ts', 'index.js', 'openapi.d.ts', 'package.json', 'responses.d.ts', 'responses.js'].map(
        (file) => `dist/${folder}/${file}`,
      ),
    );
    expect(listing).toEqual(['package.json', 'README.md', 'LICENSE', ...builds].map((path) => `package/${path}`).sort());
    const generated = readFileSync(join(ROOT, 'generated', 'openapi.d.ts'), 'utf8');
    for (const folder of ['cjs', 'esm']) {
      expect(execFileSync('tar', ['-xzOf', tarball, `package/dist/${folder}/openapi.d.ts`], { encoding: 'utf8' })).toBe(generated);
    }
    const manifest = JSON.parse(readFileSync(join(projects.module.dir, 'node_modules', '@passenger-api', 'client', 'package.json'), 'utf8')) as {
      dependencies: unknown;
      version: string;
    };
    expect(manifest.dependencies).toEqual({ 'openapi-fetch': expect.any(String) as unknown, 'openapi-typescript-helpers': expect.any(String) as unknown });
    // The client is the contract's: it carries the spec's version.
    expect(manifest.version).toBe((parse(readFileSync(join(ROOT, 'openapi', 'openapi.yaml'), 'utf8')) as { info: { version: string } }).info.version);
  });

  it('packs into the git-ignored packed/ folder with npm run pack:client', () => {
    const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['pack:client'];
    expect(script).toContain('--pack-destination packed');
    expect(execFileSync('git', ['check-ignore', 'packed/passenger-api-client-2.0.0.tgz'], { cwd: ROOT, encoding: 'utf8' }).trim()).toBe(
      'packed/passenger-api-client-2.0.0.tgz',
    );
  });

  describe.each(MODULE_TYPES)('in a fresh "type": "%s" project', (type) => {
    const project = () => projects[type];
    const node = (args: string[], env: Record<string, string> = {}) => run(process.execPath, args, project().dir, env);

    it('type-checks the consumer, the narrowing checks and the README example under strict, exactOptionalPropertyTypes and noUncheckedIndexedAccess', () => {
      // Every diagnostic (indented lines continue one) is one of misuse.ts's, the
      // next test: none elsewhere, none for the package's declarations; an
      // expect-error directive in narrowing.ts that nothing triggers would be one (TS2578).
      expect(
        project()
          .compilerOutput.split('\n')
          .filter((line) => /^\S/.test(line) && !line.startsWith('misuse.ts(')),
      ).toEqual([]);
    });

    it('refuses, at compile time, calls the contract does not allow', () => {
      const source = readFileSync(join(CONSUMER_SOURCES, 'misuse.ts'), 'utf8').split('\n');
      const marked = source.flatMap((line, index) => (line.includes('// error:') ? [index + 1] : []));
      expect(marked.length).toBeGreaterThan(0);
      expect(misuseErrorLines(project().compilerOutput)).toEqual(marked);
    });

    it('loads the build for its module type through the exports map', async () => {
      const loaded = type === 'module' ? 'import.meta.resolve("@passenger-api/client")' : 'require.resolve("@passenger-api/client")';
      const script = `console.log(${loaded})`;
      const resolved = await node(type === 'module' ? ['--input-type=module', '-e', script] : ['-e', script]);
      expect(resolved.trim()).toMatch(type === 'module' ? /\/dist\/esm\/index\.js$/ : /\/dist\/cjs\/index\.js$/);
    });

    it('creates, reads, pages through all, replaces with If-Match, deletes, and gets a 412, a 404 and a 400', async () => {
      const call = `run(${JSON.stringify(server!.baseUrl)}, ${JSON.stringify(API_KEY)}).then((report) => console.log(JSON.stringify(report)))`;
      const script = type === 'module' ? `import { run } from './out/consumer.js'; ${call}` : `const { run } = require('./out/consumer.js'); ${call}`;
      const report = JSON.parse(await node(type === 'module' ? ['--input-type=module', '-e', script] : ['-e', script])) as ConsumerReport;

      const uuid = report.created.passenger.uuid;
      expect(report.created).toEqual({
        status: 201,
        location: `/getpassenger/${uuid}`,
        passenger: expect.objectContaining({ uuid, name: 'Packed Consumer' }) as unknown,
      });
      expect(report.read).toEqual({ status: 200, passenger: report.created.passenger, etag: expect.stringMatching(/^"[^"]+"$/) as unknown });
      const everyUuid = [...demoPassengers.map((passenger) => passenger.uuid), uuid].sort();
      expect(report.listed).toEqual(everyUuid);
      expect(report.pageSizes).toEqual(Array.from({ length: Math.ceil(everyUuid.length / 5) }, (_, i) => Math.min(5, everyUuid.length - 5 * i)));
      expect(report.replaced).toEqual({ status: 200, passenger: { ...report.created.passenger, age: 31 }, etagChanged: true });
      expect(report.stale).toEqual({ status: 412, title: 'Precondition Failed' });
      expect(report.deleted).toEqual({ status: 204 });
      expect(report.missing).toEqual({ status: 404, detail: expect.stringContaining(uuid) as unknown });
      expect(report.invalid).toEqual({ status: 400, errors: [expect.objectContaining({ in: 'query', path: '/limit' }) as unknown] });
    });

    it("runs the package README's example as written, against the server", async () => {
      const example = readFileSync(join(project().dir, 'out', 'readme-example.js'), 'utf8').replaceAll('http://localhost:3000', server!.baseUrl);
      const file = join(project().dir, 'out', 'readme-example-here.js');
      writeFileSync(file, example);
      const output = await node([file], { API_KEY });
      expect(output).toContain('created at /getpassenger/');
      expect(output).toContain('replaced: 37 new ETag');
      expect(output).toContain('unchanged since the patch: true');
      expect(output).toContain('deleted: true');
    });
  });
});
