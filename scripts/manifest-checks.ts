// Checks of rendered Kubernetes objects that schema validation cannot see:
// what a restricted cluster, a platform team and our own probes need. Each
// function returns problems as sentences naming the object; [] means fine.
import type { IDeployment, IStatefulSet } from 'kubernetes-models/apps/v1';
import type { ICronJob } from 'kubernetes-models/batch/v1';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1';
import type { IContainer, IEnvVar, IPodTemplateSpec, IService } from 'kubernetes-models/v1';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

const NAMESPACE = 'passenger-api';

const id = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
// Long-running workloads need probes; Jobs and CronJobs run to completion.
const SERVERS = ['Deployment', 'StatefulSet', 'DaemonSet'];
const WORKLOADS = [...SERVERS, 'Job', 'CronJob'];

function podTemplate(o: K8sObject): IPodTemplateSpec | undefined {
  if (!WORKLOADS.includes(o.kind)) return undefined;
  if (o.kind === 'CronJob') return (o as unknown as ICronJob).spec?.jobTemplate.spec?.template;
  return (o as unknown as IDeployment).spec?.template;
}

function checkContainer(where: string, c: IContainer, needsProbes: boolean): string[] {
  const problems: string[] = [];
  const sc = c.securityContext;
  if (sc?.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation must be false`);
  if (sc?.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem must be true`);
  if (!sc?.capabilities?.drop?.includes('ALL')) problems.push(`${where}: capabilities must drop ALL`);
  for (const kind of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory']) {
      if (c.resources?.[kind]?.[resource] === undefined) problems.push(`${where}: no ${resource} ${kind}`);
    }
  }
  const image = c.image ?? '';
  if (!/(:[\w][\w.-]*|@sha256:[0-9a-f]{64})$/.test(image.replace(/^[^/]*:\d+\//, ''))) {
    problems.push(`${where}: image "${image}" has no tag or digest`);
  }
  if (image.endsWith(':latest')) problems.push(`${where}: image "${image}" uses :latest`);
  if (needsProbes) {
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
      if (!c[probe]) problems.push(`${where}: no ${probe}`);
    }
  }
  return problems;
}

// Pod security "restricted", resources, probes and pinned images for every workload.
export function checkWorkloads(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    const template = podTemplate(o);
    if (!template?.spec) continue;
    const pod = template.spec;
    const psc = pod.securityContext;
    if (psc?.runAsNonRoot !== true) problems.push(`${id(o)}: runAsNonRoot must be true`);
    if (!psc?.runAsUser || psc.runAsUser === 0) problems.push(`${id(o)}: runAsUser must be a non-zero uid`);
    if (psc?.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${id(o)}: seccompProfile must be RuntimeDefault`);
    if (pod.automountServiceAccountToken !== false) problems.push(`${id(o)}: automountServiceAccountToken must be false`);
    for (const c of pod.initContainers ?? []) problems.push(...checkContainer(`${id(o)} init container ${c.name}`, c, false));
    for (const c of pod.containers) problems.push(...checkContainer(`${id(o)} container ${c.name}`, c, SERVERS.includes(o.kind)));
  }
  return problems;
}

// Probes on the right paths, graceful shutdown and a writable /tmp on the API.
export function checkApiDeployment(objects: K8sObject[]): string[] {
  const api = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'passenger-api') as IDeployment | undefined;
  if (!api) return ['Deployment/passenger-api is missing'];
  const pod = api.spec?.template.spec;
  if (!pod) return ['Deployment/passenger-api has no pod template spec'];
  const container = pod.containers.find((c) => c.name === 'api');
  if (!container) return ['Deployment/passenger-api has no container "api"'];
  const problems: string[] = [];
  if (container.readinessProbe?.httpGet?.path !== '/readyz') problems.push('api readinessProbe must GET /readyz');
  if (container.livenessProbe?.httpGet?.path !== '/healthz') problems.push('api livenessProbe must GET /healthz');
  const preStop = container.lifecycle?.preStop?.exec?.command ?? [];
  const sleepSeconds = preStop[0] === 'sleep' ? Number(preStop[1]) : NaN;
  if (!(sleepSeconds > 0)) problems.push('api needs a preStop sleep');
  if (!((pod.terminationGracePeriodSeconds ?? 30) > sleepSeconds + 10)) {
    problems.push('terminationGracePeriodSeconds must exceed the preStop sleep plus the shutdown time');
  }
  const tmp = container.volumeMounts?.find((m) => m.mountPath === '/tmp');
  if (!tmp || !pod.volumes?.some((v) => v.name === tmp.name && v.emptyDir)) problems.push('api needs an emptyDir on /tmp');
  // Partial: a variable the manifest does not set is missing.
  const env: Partial<Record<string, IEnvVar>> = Object.fromEntries((container.env ?? []).map((e) => [e.name, e]));
  if (env.MIGRATE_ON_START?.value !== 'false' || !pod.initContainers?.some((c) => c.command?.includes('dist/db/migrate.js'))) {
    problems.push('migrations must run in the migrate init container, not at API start');
  }
  const apiKeys = env.API_KEYS?.valueFrom?.secretKeyRef;
  if (apiKeys?.optional !== true) problems.push('API_KEYS must come from an optional secretKeyRef');
  return problems;
}

// Everything lives in the restricted namespace; no Secret with data leaves dev.
function checkNamespaceAndSecrets(objects: K8sObject[], overlay: string): string[] {
  const problems: string[] = [];
  const ns = objects.find((o) => o.kind === 'Namespace');
  if (ns?.metadata.name !== NAMESPACE || ns.metadata.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted') {
    problems.push(`Namespace ${NAMESPACE} with pod-security enforce=restricted is missing`);
  }
  for (const o of objects) {
    if (o.kind !== 'Namespace' && o.metadata.namespace !== NAMESPACE) problems.push(`${id(o)} is not in namespace ${NAMESPACE}`);
    if (o.kind === 'Secret' && overlay !== 'dev') problems.push(`${id(o)}: only the dev overlay may carry a Secret`);
  }
  return problems;
}

// Every required secretKeyRef resolves: to a Secret in the render (with the
// key), or to one of the Secrets the operator is told to create (README).
export function checkSecretReferences(objects: K8sObject[], externalSecrets: string[]): string[] {
  const secrets = new Map(objects.filter((o) => o.kind === 'Secret').map((o) => [o.metadata.name, Object.keys(o.data ?? {})]));
  const problems: string[] = [];
  for (const o of objects) {
    const pod = podTemplate(o)?.spec;
    for (const c of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (!ref || ref.optional) continue;
        const keys = secrets.get(ref.name ?? '');
        if (keys ? !keys.includes(ref.key) : !externalSecrets.includes(ref.name ?? '')) {
          problems.push(`${id(o)} ${c.name} ${e.name}: Secret ${ref.name} key ${ref.key} is not provided`);
        }
      }
    }
  }
  return problems;
}

// A Service reaches pods: its selector matches a workload's pod labels and its
// targetPort names one of their container ports. Returns that port number.
export function serviceTarget(objects: K8sObject[], serviceName: string): { problems: string[]; containerPort?: number } {
  const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === serviceName) as IService | undefined;
  if (!service?.spec?.selector) return { problems: [`Service/${serviceName} with a selector is missing`] };
  const selector = Object.entries(service.spec.selector);
  const workload = objects.find((o) => {
    const labels = podTemplate(o)?.metadata?.labels ?? {};
    return selector.every(([k, v]) => labels[k] === v);
  }) as IDeployment | IStatefulSet | undefined;
  if (!workload) return { problems: [`Service/${serviceName} selects no workload`] };
  const target = service.spec.ports?.[0]?.targetPort;
  const pod = workload.spec?.template.spec;
  if (!pod) return { problems: [`Service/${serviceName} selects a workload with no pod template spec`] };
  const port = pod.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === target || p.containerPort === target);
  if (!port) return { problems: [`Service/${serviceName} targetPort ${target} is no container port`] };
  return { problems: [], containerPort: port.containerPort };
}

// An ingress-nginx Ingress whose TLS covers every host it routes, to a Service
// port that exists, behind a TLS Secret named by the overlay.
function checkIngress(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const ingress of objects.filter((o) => o.kind === 'Ingress') as unknown as (IIngress & K8sObject)[]) {
    const where = id(ingress);
    const spec = ingress.spec ?? {};
    if (spec.ingressClassName !== 'nginx') problems.push(`${where}: ingressClassName must be nginx`);
    const tlsHosts = (spec.tls ?? []).flatMap((t) => (t.secretName ? (t.hosts ?? []) : []));
    for (const rule of spec.rules ?? []) {
      if (!rule.host) problems.push(`${where}: every rule needs a host`);
      else if (!tlsHosts.includes(rule.host)) problems.push(`${where}: host ${rule.host} has no TLS Secret`);
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend.service;
        const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === backend?.name) as IService | undefined;
        const port = service?.spec?.ports?.find((p) => p.name === backend?.port?.name || p.port === backend?.port?.number);
        if (!port) problems.push(`${where}: backend ${backend?.name}:${backend?.port?.name ?? backend?.port?.number} is no Service port`);
      }
    }
  }
  return problems;
}

// The backup CronJob: never two at once, dumps on a claim that exists, a
// positive KEEP_DUMPS, and the bundled PostgreSQL's own image (pg_dump must
// not be older than the server).
function checkBackups(objects: K8sObject[]): string[] {
  const cronJob = objects.find((o) => o.kind === 'CronJob' && o.metadata.name === 'postgres-backup') as (ICronJob & K8sObject) | undefined;
  if (!cronJob) return [];
  const problems: string[] = [];
  const pod = cronJob.spec?.jobTemplate.spec?.template.spec;
  if (!cronJob.spec || !pod) return ['CronJob/postgres-backup has no pod template spec'];
  if (cronJob.spec.concurrencyPolicy !== 'Forbid') problems.push('CronJob/postgres-backup: concurrencyPolicy must be Forbid');
  const container = pod.containers[0];
  const keep = container.env?.find((e) => e.name === 'KEEP_DUMPS')?.value;
  if (!/^[1-9]\d*$/.test(keep ?? '')) problems.push(`CronJob/postgres-backup: KEEP_DUMPS must be a positive integer, got ${keep}`);
  const claims = objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata.name);
  const backups = container.volumeMounts?.find((m) => m.mountPath === container.env?.find((e) => e.name === 'BACKUP_DIR')?.value);
  const volume = pod.volumes?.find((v) => v.name === backups?.name);
  if (!volume?.persistentVolumeClaim || !claims.includes(volume.persistentVolumeClaim.claimName)) {
    problems.push('CronJob/postgres-backup: BACKUP_DIR must be a mounted PersistentVolumeClaim of this install');
  }
  const server = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'postgres') as IStatefulSet | undefined;
  const serverImage = server?.spec?.template.spec?.containers[0].image;
  if (container.image !== serverImage) problems.push(`CronJob/postgres-backup: image ${container.image} is not the server's ${serverImage}`);
  return problems;
}

// kubernetes-models ships one class per kind under its apiVersion path.
export function validateWithModels(object: K8sObject): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is chosen by apiVersion at run time and loaded synchronously; import() would make every check async
  const models = require(`kubernetes-models/${object.apiVersion}`) as Record<string, (new (data: unknown) => { validate(): void }) | undefined>;
  const Model = models[object.kind];
  if (!Model) throw new Error(`kubernetes-models has no ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
}

// Secrets the README tells the operator to create, per overlay; dev needs none.
export const EXTERNAL_SECRETS: Record<string, string[]> = {
  dev: [],
  production: ['postgres-credentials'],
  'production-external-postgres': ['passenger-db-app'],
};

// A ConfigMap (e.g. the import Job's CSV) holds at most 1 MiB.
const CONFIGMAP_LIMIT = 1024 * 1024;
function checkConfigMapSizes(objects: K8sObject[]): string[] {
  return objects
    .filter((o) => o.kind === 'ConfigMap')
    .flatMap((o) => {
      const bytes = Object.values({ ...(o.data as object), ...(o.binaryData as object) }).reduce((n: number, v) => n + Buffer.byteLength(String(v)), 0);
      return bytes > CONFIGMAP_LIMIT ? [`${id(o)}: ${bytes} bytes; a ConfigMap holds at most 1 MiB`] : [];
    });
}

// Every check for one rendered set of objects: schema (kubernetes-models),
// then the rules above. [] means fine.
export function checkRendered(objects: K8sObject[], overlay: string, externalSecrets: string[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    try {
      validateWithModels(object);
    } catch (err) {
      problems.push(`${id(object)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const hasApi = objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'passenger-api');
  return [
    ...problems,
    ...checkWorkloads(objects),
    ...(hasApi ? checkApiDeployment(objects) : []),
    ...(hasApi ? checkNamespaceAndSecrets(objects, overlay) : []),
    ...checkSecretReferences(objects, externalSecrets),
    ...checkIngress(objects),
    ...checkBackups(objects),
    ...checkConfigMapSizes(objects),
  ];
}
