import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ROOT } from '../../scripts/lib/paths';

// `npm run contract:diff [BASE_REF]` as CI runs it: in a scratch git
// repository whose commits edit a copy of openapi/openapi.yaml.
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const SCRIPT = join(ROOT, 'scripts', 'contract-diff.ts');
const SPEC = readFileSync(join(ROOT, 'openapi', 'openapi.yaml'), 'utf8');

let scratch: string;
let repo: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'contract-diff-'));
  repo = join(scratch, 'repo');
  mkdirSync(join(repo, 'openapi'), { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  const identity = ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false'];
  return execFileSync('git', [...identity, ...args], { cwd, encoding: 'utf8' });
}

function commit(spec: string, message: string): void {
  writeFileSync(join(repo, 'openapi', 'openapi.yaml'), spec);
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', message);
}

function contractDiff(cwd: string, ...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [TSX, SCRIPT, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

function edited(edit: (spec: { paths: Record<string, unknown>; info: { version: string } }) => void): string {
  const spec = parse(SPEC) as Parameters<typeof edit>[0];
  edit(spec);
  return stringify(spec);
}
const withoutDelete = edited((spec) => delete spec.paths['/deletepassenger/{uuid}']);

// One history, built up test by test (Jest runs them in order).
describe('contract:diff in a git repository', () => {
  it('passes on the first commit: there is no HEAD~1 to compare with', () => {
    commit(SPEC, 'the contract');
    expect(contractDiff(repo)).toEqual({ status: 0, output: expect.stringContaining('HEAD is the first commit') as unknown });
  });

  it('fails a commit that removes an operation, naming it', () => {
    commit(withoutDelete, 'drop DELETE');
    const { status, output } = contractDiff(repo);
    expect(status).toBe(1);
    expect(output).toMatch(/breaking +remove +paths \/deletepassenger\/\{uuid\} delete/);
    expect(output).toContain('1 breaking');
  });

  it('passes the same change once info.version goes to the next major', () => {
    commit(
      edited((spec) => {
        delete spec.paths['/deletepassenger/{uuid}'];
        spec.info.version = '99.0.0';
      }),
      'version 99',
    );
    const { status, output } = contractDiff(repo, 'HEAD~2');
    expect(status).toBe(0);
    expect(output).toMatch(/1 breaking, announced by the major version \d+\.0\.0 → 99\.0\.0: ok/);
  });

  it('compares the working tree with an explicit BASE_REF, and passes when nothing changed', () => {
    expect(contractDiff(repo, 'HEAD')).toEqual({ status: 0, output: expect.stringContaining('0 change(s) a consumer can see, 0 breaking: ok') as unknown });
  });

  it('refuses a BASE_REF that names no commit (exit 2)', () => {
    expect(contractDiff(repo, 'no-such-branch')).toEqual({
      status: 2,
      output: expect.stringContaining('no-such-branch names no commit of this repository') as unknown,
    });
  });

  it('refuses, in a shallow clone, a base that is not there, saying how to fetch it (exit 2)', () => {
    const shallow = join(scratch, 'shallow');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo}`, shallow]);
    expect(contractDiff(shallow)).toEqual({ status: 2, output: expect.stringContaining('HEAD~1 is not in this shallow clone') as unknown });
  });
});
