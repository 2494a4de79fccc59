import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { components } from '../../generated/openapi';
import { demoPassengers } from '../../src/passengers/demo-passengers';
import { type ServerProcess, startServer } from '../../scripts/lib/server-process';
import { ROOT } from '../../scripts/lib/paths';

// @passenger-api/client as a consumer gets it: `npm pack` of the workspace,
// installed from the tarball into a fresh project outside the repository
// (openapi-fetch comes from npm's cache, --prefer-offline), type-checked under
// --strict with module nodenext, then run against the built server.
// `npm run test:package` builds first (the tarball packs packages/client/dist).
const API_KEY = 'package-test-key-0123456789';
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const CONSUMER_SOURCES = join(__dirname, 'consumer');

// What test/package/consumer/consumer.ts prints: its own checks' results; only the created passenger is read into.
type ConsumerReport = Record<'read' | 'listed' | 'pageSizes' | 'replaced' | 'stale' | 'deleted' | 'missing' | 'invalid', unknown> & {
  created: { passenger: components['schemas']['Passenger'] };
};

let project: string;
let server: ServerProcess | undefined;
let tarball: string;
let compilerOutput: string;

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// One tsc run over both files (tsc is the slow part); errors are told apart by file.
// It emits out/*.js even where misuse.ts fails, as tsc does without noEmitOnError.
function typecheckConsumers(): string {
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        types: [],
        outDir: 'out',
      },
      files: ['consumer.ts', 'misuse.ts'],
    }),
  );
  const result = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: project, encoding: 'utf8' });
  return result.stdout + result.stderr;
}

function misuseErrorLines(): number[] {
  return [...new Set([...compilerOutput.matchAll(/^misuse\.ts\((\d+),/gm)].map((match) => Number(match[1])))];
}

beforeAll(async () => {
  // PGlite starts while npm packs and installs (a few seconds each; more on a busy machine).
  const starting = startServer({ PGLITE_DATA_DIR: 'memory://', API_KEYS: API_KEY, SHUTDOWN_DRAIN_MS: '0' }, 90_000);
  project = mkdtempSync(join(tmpdir(), 'passenger-client-consumer-'));
  const packed = JSON.parse(npm(['pack', '--workspace', '@passenger-api/client', '--pack-destination', project, '--json'], ROOT)) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = join(project, packed[0].filename);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], project);
  for (const file of ['consumer.ts', 'misuse.ts']) copyFileSync(join(CONSUMER_SOURCES, file), join(project, file));
  compilerOutput = typecheckConsumers();
  server = await starting;
}, 150_000);

afterAll(async () => {
  await server?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the packed @passenger-api/client in a fresh project', () => {
  it("ships the built JavaScript, its declarations and the generated contract types, nothing else, at the spec's version", () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(listing).toEqual(
      ['package.json', 'dist/headers.d.ts', 'dist/headers.js', 'dist/index.d.ts', 'dist/index.js', 'dist/openapi.d.ts'].map((path) => `package/${path}`).sort(),
    );
    const shipped = execFileSync('tar', ['-xzOf', tarball, 'package/dist/openapi.d.ts'], { encoding: 'utf8' });
    expect(shipped).toBe(readFileSync(join(ROOT, 'generated', 'openapi.d.ts'), 'utf8'));
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules', '@passenger-api', 'client', 'package.json'), 'utf8')) as {
      dependencies: unknown;
      version: string;
    };
    expect(manifest.dependencies).toEqual({ 'openapi-fetch': expect.any(String) as unknown });
    // The client is the contract's: it carries the spec's version.
    expect(manifest.version).toBe((parse(readFileSync(join(ROOT, 'openapi', 'openapi.yaml'), 'utf8')) as { info: { version: string } }).info.version);
  });

  it('type-checks a consumer under --strict', () => {
    // Every diagnostic (indented lines continue one) is one of misuse.ts's, the
    // next test: none for consumer.ts, none for the package's declarations.
    expect(compilerOutput.split('\n').filter((line) => /^\S/.test(line) && !line.startsWith('misuse.ts('))).toEqual([]);
  });

  it('refuses, at compile time, calls the contract does not allow', () => {
    const source = readFileSync(join(project, 'misuse.ts'), 'utf8').split('\n');
    const marked = source.flatMap((line, index) => (line.includes('// error:') ? [index + 1] : []));
    expect(marked.length).toBeGreaterThan(0);
    expect(misuseErrorLines()).toEqual(marked);
  });

  it('resolves through the exports map from CommonJS and ESM alike', () => {
    const probe = (args: string[]) => execFileSync(process.execPath, args, { cwd: project, encoding: 'utf8' }).trim();
    expect(probe(['-e', "console.log(typeof require('@passenger-api/client').createPassengerApiClient)"])).toBe('function');
    expect(
      probe(['--input-type=module', '-e', "import { createPassengerApiClient } from '@passenger-api/client'; console.log(typeof createPassengerApiClient)"]),
    ).toBe('function');
  });

  it('creates, reads, pages through all, replaces with If-Match, deletes, and gets a 404 and a 400', () => {
    const script = `import { run } from './out/consumer.js'; console.log(JSON.stringify(await run(${JSON.stringify(server!.baseUrl)}, ${JSON.stringify(API_KEY)})));`;
    const report = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' })) as ConsumerReport;

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
});
