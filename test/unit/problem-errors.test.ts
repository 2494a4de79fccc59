import type { ErrorObject } from 'ajv';
import { toProblemErrors } from '../../src/http/api';

// Ajv's errors as the problem's errors list: where (in), which field (JSON
// pointer) and a message for people, once per field and message.
function ajvError(keyword: string, instancePath: string, extra: Partial<ErrorObject> = {}): ErrorObject {
  return { keyword, instancePath, schemaPath: '#', params: {}, message: `breaks ${keyword}`, ...extra };
}

describe('toProblemErrors', () => {
  it('splits the validated object path into where and a JSON pointer', () => {
    expect(
      toProblemErrors([
        ajvError('type', '/requestBody/address/city'),
        ajvError('maximum', '/query/limit'),
        ajvError('format', '/path/uuid'),
        ajvError('type', '/headers/if-match'),
        ajvError('type', '/requestBody'),
      ]),
    ).toEqual([
      { in: 'body', path: '/address/city', message: 'breaks type' },
      { in: 'query', path: '/limit', message: 'breaks maximum' },
      { in: 'path', path: '/uuid', message: 'breaks format' },
      { in: 'header', path: '/if-match', message: 'breaks type' },
      { in: 'body', path: '', message: 'breaks type' },
    ]);
  });

  it('points at the missing or unknown property itself', () => {
    expect(
      toProblemErrors([
        ajvError('required', '/requestBody', { params: { missingProperty: 'name' } }),
        ajvError('additionalProperties', '/requestBody/address', { params: { additionalProperty: 'planet' } }),
      ]),
    ).toEqual([
      { in: 'body', path: '/name', message: 'breaks required' },
      { in: 'body', path: '/address/planet', message: 'is not a known property' },
    ]);
  });

  it("uses the schema's x-error-message for a pattern or format error only, and says 'is invalid' when Ajv gives no message", () => {
    const parentSchema = { 'x-error-message': 'must be a passenger id' };
    expect(
      toProblemErrors([
        ajvError('pattern', '/path/uuid', { parentSchema }),
        ajvError('format', '/query/since', { parentSchema }),
        ajvError('maxLength', '/requestBody/name', { parentSchema }),
        ajvError('pattern', '/requestBody/ticket'),
        ajvError('enum', '/requestBody/sex', { message: undefined }),
      ]),
    ).toEqual([
      { in: 'path', path: '/uuid', message: 'must be a passenger id' },
      { in: 'query', path: '/since', message: 'must be a passenger id' },
      { in: 'body', path: '/name', message: 'breaks maxLength' },
      { in: 'body', path: '/ticket', message: 'breaks pattern' },
      { in: 'body', path: '/sex', message: 'is invalid' },
    ]);
  });

  it('lists a field once per message (a uuid breaking format and pattern with one x-error-message)', () => {
    const parentSchema = { 'x-error-message': 'must be a passenger id' };
    expect(toProblemErrors([ajvError('format', '/path/uuid', { parentSchema }), ajvError('pattern', '/path/uuid', { parentSchema })])).toEqual([
      { in: 'path', path: '/uuid', message: 'must be a passenger id' },
    ]);
  });
});
