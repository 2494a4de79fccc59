import { loadSpec } from '../../src/spec';

// What client generators other than ours need from the spec's shape (issue
// 25): swagger-typescript-api typed every field `any` that was a $ref into
// another schema's properties; a request body component named like a schema
// made hey-api emit `PassengerInput2` and hid the media type from
// swagger-typescript-api (it sent POSTs without a Content-Type: 415).
const spec = loadSpec() as unknown as {
  paths: Record<string, Record<string, { operationId: string; requestBody?: Record<string, unknown> }>>;
  components: Record<string, Record<string, unknown>>;
};

function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => refsIn(item, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refsIn(value, found);
    }
  }
  return found;
}

describe('the spec is shaped for every client generator', () => {
  it('no $ref points inside another schema', () => {
    const refs = refsIn(spec);
    expect(refs.length).toBeGreaterThan(50);
    expect(refs.filter((ref) => !/^#\/components\/[A-Za-z]+\/[A-Za-z0-9]+$/.test(ref))).toEqual([]);
  });

  it('each shared passenger field is a component of its own, referenced by PassengerInput, PassengerPatch and Passenger', () => {
    const fields = ['survived', 'passengerClass', 'name', 'sex', 'age', 'siblingsOrSpousesAboard', 'parentsOrChildrenAboard', 'fare'];
    const schemas = spec.components.schemas as Record<string, { properties: Record<string, { $ref?: string }> }>;
    for (const holder of ['PassengerInput', 'PassengerPatch', 'Passenger']) {
      const refs = fields.map((field) => schemas[holder].properties[field].$ref);
      expect({ holder, unnamed: refs.filter((ref) => !ref || !/^#\/components\/schemas\/[A-Z]\w+$/.test(ref)) }).toEqual({ holder, unnamed: [] });
    }
    expect(schemas.PassengerInput.properties).toEqual(schemas.PassengerPatch.properties);
  });

  it('every operation writes out its own request body', () => {
    const bodies = Object.values(spec.paths).flatMap((item) => Object.values(item).flatMap((operation) => (operation.requestBody ? [operation] : [])));
    expect(bodies.map((operation) => operation.operationId).sort()).toEqual(['createPassenger', 'patchPassenger', 'replacePassenger']);
    for (const { operationId, requestBody } of bodies) expect({ operationId, ref: requestBody?.$ref }).toEqual({ operationId, ref: undefined });
    expect(spec.components.requestBodies).toBeUndefined();
  });

  it('no component name is used twice, in any section', () => {
    const names = Object.values(spec.components).flatMap((section) => Object.keys(section));
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });
});
