import { loadSpec } from '../../src/spec';
import { MISSING_UUID, postTestPassenger } from '../support/fixtures';
import { type Schema, resolve } from '../support/spec-arbitraries';
import { type TestApp, expectProblem, openTestApp } from '../support/test-app';
import type { Problem } from '../../src/http/problem';

// Every pattern and format a request can break, found by walking the spec, is
// refused with its x-error-message, which must read as words (no regular
// expression), naming the field. A new pattern fails here until it has a value
// that breaks it below.
const BREAKING_VALUES: Record<string, string[]> = {
  // What PostgreSQL's uuid type would read too, but not in the canonical form.
  uuid: [`urn:uuid:${MISSING_UUID}`, `{${MISSING_UUID}}`, MISSING_UUID.replace(/-/g, ''), 'not-a-uuid'],
  name: ['nul\u0000inside', 'tab\tinside', 'next line\u0085inside'],
};

interface Rule {
  operationId: string;
  method: string;
  path: string;
  in: 'path' | 'query' | 'body';
  field: string;
  schema: Schema & { 'x-error-message'?: string; allOf?: Schema[] };
}

const spec = loadSpec() as unknown as { paths: Record<string, Record<string, { operationId: string; parameters?: Schema[]; requestBody?: Schema }>> };

// The schema itself or the one its allOf names: where a pattern or format sits.
function ruled(schema: Schema): Rule['schema'] | undefined {
  const resolved = resolve(schema) as Rule['schema'];
  if (resolved.pattern || resolved.format) return resolved;
  return resolved.allOf?.map(ruled).find(Boolean);
}

function requestRules(): Rule[] {
  const rules: Rule[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const base = { operationId: operation.operationId, method, path };
      for (const parameter of (operation.parameters ?? []).map((p) => resolve(p) as unknown as { name: string; in: Rule['in']; schema: Schema })) {
        const schema = ruled(parameter.schema);
        if (schema) rules.push({ ...base, in: parameter.in, field: parameter.name, schema });
      }
      const body = operation.requestBody && (resolve(operation.requestBody) as { content: Record<string, { schema: Schema }> });
      const properties = body ? (resolve(Object.values(body.content)[0].schema).properties ?? {}) : {};
      for (const [field, property] of Object.entries(properties)) {
        const schema = ruled(property);
        if (schema) rules.push({ ...base, in: 'body', field, schema });
      }
    }
  }
  return rules;
}

const rules = requestRules();

let app: TestApp;
beforeAll(async () => {
  app = await openTestApp();
});
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before opening it
  await app?.database.close();
});

function requestBreaking(rule: Rule, value: string) {
  const pathParam = (name: string) => (rule.in === 'path' && rule.field === name ? encodeURIComponent(value) : MISSING_UUID);
  const url =
    rule.path.replace(/\{(\w+)\}/g, (_, name: string) => pathParam(name)) + (rule.in === 'query' ? `?${rule.field}=${encodeURIComponent(value)}` : '');
  const request = app.request[rule.method as 'get' | 'post' | 'put' | 'patch' | 'delete'](url);
  // A merge patch may name one field alone; PUT and POST send every field.
  if (rule.method === 'patch') {
    return request.type('application/merge-patch+json').send(JSON.stringify(rule.in === 'body' ? { [rule.field]: value } : { fare: 1 }));
  }
  return rule.in === 'body' || ['post', 'put'].includes(rule.method)
    ? request.send({ ...postTestPassenger, ...(rule.in === 'body' ? { [rule.field]: value } : {}) })
    : request;
}

describe('input rules', () => {
  it('the walk finds the uuid rule of every path and query uuid, and the name rule of both writes', () => {
    expect(rules.map((rule) => `${rule.operationId} ${rule.in} ${rule.field}`).sort()).toEqual(
      expect.arrayContaining([
        'createPassenger body name',
        'deletePassenger path uuid',
        'getPassenger path uuid',
        'listPassengers query after',
        'patchPassenger body name',
        'patchPassenger path uuid',
        'replacePassenger body name',
        'replacePassenger path uuid',
      ]),
    );
  });

  it.each(rules.map((rule) => [`${rule.operationId} ${rule.in} ${rule.field}`, rule] as const))('%s: has an x-error-message in words', (_, rule) => {
    const message = rule.schema['x-error-message'];
    expect(typeof message).toBe('string');
    if (rule.schema.pattern) expect(message).not.toContain(rule.schema.pattern);
    expect(message).not.toMatch(/[\^$\\]|\(\?|must match/);
  });

  it.each(rules.map((rule) => [`${rule.operationId} ${rule.in} ${rule.field}`, rule] as const))(
    '%s: a value breaking it is a 400 naming the field with that message',
    async (_, rule) => {
      const values = BREAKING_VALUES[rule.schema.format ?? rule.field];
      expect(values).toBeDefined();
      for (const value of values) {
        const res = await requestBreaking(rule, value);
        expectProblem(res, 400, [`/${rule.field}`]);
        expect((res.body as Problem).errors).toEqual([{ in: rule.in, path: `/${rule.field}`, message: rule.schema['x-error-message'] }]);
      }
    },
  );

  it('accepts a canonical uuid in upper case, as PostgreSQL does', async () => {
    const upper = '6A1F4C2E-9B3D-4E5F-8A7B-0C1D2E3F4A5B';
    expectProblem(await app.request.get(`/getpassenger/${upper}`), 404);
    expect((await app.request.get(`/passengerlist?after=${upper}`)).status).toBe(200);
  });
});
