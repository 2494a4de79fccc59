import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkManifests } from '../../scripts/check-manifests';
import { ROOT } from '../../scripts/lib/paths';

// `npm run check:manifests`, the operators' offline check: every overlay and the
// import-job component rendered fresh and validated, on the committed tree and
// on a copy broken the ways an operator's edit could break it.
it('passes the committed tree, one line per render', () => {
  const stdout = execFileSync('npm', ['run', '-s', 'check:manifests'], { cwd: ROOT, encoding: 'utf8' });
  expect(stdout.trim().split('\n')).toEqual([
    expect.stringMatching(/^overlays\/dev: \d+ objects, valid$/),
    expect.stringMatching(/^overlays\/production: \d+ objects, valid$/),
    expect.stringMatching(/^overlays\/production-external-postgres: \d+ objects, valid$/),
    expect.stringMatching(/^components\/import-job: 2 objects, valid$/),
  ]);
});

describe('on a broken copy of helm-free-kustomize/', () => {
  let tree: string;
  beforeEach(() => {
    tree = join(mkdtempSync(join(tmpdir(), 'passenger-check-manifests-')), 'helm-free-kustomize');
    cpSync(join(ROOT, 'helm-free-kustomize'), tree, { recursive: true });
  });
  afterEach(() => {
    rmSync(join(tree, '..'), { recursive: true, force: true });
  });
  const edit = (file: string, from: string, to: string) => {
    const path = join(tree, file);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(from);
    writeFileSync(path, text.replace(from, to));
  };

  it('reports an object the schema refuses, a broken rule, and a kustomization that does not render', () => {
    edit('components/ingress/ingress.yaml', 'ingressClassName: nginx', 'ingressClassName: traefik');
    edit('components/import-job/import-job.yaml', 'backoffLimit: 0', 'backoffLimit: none');
    edit('overlays/dev/kustomization.yaml', '  - path: api-dev.yaml', '  - path: missing.yaml');
    const { problems } = checkManifests(tree);
    expect(problems).toEqual([
      expect.stringMatching(/^overlays\/dev: kubectl kustomize failed: [\s\S]*missing\.yaml/),
      'overlays/production: Ingress/passenger-api: ingressClassName must be nginx',
      'overlays/production-external-postgres: Ingress/passenger-api: ingressClassName must be nginx',
      expect.stringMatching(/^components\/import-job: Job\/passenger-import: .*backoffLimit/),
    ]);
  });

  it('reports an import CSV over the 1 MiB a ConfigMap holds', () => {
    const big = `${'x'.repeat(1024)}\n`.repeat(1100);
    const { problems } = checkManifests(tree, big);
    expect(problems).toEqual([expect.stringMatching(/^components\/import-job: ConfigMap\/passenger-csv-\w+: \d+ bytes; a ConfigMap holds at most 1 MiB$/)]);
  });
});
