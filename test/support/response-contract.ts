import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { loadSpec } from '../../src/spec';

// The one response check of the HTTP tests: every response a test receives
// (supertest in test-app.ts, fetch via check-responses.setup.ts, node:http in
// http-load.ts) is held against the operation it answered: status documented,
// required headers present, every documented header matching its schema, and
// the body matching the documented media type and schema. Problem bodies of
// requests that match no operation (unknown path or method) must still be
// problem+json.

type Schema = Record<string, unknown>;
interface Header {
  required?: boolean;
  schema: Schema;
}
interface DocumentedResponse {
  headers?: Record<string, Header>;
  content?: Record<string, { schema: Schema }>;
}
interface Operation {
  operationId: string;
  responses: Partial<Record<string, DocumentedResponse>>;
}

export interface ReceivedResponse {
  method: string;
  // Path and query as requested, e.g. /passengerlist?limit=2.
  url: string;
  status: number;
  // Lower-case names, as Node and fetch give them.
  headers: Record<string, string | string[] | undefined>;
  // The body as text; undefined when the client did not read it.
  body?: string;
}

const spec = loadSpec() as unknown as Schema;

// The spec with every local $ref replaced by its target (the spec has no cycles).
function dereference(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dereference);
  if (node === null || typeof node !== 'object') return node;
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    const target = ref
      .slice(2)
      .split('/')
      .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((at, key) => (at as Schema)[key], spec);
    return dereference(target);
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, dereference(value)]));
}

const paths = dereference(spec.paths) as Record<string, Record<string, Operation>>;
const SCHEMAS = dereference((spec.components as Schema).schemas) as Record<string, Schema>;

const routes = Object.entries(paths).map(([template, item]) => ({
  pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/]+')}$`),
  item,
}));

// strict: false lets the spec's own keywords (example, x-error-message) through.
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
const compiled = new WeakMap<Schema, ValidateFunction>();
function validator(schema: Schema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function schemaErrors(schema: Schema, value: unknown): string | undefined {
  const validate = validator(schema);
  return validate(value) ? undefined : ajv.errorsText(validate.errors, { dataVar: 'value' });
}

export function findOperation(method: string, path: string): Operation | undefined {
  // HEAD is answered by the GET route, without a body.
  const verb = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
  return routes.find((route) => route.pattern.test(path))?.item[verb];
}

const PROBLEM_TYPE = /^application\/problem\+json(;|$)/;
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/;
// Requests that no operation describes, answered on purpose: the /docs page's
// assets and CORS preflights.
const UNDESCRIBED_ROUTES = (method: string, path: string) => method === 'OPTIONS' || path.startsWith('/docs/assets/');

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function parseJson(body: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(body) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function problemViolations(res: ReceivedResponse): string[] {
  if (!PROBLEM_TYPE.test(single(res.headers['content-type']) ?? '')) {
    return [`answered ${res.status} with Content-Type ${single(res.headers['content-type'])}, not problem+json`];
  }
  if (res.body === undefined) return [];
  const { value, error } = parseJson(res.body);
  if (error) return [`problem body is not JSON: ${error}`];
  const invalid = schemaErrors(SCHEMAS.Problem, value);
  return [...(invalid ? [`problem body breaks the Problem schema: ${invalid}`] : []), ...messageViolations(value)];
}

// A person reads a problem's messages: no regular expression or format name in them.
function messageViolations(problem: unknown): string[] {
  const errors = (problem as { errors?: unknown }).errors;
  return (Array.isArray(errors) ? errors : [])
    .map((entry: { message?: unknown }) => String(entry.message))
    .filter((message) => /must match (pattern|format)/.test(message))
    .map((message) => `problem error message quotes a rule: ${message}`);
}

function headerValue(schema: Schema, raw: string): unknown {
  return (schema.type === 'integer' || schema.type === 'number') && /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
}

// Everything wrong with one response, as sentences; empty when it matches.
export function contractViolations(res: ReceivedResponse): string[] {
  const path = new URL(res.url, 'http://placeholder').pathname;
  const operation = findOperation(res.method, path);
  if (!operation) {
    if (res.status >= 400) return problemViolations(res);
    return UNDESCRIBED_ROUTES(res.method, path) ? [] : [`${res.method} ${path} is no operation of the spec, yet answered ${res.status}`];
  }
  const documented = operation.responses[String(res.status)] ?? operation.responses.default;
  if (!documented) {
    return [`${operation.operationId} answered ${res.status}, which it does not document (documented: ${Object.keys(operation.responses).join(', ')})`];
  }
  const violations: string[] = [];
  for (const [name, header] of Object.entries(documented.headers ?? {})) {
    const raw = single(res.headers[name.toLowerCase()]);
    if (raw === undefined) {
      if (header.required) violations.push(`${operation.operationId} ${res.status}: required header ${name} is missing`);
      continue;
    }
    const invalid = schemaErrors(header.schema, headerValue(header.schema, raw));
    if (invalid) violations.push(`${operation.operationId} ${res.status}: header ${name}: ${JSON.stringify(raw)} breaks its schema: ${invalid}`);
  }
  const noBody = res.method === 'HEAD' || res.status === 204 || res.status === 304;
  if (!documented.content) {
    if (!noBody && res.body) violations.push(`${operation.operationId} ${res.status}: documents no body, yet sent one`);
    return violations;
  }
  if (noBody) return violations;
  const contentType = single(res.headers['content-type']) ?? '';
  const mediaType = Object.keys(documented.content).find((type) => contentType.split(';')[0].trim() === type.split(';')[0].trim());
  if (!mediaType) {
    violations.push(
      `${operation.operationId} ${res.status}: Content-Type ${contentType || '(none)'} is not one of ${Object.keys(documented.content).join(', ')}`,
    );
    return violations;
  }
  if (res.body === undefined) return violations;
  const schema = documented.content[mediaType].schema;
  const { value, error } = JSON_TYPE.test(mediaType.split(';')[0]) ? parseJson(res.body) : { value: res.body };
  if (error) violations.push(`${operation.operationId} ${res.status}: body is not JSON: ${error}`);
  else {
    const invalid = schemaErrors(schema, value);
    if (invalid) violations.push(`${operation.operationId} ${res.status}: body breaks its schema: ${invalid}`);
    if (PROBLEM_TYPE.test(mediaType)) violations.push(...messageViolations(value));
  }
  return violations;
}

export class ContractViolation extends Error {}

// Throws, failing the test that received the response, when it breaks the contract.
export function assertMatchesContract(res: ReceivedResponse): void {
  const violations = contractViolations(res);
  if (violations.length) {
    throw new ContractViolation(`${res.method} ${res.url} answered against the contract:\n  - ${violations.join('\n  - ')}`);
  }
}
