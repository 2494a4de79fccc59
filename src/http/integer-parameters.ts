import type { Operation } from 'openapi-backend';
import type { ProblemError } from './problem';

// Ajv's type coercion reads a query or path integer with Number(), which
// takes ?limit=0x3e8, 1e3, +1 and " 1" for 1000 and 1. Here an integer
// parameter is decimal digits only (a minus sign for a negative one), so a
// value has one spelling, the one the Link header repeats.
const DECIMAL_INTEGER = /^-?[0-9]+$/;
export const DECIMAL_INTEGER_MESSAGE = 'must be an integer in decimal digits, such as 2';

export interface IntegerParameter {
  in: 'query' | 'path';
  name: string;
}

// The operation's query and path parameters of type integer (openapi-backend
// has resolved their $refs).
export function integerParameters(operation: Operation): IntegerParameter[] {
  return (operation.parameters ?? []).flatMap((parameter) => {
    if (!('in' in parameter) || (parameter.in !== 'query' && parameter.in !== 'path')) return [];
    const schema = parameter.schema as { type?: string } | undefined;
    return schema?.type === 'integer' ? [{ in: parameter.in, name: parameter.name }] : [];
  });
}

// An error for each integer parameter spelled otherwise, which is taken out
// of `input` so that Ajv does not report the same value a second time.
export function misspelledIntegers(parameters: IntegerParameter[], input: Record<IntegerParameter['in'], Record<string, unknown>>): ProblemError[] {
  return parameters.flatMap((parameter) => {
    const value = input[parameter.in][parameter.name];
    // Absent, or repeated (an array, which Ajv refuses as not an integer).
    if (typeof value !== 'string' || DECIMAL_INTEGER.test(value)) return [];
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a copy made for validation (validationInput)
    delete input[parameter.in][parameter.name];
    return [{ in: parameter.in, path: `/${parameter.name}`, message: DECIMAL_INTEGER_MESSAGE }];
  });
}
