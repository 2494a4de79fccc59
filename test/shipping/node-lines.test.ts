import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { satisfies } from 'semver';
import { parse } from 'yaml';
import { ROOT } from '../../scripts/lib/paths';

// The supported Node lines are written in four places that must agree: the
// versions .ci/run installs beside the machine's Node 20, the workflow's
// setup-node matrix, package.json engines, and the image, which runs the newest.
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const major = (version: string) => Number(version.split('.')[0]);

const ciLines = /^NODE_LINES="([\d. ]+)"$/m.exec(read('.ci/run'))![1].split(' ');
const matrix = (parse(read('.github/workflows/ci.yml')) as { jobs: { test: { strategy: { matrix: { node: number[] } } } } }).jobs.test.strategy.matrix.node;
const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
const imageVersion = /^ARG NODE_IMAGE=node:(\d+\.\d+\.\d+)-bookworm-slim$/m.exec(read('Dockerfile'))![1];

it('.ci/run tests 22 and 24 beside the machine 20, and the workflow matrix tests the same lines', () => {
  expect(ciLines.map(major)).toEqual([22, 24]);
  expect(matrix).toEqual([20, ...ciLines.map(major)]);
});

it('engines names exactly the tested lines', () => {
  expect(engines.split(' || ').map((range) => Number(/^\^(\d+)\./.exec(range)![1]))).toEqual(matrix);
});

it('the image runs the newest tested line, at the version .ci/run tests', () => {
  expect(imageVersion).toBe(ciLines.at(-1));
});

// npm install warns EBADENGINE for a package that refuses the running Node;
// one deep in the dev tree did on Node 20 (cookie 2, through light-my-request).
it('every package in the lock file accepts the oldest version of each supported line', () => {
  const oldest = engines.split(' || ').map((range) => range.replace(/^\^/, ''));
  const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version?: string; engines?: { node?: string } }> };
  const refusing = Object.entries(lock.packages).flatMap(([path, { version, engines: wanted }]) =>
    oldest.filter((node) => wanted?.node !== undefined && !satisfies(node, wanted.node)).map((node) => `${path}@${version}: node ${wanted?.node}, not ${node}`),
  );
  expect(refusing).toEqual([]);
});
