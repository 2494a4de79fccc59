import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT } from '../../scripts/lib/paths';

// The project has one version: the contract's info.version. The package, its
// lock file and the image tag the manifests deploy by default all carry it.
// The dev overlay (an image built inside minikube) and compose (built by
// `docker compose up --build`) tag images they build themselves, never pulled.
const LOCALLY_BUILT_OVERLAYS = ['dev'];
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const version = (parse(read('openapi/openapi.yaml')) as { info: { version: string } }).info.version;

function kustomizations(): string[] {
  const overlays = readdirSync(join(ROOT, 'helm-free-kustomize', 'overlays'))
    .filter((name) => !LOCALLY_BUILT_OVERLAYS.includes(name))
    .map((name) => `helm-free-kustomize/overlays/${name}/kustomization.yaml`);
  return ['helm-free-kustomize/base/kustomization.yaml', ...overlays];
}

// Every image of the API in a rendered install file, e.g. ghcr.io/x/passenger-api:1.0.0.
function apiImages(file: string): string[] {
  const images: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'image' && typeof value === 'string' && /(^|\/)passenger-api:/.test(value)) images.push(value);
        else visit(value);
      }
    }
  };
  for (const document of parseAllDocuments(read(file))) visit(document.toJS());
  return images;
}

describe('one version', () => {
  it('is a semantic version in the spec', () => {
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('is the version of package.json, package-lock.json and the client package', () => {
    const lock = JSON.parse(read('package-lock.json')) as { version: string; packages: Record<string, { version?: string }> };
    expect((JSON.parse(read('package.json')) as { version: string }).version).toBe(version);
    expect(lock.version).toBe(version);
    expect(lock.packages[''].version).toBe(version);
    expect((JSON.parse(read('packages/client/package.json')) as { version: string }).version).toBe(version);
  });

  it.each(kustomizations())('is the passenger-api image tag in %s', (file) => {
    const images = (parse(read(file)) as { images?: { name: string; newTag?: string }[] }).images ?? [];
    // An overlay built on another overlay inherits its tag; the base must set one.
    const tags = images.filter((image) => image.name === 'passenger-api').map((image) => image.newTag);
    expect(tags).toEqual(file.includes('/base/') || tags.length > 0 ? [version] : []);
  });

  it.each(readdirSync(join(ROOT, 'install')).filter((file) => !LOCALLY_BUILT_OVERLAYS.includes(file.replace(/\.yaml$/, ''))))(
    'is the tag of every passenger-api image in install/%s',
    (file) => {
      const images = apiImages(`install/${file}`);
      expect(images.length).toBeGreaterThan(0);
      for (const image of images) expect(image.split(':').pop()).toBe(version);
    },
  );
});
