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
  expect(all(runtime, 'RUN')).toEqual([]);
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
