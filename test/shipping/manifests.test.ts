import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { ICronJob } from 'kubernetes-models/batch/v1';
import type { IIngress, INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IService } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import {
  checkApiDeployment,
  checkRendered,
  checkSecretReferences,
  checkWorkloads,
  EXTERNAL_SECRETS,
  type K8sObject,
  serviceTarget,
  validateWithModels,
} from '../../scripts/manifest-checks';
import { ROOT } from '../../scripts/lib/paths';

const INSTALL = join(ROOT, 'install');
const OVERLAYS = readdirSync(join(ROOT, 'helm-free-kustomize', 'overlays')).sort();

function load(file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => doc.toJS() as K8sObject);
}

const find = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

it('install/ holds exactly a fresh `npm run manifests` render of every overlay', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'passenger-manifests-'));
  execFileSync('bash', [join(ROOT, 'scripts', 'render-manifests.sh'), fresh], { stdio: 'pipe' });
  expect(readdirSync(INSTALL).sort()).toEqual(OVERLAYS.map((o) => `${o}.yaml`).sort());
  for (const overlay of OVERLAYS) {
    const committed = readFileSync(join(INSTALL, `${overlay}.yaml`), 'utf8');
    expect({ overlay, yaml: readFileSync(join(fresh, `${overlay}.yaml`), 'utf8') }).toEqual({ overlay, yaml: committed });
  }
});

describe.each(OVERLAYS)('install/%s.yaml', (overlay) => {
  const objects = load(join(INSTALL, `${overlay}.yaml`));

  it('is an overlay whose external Secrets the README documents', () => {
    expect(EXTERNAL_SECRETS[overlay]).toBeDefined();
  });

  it('is valid Kubernetes, object by object (kubernetes-models)', () => {
    expect(objects.length).toBeGreaterThan(3);
    for (const object of objects)
      expect(() => {
        validateWithModels(object);
      }).not.toThrow();
  });

  it('passes the restricted, resources, probes, images, namespace, secret, ingress and backup checks', () => {
    expect(checkRendered(objects, overlay, EXTERNAL_SECRETS[overlay])).toEqual([]);
  });

  it('routes Service passenger-api port 80 to the port the API listens on', () => {
    const { problems, containerPort } = serviceTarget(objects, 'passenger-api');
    expect(problems).toEqual([]);
    const api = find(objects, 'Deployment', 'passenger-api')! as IDeployment;
    const env = api.spec!.template.spec!.containers[0].env!;
    expect(env.find((e) => e.name === 'PORT')?.value).toBe(String(containerPort));
    expect((find(objects, 'Service', 'passenger-api')! as IService).spec!.ports![0].port).toBe(80);
  });
});

describe('the dev overlay', () => {
  const objects = load(join(INSTALL, 'dev.yaml'));

  it('exposes the API on NodePort 30080 with one replica of the locally built image', () => {
    const service = find(objects, 'Service', 'passenger-api')! as IService;
    expect(service.spec!.type).toBe('NodePort');
    expect(service.spec!.ports![0].nodePort).toBe(30080);
    const api = find(objects, 'Deployment', 'passenger-api')! as IDeployment;
    expect(api.spec!.replicas).toBe(1);
    for (const c of [...api.spec!.template.spec!.initContainers!, ...api.spec!.template.spec!.containers]) {
      expect({ image: c.image, pull: c.imagePullPolicy }).toEqual({ image: 'passenger-api:dev', pull: 'Never' });
    }
  });

  it('generates the database Secret the workloads reference, so it needs nothing created by hand', () => {
    expect(objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)).toEqual([expect.stringMatching(/^postgres-credentials-[a-z0-9]+$/)]);
    const refs = JSON.stringify(objects.filter((o) => o.kind !== 'Secret'));
    expect(refs).not.toContain('"name":"postgres-credentials"');
  });
});

describe('the production overlays', () => {
  it.each(['production', 'production-external-postgres'])('%s scales, spreads, is scraped and denies by default', (overlay) => {
    const objects = load(join(INSTALL, `${overlay}.yaml`));
    const api = find(objects, 'Deployment', 'passenger-api')! as IDeployment;
    const template = api.spec!.template;
    // Committed: a registry that never resolves (.invalid) until the operator
    // sets theirs; after CI's release job on main: the image it published.
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(template.spec!.containers[0].image).toMatch(
      new RegExp(
        `^(registry-set-by-operator\\.invalid/passenger-api:${version.replaceAll('.', '\\.')}|ghcr\\.io/[a-z0-9][a-z0-9-]*/passenger-api:[0-9a-f]{40})$`,
      ),
    );
    expect(template.metadata!.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080' });
    expect(template.spec!.topologySpreadConstraints!.map((t) => t.topologyKey).sort()).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'passenger-api')! as IHorizontalPodAutoscaler;
    expect(hpa.spec!.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'passenger-api' });
    expect(hpa.spec!.minReplicas).toBeGreaterThanOrEqual(2);
    expect(api.spec!.replicas).toBeUndefined();
    const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget') as K8sObject & { spec: { selector: { matchLabels: object } } };
    expect(template.metadata!.labels).toMatchObject(pdb.spec.selector.matchLabels);
    const deny = find(objects, 'NetworkPolicy', 'default-deny')! as INetworkPolicy;
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it.each(['production', 'production-external-postgres'])(
    '%s has an nginx Ingress with TLS to the API Service, host and Secret set by the overlay',
    (overlay) => {
      const ingress = find(load(join(INSTALL, `${overlay}.yaml`)), 'Ingress', 'passenger-api')! as IIngress;
      expect(ingress.spec).toEqual({
        ingressClassName: 'nginx',
        tls: [{ hosts: ['passenger-api.host-set-by-operator.invalid'], secretName: 'passenger-api-tls' }],
        rules: [
          {
            host: 'passenger-api.host-set-by-operator.invalid',
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'passenger-api', port: { name: 'http' } } } }] },
          },
        ],
      });
    },
  );

  it('production backs up the bundled PostgreSQL nightly with backup.sh, keeping 7 dumps; the external overlay has no backup job', () => {
    const objects = load(join(INSTALL, 'production.yaml'));
    const cronJob = find(objects, 'CronJob', 'postgres-backup')! as ICronJob;
    const container = cronJob.spec!.jobTemplate.spec!.template.spec!.containers[0];
    expect(container.command).toEqual(['sh', '/scripts/backup.sh']);
    expect(container.env!.find((e) => e.name === 'KEEP_DUMPS')?.value).toBe('7');
    const script = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('postgres-backup-script-')) as K8sObject & {
      data: Record<string, string>;
    };
    expect(script.data['backup.sh']).toBe(readFileSync(join(ROOT, 'helm-free-kustomize', 'components', 'backups', 'backup.sh'), 'utf8'));
    const external = load(join(INSTALL, 'production-external-postgres.yaml'));
    expect(external.filter((o) => o.metadata.name.includes('backup')).map((o) => o.kind)).toEqual([]);
  });

  it('production-external-postgres drops the bundled database and reads the CloudNativePG app Secret', () => {
    const objects = load(join(INSTALL, 'production-external-postgres.yaml'));
    expect(objects.filter((o) => o.metadata.name === 'postgres')).toEqual([]);
    const api = find(objects, 'Deployment', 'passenger-api')! as IDeployment;
    const refs = api.spec!.template.spec!.containers[0].env!.flatMap((e) => e.valueFrom?.secretKeyRef?.name ?? []);
    expect(new Set(refs)).toEqual(new Set(['passenger-db-app', 'passenger-api-keys']));
  });
});

// The checks themselves must be able to fail.
describe('the manifest checks', () => {
  it('report a broken dev install: latest image, no limits, no probe, root, wrong probe path, missing Secret', () => {
    const objects = load(join(INSTALL, 'dev.yaml'));
    const api = find(objects, 'Deployment', 'passenger-api')! as IDeployment;
    const pod = api.spec!.template.spec!;
    const container = pod.containers[0];
    container.image = 'passenger-api:latest';
    delete container.resources!.limits;
    delete container.startupProbe;
    container.livenessProbe!.httpGet!.path = '/readyz';
    pod.securityContext!.runAsNonRoot = false;
    objects.splice(
      objects.findIndex((o) => o.kind === 'Secret'),
      1,
    );
    const problems = [...checkWorkloads(objects), ...checkApiDeployment(objects), ...checkSecretReferences(objects, [])];
    expect(problems).toEqual(
      expect.arrayContaining([
        'Deployment/passenger-api: runAsNonRoot must be true',
        'Deployment/passenger-api container api: no cpu limits',
        'Deployment/passenger-api container api: image "passenger-api:latest" uses :latest',
        'Deployment/passenger-api container api: no startupProbe',
        'api livenessProbe must GET /healthz',
        expect.stringMatching(/^Deployment\/passenger-api api PGPASSWORD: Secret postgres-credentials-\w+ key password is not provided$/),
      ]),
    );
  });

  it('report a broken production install: Ingress class, host without TLS, unknown backend port, backups', () => {
    const objects = load(join(INSTALL, 'production.yaml'));
    const ingress = find(objects, 'Ingress', 'passenger-api')! as IIngress;
    ingress.spec!.ingressClassName = 'traefik';
    ingress.spec!.rules![0].host = 'other.example.org';
    ingress.spec!.rules![0].http!.paths[0].backend.service!.port = { name: 'https' };
    const cronJob = find(objects, 'CronJob', 'postgres-backup')! as ICronJob;
    cronJob.spec!.concurrencyPolicy = 'Allow';
    cronJob.spec!.jobTemplate.spec!.template.spec!.containers[0].image = 'postgres:14';
    expect(checkRendered(objects, 'production', EXTERNAL_SECRETS.production)).toEqual([
      'Ingress/passenger-api: ingressClassName must be nginx',
      'Ingress/passenger-api: host other.example.org has no TLS Secret',
      'Ingress/passenger-api: backend passenger-api:https is no Service port',
      'CronJob/postgres-backup: concurrencyPolicy must be Forbid',
      "CronJob/postgres-backup: image postgres:14 is not the server's postgres:15.8-bookworm",
    ]);
  });
});
