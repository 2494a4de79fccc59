// Compares two versions of the OpenAPI document and decides whether the
// change may land: a breaking change needs info.version's major number to go
// up. The comparison and its classification are api-smart-diff's (OpenAPI 3.0
// rules, $refs resolved, every change classified breaking / non-breaking /
// annotation / deprecated / unclassified); see scripts/contract-diff.ts.
import { type ClassifyRule, type CompareRules, type Diff, apiCompare, breaking, nonBreaking, openapi3Rules } from 'api-smart-diff';

interface SpecVerdict {
  // The changes a consumer can see: under paths, global security and security
  // schemes. Changes inside other components are reported where an operation
  // uses them (api-smart-diff resolves $refs), classified for that use.
  changes: Diff[];
  breaking: Diff[];
  baseVersion: string;
  headVersion: string;
  majorBumped: boolean;
  // No breaking change, or a major version bump that announces them.
  passes: boolean;
}

type RuleNode = Record<string, unknown>;

function child(node: RuleNode, ...keys: string[]): RuleNode {
  let current = node;
  for (const key of keys) {
    const next = current[key];
    if (typeof next !== 'object' || next === null) throw new Error(`api-smart-diff's OpenAPI rules have no ${keys.join(' ')}: its rule layout changed`);
    current = next as RuleNode;
  }
  return current;
}

// api-smart-diff uses one rule for every header, in requests and responses
// alike, so a response header becoming `required` counts as breaking. For a
// response it is a new promise, not a new demand: non-breaking; a response
// header ceasing to be required stays breaking.
const RESPONSE_HEADER_REQUIRED: ClassifyRule = [nonBreaking, breaking, ({ after }) => (after.value === true ? nonBreaking : breaking)];

function rules(): CompareRules {
  const all = openapi3Rules() as RuleNode;
  const operation = child(all, '/paths', '/*', '/*');
  const responses = child(operation, '/responses');
  const response = child(responses, '/*');
  const headers = child(response, '/headers');
  const header = child(headers, '/*');
  operation['/responses'] = {
    ...responses,
    '/*': { ...response, '/headers': { ...headers, '/*': { ...header, '/required': { $: RESPONSE_HEADER_REQUIRED } } } },
  };
  return all as CompareRules;
}

function isConsumerVisible(diff: Diff): boolean {
  return diff.path[0] !== 'components' || diff.path[1] === 'securitySchemes';
}

// info.version as MAJOR.MINOR.PATCH; `where` names the document in the error.
function majorVersion(document: unknown, where: string): { version: string; major: number } {
  const version = (document as { info?: { version?: unknown } } | null | undefined)?.info?.version;
  const match = typeof version === 'string' ? /^(\d+)\.\d+\.\d+/.exec(version) : null;
  if (!match) throw new Error(`${where}: info.version must be MAJOR.MINOR.PATCH, got ${JSON.stringify(version)}`);
  return { version: version as string, major: Number(match[1]) };
}

export function compareSpecs(base: unknown, head: unknown, names = { base: 'base', head: 'head' }): SpecVerdict {
  const before = majorVersion(base, names.base);
  const after = majorVersion(head, names.head);
  const changes = apiCompare(base, head, { rules: rules() }).diffs.filter(isConsumerVisible);
  const breakingChanges = changes.filter((diff) => diff.type === breaking);
  const majorBumped = after.major > before.major;
  return {
    changes,
    breaking: breakingChanges,
    baseVersion: before.version,
    headVersion: after.version,
    majorBumped,
    passes: breakingChanges.length === 0 || majorBumped,
  };
}

const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

// One line per change: its class, what happened, where, the values when they
// are scalars, and the tool's words.
export function describeChange(diff: Diff): string {
  const values = [
    diff.action !== 'add' && isScalar(diff.before) ? `was ${JSON.stringify(diff.before)}` : '',
    diff.action !== 'remove' && isScalar(diff.after) ? `now ${JSON.stringify(diff.after)}` : '',
  ].filter(Boolean);
  const description = diff.description?.trim();
  return [
    `${diff.type.padEnd(12)} ${diff.action.padEnd(7)} ${diff.path.join(' ')}`,
    values.length ? ` (${values.join(', ')})` : '',
    description ? `: ${description}` : '',
  ].join('');
}
