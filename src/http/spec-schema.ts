import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Document } from 'openapi-backend';

// Validators for the spec's component schemas, with the Ajv options the HTTP
// layer uses (see createOpenApiBackend), so code that takes data in around the
// API (CSV import) applies exactly the rules of the contract.
export function compileComponentSchema<T>(spec: Document, name: string): ValidateFunction<T> {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  ajv.addSchema(spec as object, 'spec');
  return ajv.compile<T>({ $ref: `spec#/components/schemas/${name}` });
}
