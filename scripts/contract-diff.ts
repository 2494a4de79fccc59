// The breaking-change gate: compares openapi/openapi.yaml (the working tree)
// with the same file at BASE_REF, prints every change a consumer can see, and
// exits 1 on a breaking one unless info.version's major number went up.
// Usage: npm run contract:diff [BASE_REF]   (default HEAD~1; exit 2: cannot compare)
//
// The diff is api-smart-diff's (npm, plain JavaScript, no binary download):
// oasdiff and openapi-changes are Go binaries (their npm wrappers download
// them), Atlassian's openapi-diff reported neither a removed enum value nor a
// parameter made required, and Optic's CLI brings Sentry and Segment telemetry.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { compareSpecs, describeChange } from './spec-diff';

const SPEC = 'openapi/openapi.yaml';
const DEFAULT_BASE = 'HEAD~1';

function git(args: string[]): { ok: boolean; out: string; err: string } {
  const result = spawnSync('git', args, { encoding: 'utf8' });
  return { ok: result.status === 0, out: result.stdout.trim(), err: result.stderr.trim() };
}

// The commit to compare with, or undefined when there is honestly none: the
// default base of a repository's first commit.
function resolveBase(ref: string, explicit: boolean): string | undefined {
  const commit = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (commit.ok) return commit.out;
  if (git(['rev-parse', '--is-shallow-repository']).out === 'true') {
    throw new Error(`${ref} is not in this shallow clone: fetch the history it needs (git fetch --deepen=1, or fetch-depth: 0 for actions/checkout)`);
  }
  const parents = git(['rev-list', '--parents', '-n', '1', 'HEAD']).out.split(' ').length - 1;
  if (!explicit && parents === 0) return undefined;
  throw new Error(`${ref} names no commit of this repository`);
}

function parseSpec(text: string, where: string): unknown {
  try {
    return parse(text);
  } catch (err) {
    throw new Error(`${where}: not valid YAML: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function main(args: string[]): number {
  // at(0): argv may hold no ref at all.
  const given = args.at(0);
  if (args.length > 1 || given?.startsWith('-')) throw new Error('usage: npm run contract:diff [BASE_REF]');
  const ref = given ?? DEFAULT_BASE;
  const top = git(['rev-parse', '--show-toplevel']);
  if (!top.ok) throw new Error(`not inside a git repository: ${top.err}`);
  const base = resolveBase(ref, given !== undefined);
  if (base === undefined) {
    console.log(`contract:diff: HEAD is the first commit, so there is no ${ref} to compare ${SPEC} with`);
    return 0;
  }
  const baseText = git(['show', `${base}:${SPEC}`]);
  if (!baseText.ok) {
    console.log(`contract:diff: ${SPEC} does not exist at ${ref} (${base.slice(0, 12)}): nothing to compare`);
    return 0;
  }
  const names = { base: `${SPEC} at ${ref}`, head: SPEC };
  const headSpec = parseSpec(readFileSync(join(top.out, SPEC), 'utf8'), names.head);
  const verdict = compareSpecs(parseSpec(baseText.out, names.base), headSpec, names);

  console.log(`contract:diff: ${SPEC} at ${ref} (${base.slice(0, 12)}, version ${verdict.baseVersion}) → working tree (version ${verdict.headVersion})`);
  for (const change of verdict.changes) console.log(`  ${describeChange(change)}`);
  const summary = `${verdict.changes.length} change(s) a consumer can see, ${verdict.breaking.length} breaking`;
  if (verdict.breaking.length === 0) console.log(`contract:diff: ${summary}: ok`);
  else if (verdict.passes) console.log(`contract:diff: ${summary}, announced by the major version ${verdict.baseVersion} → ${verdict.headVersion}: ok`);
  else {
    console.error(
      `contract:diff: ${summary}. Keep the contract compatible, or raise info.version's major number (now ${verdict.headVersion}) if consumers must change.`,
    );
    return 1;
  }
  return 0;
}

// Exit 2 for anything that stops the comparison (no base, bad YAML, no
// version): a gate that cannot look must not pass.
try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  console.error(`contract:diff: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
}
