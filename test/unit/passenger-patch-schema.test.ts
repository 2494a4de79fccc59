import { OpenAPIBackend } from 'openapi-backend';
import { loadSpec } from '../../src/spec';

// A merge patch is validated field by field (PassengerPatch), never the merged
// passenger as a whole. That is the same as validating the merged result
// against PassengerInput only while PassengerInput has no rule across fields
// and PassengerPatch gives each field PassengerInput's own rule; this test
// fails the day either stops being true.
describe('PassengerPatch', () => {
  it('gives every PassengerInput field, and only those, the same rule; PassengerInput has no cross-field rule', async () => {
    const api = await new OpenAPIBackend({ definition: loadSpec(), quick: true }).init();
    const schemas = (api.definition.components?.schemas ?? {}) as Record<string, Record<string, unknown>>;
    const input = schemas.PassengerInput;
    const patch = schemas.PassengerPatch;
    expect(patch.properties).toEqual(input.properties);
    expect(Object.keys(input).sort()).toEqual(['additionalProperties', 'description', 'properties', 'required', 'type']);
    expect(patch.additionalProperties).toBe(false);
    expect(patch.required).toBeUndefined();
    // Only age may be cleared.
    const nullable = Object.entries(input.properties as Record<string, { nullable?: boolean }>).filter(([, rule]) => rule.nullable);
    expect(nullable.map(([field]) => field)).toEqual(['age']);
  });
});
