import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../../scripts/lib/paths';

// No cluster here: minikube and kubectl are stand-ins that log their arguments
// and answer what the script asks (does the Deployment exist, the service URL);
// the URL is a local HTTP listener, so the script's real curl reaches it. With
// FAKE_TUNNEL the stand-in `minikube service --url` keeps running after printing
// the URL, as it does with the docker driver on macOS and Windows.
describe('scripts/deploy-minikube.sh against a stand-in cluster', () => {
  let server: Server;
  let bin: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(req.url === '/hello' ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(req.url === '/hello' ? '{"message":"ok"}' : '{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    bin = mkdtempSync(join(tmpdir(), 'passenger-fake-cluster-'));
    const stub = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/usr/bin/env bash\necho "${name} $*" >> "$CALLS"\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    stub('minikube', 'if [ "$3" = service ]; then echo "http://127.0.0.1:$FAKE_NODE_PORT"; [ -z "$FAKE_TUNNEL" ] || exec sleep 30; fi');
    stub('kubectl', 'if [ "$3 $4" = "get deployment" ]; then [ -n "$FAKE_DEPLOYED" ]; fi');
  });
  afterAll(
    () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  );

  async function deploy(env: Record<string, string>) {
    const calls = join(mkdtempSync(join(bin, 'run-')), 'calls.log');
    const { stdout } = await promisify(execFile)('bash', [join(ROOT, 'scripts', 'deploy-minikube.sh'), 'minikube'], {
      env: { PATH: `${bin}:${process.env.PATH}`, CALLS: calls, FAKE_NODE_PORT: String((server.address() as AddressInfo).port), ...env },
    });
    return { stdout, calls: readFileSync(calls, 'utf8').trim().split('\n') };
  }

  it('first deploy: builds the image the dev install runs, applies it, waits without a restart, curls /hello at the URL minikube gives', async () => {
    const { stdout, calls } = await deploy({});
    const port = (server.address() as AddressInfo).port;
    expect(stdout).toContain(`passenger-api (dev) is at http://127.0.0.1:${port}\n`);
    expect(stdout.trim().split('\n').at(-1)).toBe('{"message":"ok"}');

    const devImages = parseAllDocuments(readFileSync(join(ROOT, 'install', 'dev.yaml'), 'utf8'))
      .map((d) => d.toJS() as { kind: string; spec: { template: { spec: { containers: { image: string }[] } } } })
      .filter((o) => o.kind === 'Deployment')
      .flatMap((o) => o.spec.template.spec.containers.map((c) => c.image));
    expect(devImages).toEqual(['passenger-api:dev']);
    expect(calls).toEqual([
      'minikube image build -t passenger-api:dev .',
      'kubectl -n passenger-api get deployment passenger-api -o name',
      'kubectl apply -f install/dev.yaml',
      'kubectl -n passenger-api rollout status statefulset/postgres --timeout=300s',
      'kubectl -n passenger-api rollout status deployment/passenger-api --timeout=300s',
      'minikube -n passenger-api service passenger-api --url',
    ]);
  });

  it('re-deploy: restarts the existing rollout so its pods run the rebuilt image', async () => {
    const { calls } = await deploy({ FAKE_DEPLOYED: '1' });
    expect(calls.slice(2, 5)).toEqual([
      'kubectl apply -f install/dev.yaml',
      'kubectl -n passenger-api rollout status statefulset/postgres --timeout=300s',
      'kubectl -n passenger-api rollout restart deployment/passenger-api',
    ]);
  });

  it('a tunnelling driver: curls through the tunnel while it runs and says how to keep it open', async () => {
    const { stdout } = await deploy({ FAKE_TUNNEL: '1' });
    expect(stdout).toContain('{"message":"ok"}');
    expect(stdout.trim().split('\n').at(-1)).toBe(
      'this driver reaches the NodePort through a tunnel: keep `minikube -n passenger-api service passenger-api --url` running in another terminal to use the URL',
    );
  });
});
