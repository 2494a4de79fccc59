// `npm run check:manifests`: the offline check for operators, where
// `kubectl apply --dry-run=client` would need a cluster. Renders every overlay
// of helm-free-kustomize/ (and the import-job component, on a one-row CSV) with
// `kubectl kustomize` and validates every object: Kubernetes schemas
// (kubernetes-models) and the rules of scripts/manifest-checks.ts.
// Prints one line per render; exit 1 and the problems when any.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './lib/paths';
import { checkRendered, EXTERNAL_SECRETS, type K8sObject } from './manifest-checks';

function render(dir: string): K8sObject[] {
  const yaml = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(yaml).map((doc) => doc.toJS() as K8sObject);
}

// The import Job as an operator applies it: its own kustomization using the
// component, with a ConfigMap generated from a CSV.
const ONE_ROW = 'Survived,Pclass,Name,Sex,Age,Siblings_Spouses_Aboard,Parents_Children_Aboard,Fare\n0,3,Mr. A,male,22,1,0,7.25\n';

function renderImportJob(tree: string, csv: string): K8sObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'passenger-import-job-'));
  try {
    writeFileSync(join(dir, 'titanic.csv'), csv);
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'namespace: passenger-api',
        'components:',
        `  - ${relative(dir, join(tree, 'components', 'import-job'))}`,
        'configMapGenerator:',
        '  - name: passenger-csv',
        '    files:',
        '      - passengers.csv=titanic.csv',
        'images:',
        '  - name: passenger-api',
        '    newName: registry.example.org/passenger-api',
        '    newTag: 1.0.0',
        '',
      ].join('\n'),
    );
    return render(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Returns one line per render and every problem found; `tree` is a
// helm-free-kustomize/ directory (a copy in the tests), `csv` the import Job's file.
export function checkManifests(tree: string, csv = ONE_ROW): { lines: string[]; problems: string[] } {
  const lines: string[] = [];
  const problems: string[] = [];
  const renders: [string, () => K8sObject[], string[]][] = [
    ...readdirSync(join(tree, 'overlays'))
      .sort()
      .map((overlay): [string, () => K8sObject[], string[]] => [
        `overlays/${overlay}`,
        () => render(join(tree, 'overlays', overlay)),
        EXTERNAL_SECRETS[overlay] ?? [],
      ]),
    ['components/import-job', () => renderImportJob(tree, csv), ['postgres-credentials']],
  ];
  for (const [name, renderIt, externalSecrets] of renders) {
    let objects: K8sObject[];
    try {
      objects = renderIt();
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr?.trim();
      problems.push(`${name}: kubectl kustomize failed: ${stderr || String(err)}`);
      continue;
    }
    const found = checkRendered(objects, name.replace(/^overlays\//, ''), externalSecrets).map((p) => `${name}: ${p}`);
    problems.push(...found);
    lines.push(`${name}: ${objects.length} objects, ${found.length === 0 ? 'valid' : `${found.length} problems`}`);
  }
  return { lines, problems };
}

if (require.main === module) {
  const { lines, problems } = checkManifests(join(ROOT, 'helm-free-kustomize'));
  for (const line of lines) console.log(line);
  for (const problem of problems) console.error(problem);
  process.exitCode = problems.length === 0 ? 0 : 1;
}
