import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import { parseAllDocuments } from 'yaml';
import { parseDockerfile } from './dockerfile';
import type { K8sObject } from '../../scripts/manifest-checks';
import { ROOT } from '../../scripts/lib/paths';

export interface PodRun {
  uid: number;
  rootWritable: boolean;
  interfaces: string[];
  migrate: number;
  readyz: string;
  import: string;
  rows: number;
  exitCode: number;
  exitMs: number;
  lastLogLine: string;
}

// The environment the API container of install/dev.yaml gets: the image's ENV
// (Dockerfile), then the container's env with each secretKeyRef read from the
// Secret in the render; an optional ref to a Secret not there is left out.
export function devPod(): { env: Record<string, string>; migrateCommand: string; serveCommand: string; graceSeconds: number } {
  const objects = parseAllDocuments(readFileSync(join(ROOT, 'install', 'dev.yaml'), 'utf8')).map((d) => d.toJS() as K8sObject);
  const secrets = new Map(objects.filter((o) => o.kind === 'Secret').map((o) => [o.metadata.name, o.data as Record<string, string>]));
  const pod = (objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'passenger-api') as IDeployment).spec!.template.spec!;
  const container = pod.containers.find((c) => c.name === 'api')!;
  const runtime = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).stages.at(-1)!;
  const env: Record<string, string> = {};
  for (const instruction of runtime.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const [, name, value] of instruction.args.matchAll(/(\w+)=(\S+)/g)) env[name] = value;
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (!ref) {
      env[variable.name] = variable.value ?? '';
      continue;
    }
    const data = secrets.get(ref.name ?? '');
    if (!data?.[ref.key]) {
      if (ref.optional) continue;
      throw new Error(`install/dev.yaml: ${variable.name} reads Secret ${ref.name} key ${ref.key}, which the render does not hold`);
    }
    env[variable.name] = Buffer.from(data[ref.key], 'base64').toString('utf8');
  }
  const cmd = runtime.instructions.find((i) => i.keyword === 'CMD')!;
  return {
    env,
    migrateCommand: pod.initContainers!.find((c) => c.name === 'migrate')!.command!.join(' '),
    serveCommand: (JSON.parse(cmd.args) as string[]).join(' '),
    graceSeconds: pod.terminationGracePeriodSeconds ?? 30,
  };
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const bin = versions.map((v) => join(root, v, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
  if (!bin) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql');
  return bin;
}

// bubblewrap as toolchain.md gives it: uid/gid 1000, the host's root read-only,
// a fresh /tmp, only a loopback interface, own PID namespace. The production
// layout `app` (under the host's /tmp) is bound read-only at its own path, and
// /etc/hosts maps the Service name "postgres" to loopback.
const SANDBOX_SCRIPT = '/tmp/pod-sandbox.sh';

export function runPod(app: string, csv: Buffer): { status: number | null; stdout: string; stderr: string; run?: PodRun } {
  const pod = devPod();
  const hosts = join(dirname(app), `${app.split('/').at(-1)}.hosts`);
  writeFileSync(hosts, '127.0.0.1 localhost postgres\n');
  const env = { ...pod.env, PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin` };
  const args = [
    ...['--ro-bind', '/', '/', '--tmpfs', '/tmp', '--proc', '/proc', '--dev', '/dev'],
    ...['--unshare-net', '--unshare-pid', '--unshare-user', '--uid', '1000', '--gid', '1000', '--die-with-parent'],
    ...['--ro-bind', app, app, '--ro-bind', hosts, '/etc/hosts', '--chdir', app, '--clearenv'],
    // Bound into the sandbox's own /tmp: a checkout under /tmp is hidden by the tmpfs above.
    ...['--ro-bind', join(ROOT, 'test', 'shipping', 'pod-sandbox.sh'), SANDBOX_SCRIPT],
    ...Object.entries(env).flatMap(([name, value]) => ['--setenv', name, value]),
    'bash',
    SANDBOX_SCRIPT,
    postgresBin(),
    String(pod.graceSeconds),
    pod.migrateCommand,
    pod.serveCommand,
  ];
  const result = spawnSync('bwrap', args, { input: csv, encoding: 'utf8', timeout: 180_000 });
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, run: last.startsWith('{') ? (JSON.parse(last) as PodRun) : undefined };
}
