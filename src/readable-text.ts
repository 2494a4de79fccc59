import type Ajv from 'ajv';
import type { SchemaValidateFunction } from 'ajv';

// The spec's `x-readable-text: true`: the rules about text that no portable
// pattern can say (a portable pattern has no \u escapes and no Unicode
// classes, and means the same in JavaScript, Python, Perl and Go). Clients'
// generated validators skip the keyword; the service applies it, with a
// message per rule. The database's CHECK says the same (migration
// 2026_12_08_00_00_readable_name).

// A letter or digit one can see: the Hangul fillers are letters (Lo) that
// display as nothing, like every default-ignorable code point.
const VISIBLE_LETTER_OR_DIGIT = /(?!\p{DI})[\p{L}\p{N}]/u;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
const UNPAIRED_SURROGATE = /\p{Surrogate}/u;

const RULES: readonly { broken: (text: string) => boolean; message: string }[] = [
  { broken: (text) => !VISIBLE_LETTER_OR_DIGIT.test(text), message: 'must contain at least one letter or digit' },
  {
    broken: (text) => BIDI_CONTROL.test(text),
    message: 'must not contain bidirectional embedding, override or isolate characters (U+202A to U+202E, U+2066 to U+2069)',
  },
  { broken: (text) => UNPAIRED_SURROGATE.test(text), message: 'must not contain an unpaired UTF-16 surrogate' },
];

// The message of each rule the text breaks; none when it is readable.
export function readableTextErrors(text: string): string[] {
  return RULES.filter((rule) => rule.broken(text)).map((rule) => rule.message);
}

export const READABLE_TEXT_KEYWORD = 'x-readable-text';

// Each broken rule is its own error, so a problem lists every one of them.
const validateReadableText: SchemaValidateFunction = (enabled: boolean, data: unknown) => {
  const messages = enabled && typeof data === 'string' ? readableTextErrors(data) : [];
  validateReadableText.errors = messages.map((message) => ({ keyword: READABLE_TEXT_KEYWORD, message, params: {} }));
  return messages.length === 0;
};

export function addReadableTextKeyword(ajv: Ajv): void {
  ajv.addKeyword({ keyword: READABLE_TEXT_KEYWORD, type: 'string', schemaType: 'boolean', errors: true, validate: validateReadableText });
}
