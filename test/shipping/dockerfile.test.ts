import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { parseDockerfile, RUNTIME_PATHS, type Stage } from './dockerfile';
import { ROOT } from '../../scripts/lib/paths';

const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const { args, stages } = parseDockerfile(text);
const runtime = stages.at(-1)!;
const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

it('lints clean with dockerfile-utils (and the linter does report a broken Dockerfile)', () => {
  expect(validate(text).map((d) => `line ${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value}`)).toEqual([]);
  expect(validate('FROM node:20\nEXPOSE eighty\nCMD node dist/main.js\nCMD node x\n').length).toBeGreaterThan(0);
});

it('builds in one stage and runs from another, on a base pinned by version', () => {
  expect(stages.length).toBeGreaterThanOrEqual(2);
  const image = runtime.from.replace(/^\$\{(\w+)\}$/, (_, name: string) => args[name]);
  expect(image).toMatch(/^node:\d+\.\d+\.\d+-[\w-]+$/);
  expect(stages.every((s) => s.from === runtime.from)).toBe(true);
});

it('runs as a numeric non-root user, in production mode, node as PID 1 on port 8080', () => {
  expect(all(runtime, 'USER')).toEqual([expect.stringMatching(/^[1-9]\d*(:[1-9]\d*)?$/)]);
  expect(all(runtime, 'ENV').join(' ')).toMatch(/\bNODE_ENV=production\b/);
  expect(all(runtime, 'ENV').join(' ')).toMatch(/\bPORT=8080\b/);
  expect(all(runtime, 'EXPOSE')).toEqual(['8080']);
  expect(all(runtime, 'ENTRYPOINT')).toEqual([]);
  expect(all(runtime, 'CMD').map((cmd) => JSON.parse(cmd) as unknown)).toEqual([['node', 'dist/main.js']]);
});

it('puts only production dependencies, dist/ and the spec into the image', () => {
  const copies = all(runtime, 'COPY').map((c) => c.split(' '));
  expect(copies.map((c) => c.at(-1)!.replace(/^\.\//, '')).sort()).toEqual([...RUNTIME_PATHS].sort());
  const modulesFrom = copies.find((c) => c.at(-1) === './node_modules')![0].replace('--from=', '');
  const depsStage = stages.find((s) => s.name === modulesFrom)!;
  expect(all(depsStage, 'RUN').join(' ')).toMatch(/npm ci --omit=dev/);
  // Pruned of what never runs: the client workspace, maps, declarations.
  expect(all(depsStage, 'RUN').join(' ')).toMatch(/rm -rf node_modules\/@passenger-api /);
  expect(all(depsStage, 'RUN').join(' ')).toContain("-name '*.map'");
});

it('installs from the manifests alone, then builds only the service, without maps or build info', () => {
  const build = stages.find((s) => s.name === 'build')!;
  const install = build.instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
  const copiedBefore = build.instructions
    .slice(0, install)
    .filter((i) => i.keyword === 'COPY')
    .flatMap((i) => i.args.split(' ').slice(0, -1));
  expect(copiedBefore.sort()).toEqual(['package-lock.json', 'package.json', 'packages/client/package.json']);
  const compile = all(build, 'RUN').slice(1).join(' ');
  expect(compile).toContain('tsc -p tsconfig.build.json --sourceMap false');
  expect(compile).toContain('rm dist/.tsbuildinfo');
  expect(compile).not.toMatch(/npm run build|--workspace/);
});

it('drops npm from the runtime stage and declares the embedded database a volume owned by the service user', () => {
  const [run, ...others] = all(runtime, 'RUN');
  expect(others).toEqual([]);
  expect(run).toContain('rm -rf /usr/local/lib/node_modules/npm');
  expect(run).toContain('/usr/local/bin/npx');
  expect(run).toContain('mkdir -p /app/.data && chown 1000:1000 /app/.data');
  expect(all(runtime, 'VOLUME')).toEqual(['/app/.data']);
  expect(all(runtime, 'WORKDIR')).toEqual(['/app']);
  expect(text).not.toMatch(/^# syntax=/m);
});

it('keeps secrets and local state out of the build context (.dockerignore)', () => {
  const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
  expect(ignore[0]).toBe('**');
  const included = ignore.slice(1).map((l) => l.replace(/^!/, '').replace(/\/$/, ''));
  expect(included).not.toContain('.env');
  const sources = stages
    .flatMap((s) => all(s, 'COPY'))
    .filter((c) => !c.startsWith('--from'))
    .flatMap((c) => c.split(' ').slice(0, -1));
  for (const source of sources) expect(included).toContain(source.replace(/\/$/, ''));
});
