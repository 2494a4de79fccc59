import fc from 'fast-check';
import { readableTextErrors } from '../../src/readable-text';
import { loadSpec } from '../../src/spec';

// fast-check arbitraries derived from openapi/openapi.yaml, so the hostile-input
// tests follow the contract as it changes. Covers the JSON Schema subset the
// spec uses: type, enum, format uuid, minimum/maximum, min/maxLength, pattern,
// nullable, required, additionalProperties: false.

export interface Schema {
  $ref?: string;
  type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array';
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  'x-readable-text'?: boolean;
  nullable?: boolean;
  required?: string[];
  properties?: Record<string, Schema>;
}

const spec = loadSpec() as unknown as Record<string, unknown>;

// Follows local $refs like #/components/schemas/PassengerInput/properties/name.
export function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const target = schema.$ref
    .slice(2)
    .split('/')
    .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], spec);
  return resolve(target as Schema);
}

export interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header';
  schema: Schema;
  example?: unknown;
}

// An operation's parameters as the spec lists them, $refs followed.
export function parametersOf(path: string, method: string): Parameter[] {
  const operation = resolve({ $ref: `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}` }) as {
    parameters?: (Parameter & { $ref?: string })[];
  };
  return (operation.parameters ?? []).map((parameter) => (parameter.$ref ? resolve(parameter) : parameter) as Parameter);
}

export function schemaAt(pointer: string): Schema {
  return resolve({ $ref: pointer });
}

// Strings that have broken services like this one: SQL and JSON injection,
// prototype keys, markup, control characters, and text PostgreSQL cannot store.
export const hostileStrings = [
  "Robert'); DROP TABLE passenger;--",
  "' OR '1'='1",
  '1; SELECT pg_sleep(10)',
  '"}, "uuid": "00000000-0000-4000-8000-000000000000',
  '{"$ne": null}',
  '__proto__',
  'constructor',
  '<script>alert(1)</script>',
  '%00%27',
  '\\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00y',
  '\u202Egnp.exe',
  'Zoë Ølsen 张伟 👩‍🚀',
  '\t\n\r',
];

function valid(schema: Schema): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const base = validNonNull(s);
  return s.nullable ? fc.option(base, { nil: null, freq: 5 }) : base;
}

function validNonNull(s: Schema): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: s.minimum ?? -(2 ** 31), max: s.maximum ?? 2 ** 31 - 1 });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e9, max: s.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true });
    case 'string': {
      if (s.format === 'uuid') return fc.uuid();
      const pattern = s.pattern ? new RegExp(s.pattern, 'u') : undefined;
      const lengthOk = (text: string) => {
        const length = Array.from(text).length; // JSON Schema counts code points
        return length >= (s.minLength ?? 0) && length <= (s.maxLength ?? Infinity);
      };
      return fc
        .oneof(
          fc.string({ unit: 'grapheme', minLength: s.minLength, maxLength: s.maxLength }),
          fc.string({ unit: 'binary', minLength: s.minLength, maxLength: s.maxLength }),
          fc.constantFrom(...hostileStrings),
        )
        .filter((text) => lengthOk(text) && (!pattern || pattern.test(text)) && !(s['x-readable-text'] && readableTextErrors(text).length));
    }
    default:
      throw new Error(`spec-arbitraries: no generator for ${JSON.stringify(s)}`);
  }
}

// Values that break this schema in every way it allows: wrong JSON types,
// out-of-range and non-integer numbers, enum misses, length and pattern misses.
export function invalid(schema: Schema): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const wrongTypes: unknown[] = [[], {}, { value: 1 }];
  if (!s.nullable) wrongTypes.push(null);
  if (s.type !== 'boolean') wrongTypes.push(true, false);
  if (s.type !== 'string') wrongTypes.push('1', '', 'NaN', "1' OR '1'='1", '__proto__');
  if (s.type !== 'number' && s.type !== 'integer') wrongTypes.push(0, 1, -1.5, 1e308);
  const broken: fc.Arbitrary<unknown>[] = [fc.constantFrom(...wrongTypes)];
  if (s.enum) broken.push(fc.string().filter((text) => !s.enum!.includes(text)));
  if (s.type === 'integer' || s.type === 'number') {
    // The filters drop -0, which fast-check orders below 0 but JSON sends as 0.
    const { minimum, maximum } = s;
    if (minimum !== undefined) {
      broken.push(fc.double({ max: minimum, maxExcluded: true, noNaN: true, noDefaultInfinity: true }).filter((n) => n < minimum));
    }
    if (maximum !== undefined) {
      broken.push(fc.double({ min: maximum, minExcluded: true, noNaN: true, noDefaultInfinity: true }).filter((n) => n > maximum));
    }
  }
  if (s.type === 'integer') {
    broken.push(fc.double({ min: s.minimum, max: s.maximum, noNaN: true }).filter((n) => !Number.isInteger(n)));
  }
  if (s.type === 'string') {
    if (s.format === 'uuid')
      broken.push(
        fc.string({ maxLength: 40 }),
        fc.uuid().map((uuid) => `${uuid}x`),
      );
    if (s.minLength) broken.push(fc.constant(''));
    if (s.maxLength !== undefined) broken.push(fc.integer({ min: s.maxLength + 1, max: s.maxLength * 20 }).map((n) => 'n'.repeat(n)));
    if (s.pattern) {
      const pattern = new RegExp(s.pattern, 'u');
      broken.push(fc.constantFrom(...hostileStrings, ' ', '   \t ').filter((text) => !pattern.test(text) && Array.from(text).length >= (s.minLength ?? 0)));
    }
    if (s['x-readable-text']) {
      broken.push(fc.constantFrom(...hostileStrings, ' ', '\u200b', '\u3164', '.-').filter((text) => readableTextErrors(text).length > 0));
    }
  }
  return fc.oneof(...broken);
}

export type Entries = [string, unknown][];

// JSON text from key/value pairs, so keys like __proto__ reach the server as
// own properties (an object literal would set the prototype instead).
export function toJsonText(entries: Entries): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`;
}

export function validObject(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const s = resolve(schema);
  const properties = s.properties ?? {};
  return fc.record(Object.fromEntries(Object.entries(properties).map(([key, property]) => [key, valid(property)])));
}

export interface BrokenBody {
  // The field the server must name in errors[].path.
  field: string;
  how: 'missing' | 'invalid' | 'extra';
  text: string;
}

// A valid object with exactly one thing wrong, as JSON text.
export function brokenObject(schema: Schema): fc.Arbitrary<BrokenBody> {
  const s = resolve(schema);
  const keys = Object.keys(s.properties ?? {});
  const extraKey = fc
    .oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'uuid', 'Name', '$where', ''), fc.string({ minLength: 1, maxLength: 20 }))
    .filter((key) => !keys.includes(key));
  return validObject(s).chain((body) => {
    const entries: Entries = Object.entries(body);
    return fc.oneof(
      fc.constantFrom(...(s.required ?? [])).map((field): BrokenBody => ({
        field,
        how: 'missing',
        text: toJsonText(entries.filter(([key]) => key !== field)),
      })),
      fc.constantFrom(...keys).chain((field) =>
        invalid(s.properties![field]).map((value): BrokenBody => ({
          field,
          how: 'invalid',
          text: toJsonText(entries.map(([key, old]) => [key, key === field ? value : old])),
        })),
      ),
      fc.tuple(extraKey, fc.jsonValue()).map(([field, value]): BrokenBody => ({
        field,
        how: 'extra',
        text: toJsonText([...entries, [field, value]]),
      })),
    );
  });
}
