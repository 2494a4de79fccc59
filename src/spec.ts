import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Document } from 'openapi-backend';
import { parse as parseYaml } from 'yaml';
import { addReadableTextKeyword } from './readable-text';

// The contract, openapi/openapi.yaml: read by the HTTP router, the CSV
// import, the mock and the tests, each from here.
export const SPEC_PATH = join(__dirname, '..', 'openapi', 'openapi.yaml');

export function loadSpec(): Document {
  return parseYaml(readFileSync(SPEC_PATH, 'utf8')) as Document;
}

// The Ajv options every validator of the spec's schemas uses: the HTTP
// layer's (createOpenApiBackend) and compileComponentSchema's. strict: false,
// as the spec carries keywords Ajv does not know (x-error-message); verbose:
// errors carry their schema, whose x-error-message says in words what a
// pattern or format means; useDefaults: a missing value gets the spec's default.
export const AJV_OPTIONS: Options = { strict: false, allErrors: true, useDefaults: true, verbose: true };

// What every validator of the spec knows beyond Ajv itself: the formats, and
// the spec's x-readable-text keyword. Adds to the instance and returns it.
export function customizeAjv(ajv: Ajv): Ajv {
  addFormats(ajv);
  addReadableTextKeyword(ajv);
  return ajv;
}

// A validator for one of the spec's component schemas, for code that takes
// data in around the API (CSV import), so it applies the contract's rules.
export function compileComponentSchema<T>(spec: Document, name: string): ValidateFunction<T> {
  const ajv = customizeAjv(new Ajv(AJV_OPTIONS));
  ajv.addSchema(spec, 'spec');
  return ajv.compile<T>({ $ref: `spec#/components/schemas/${name}` });
}

// A pattern or format error would quote a regular expression or a format
// name; the spec gives each such schema an x-error-message for people.
const EXPLAINED_KEYWORDS = new Set(['pattern', 'format']);

export function errorMessage(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') return 'is not a known property';
  const explained = (error.parentSchema as { 'x-error-message'?: unknown } | undefined)?.['x-error-message'];
  if (EXPLAINED_KEYWORDS.has(error.keyword) && typeof explained === 'string') return explained;
  return error.message ?? 'is invalid';
}
