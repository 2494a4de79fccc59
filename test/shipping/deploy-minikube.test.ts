import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const ROOT = join(__dirname, '..', '..');

// No cluster here: minikube and kubectl are stand-ins that log their arguments
// and answer the two questions the script asks (node IP, NodePort); the
// NodePort is a local HTTP listener, so the script's real curl reaches it.
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
    stub('minikube', 'if [ "$1" = ip ]; then echo 127.0.0.1; fi');
    stub('kubectl', 'if [ "$2 $3" = "passenger-api get" ]; then echo "$FAKE_NODE_PORT"; fi');
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('builds the image the dev install runs, applies it, waits, and curls /hello on the NodePort', async () => {
    const calls = join(bin, 'calls.log');
    const { stdout } = await promisify(execFile)('bash', [join(ROOT, 'scripts', 'deploy-minikube.sh'), 'minikube'], {
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        CALLS: calls,
        FAKE_NODE_PORT: String((server.address() as AddressInfo).port),
      },
    });
    const port = (server.address() as AddressInfo).port;
    expect(stdout).toContain(`passenger-api (dev) is at http://127.0.0.1:${port}`);
    expect(stdout.trim().split('\n').at(-1)).toBe('{"message":"ok"}');

    const devImages = parseAllDocuments(readFileSync(join(ROOT, 'install', 'dev.yaml'), 'utf8'))
      .map((d) => d.toJS())
      .filter((o) => o.kind === 'Deployment')
      .flatMap((o) => o.spec.template.spec.containers.map((c: { image: string }) => c.image));
    expect(devImages).toEqual(['passenger-api:dev']);
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual([
      'minikube image build -t passenger-api:dev .',
      'kubectl apply -f install/dev.yaml',
      'kubectl -n passenger-api rollout status statefulset/postgres --timeout=300s',
      'kubectl -n passenger-api rollout restart deployment/passenger-api',
      'kubectl -n passenger-api rollout status deployment/passenger-api --timeout=300s',
      "kubectl -n passenger-api get service passenger-api -o jsonpath={.spec.ports[0].nodePort}",
      'minikube ip',
    ]);
  });
});
