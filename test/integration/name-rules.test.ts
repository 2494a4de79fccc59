import { sql } from 'kysely';
import type { Problem } from '../../src/http/problem';
import { readableTextErrors } from '../../src/readable-text';
import { loadSpec } from '../../src/spec';
import { postTestPassenger } from '../support/fixtures';
import { expectProblem, useTestApp } from '../support/test-app';
import { backend } from '../support/test-database';

// A name's rules (issue 29): the spec's portable pattern refuses control
// characters; the service's x-readable-text refuses names without a letter or
// digit, bidi controls and unpaired surrogates; the database's CHECK says the
// same in code points, on PostgreSQL and the embedded database alike.
const spec = loadSpec() as unknown as { components: { schemas: Record<string, { pattern: string; 'x-error-message': string }> } };
const namePattern = new RegExp(spec.components.schemas.PassengerName.pattern, 'u');
const CONTROL = spec.components.schemas.PassengerName['x-error-message'];
const NO_LETTER = 'must contain at least one letter or digit';
const BIDI = 'must not contain bidirectional embedding, override or isolate characters (U+202A to U+202E, U+2066 to U+2069)';
const SURROGATE = 'must not contain an unpaired UTF-16 surrogate';

const REFUSED: [string, string, string[]][] = [
  ['a unit separator', '\u001f', [CONTROL, NO_LETTER]],
  ['a next line (a space to some locales)', '\u0085', [CONTROL, NO_LETTER]],
  ['a tab inside', 'Mr.\tSmith', [CONTROL]],
  ['a C1 control inside', 'Mr.\u009fSmith', [CONTROL]],
  ['spaces', '   ', [NO_LETTER]],
  ['a zero-width space', '\u200b', [NO_LETTER]],
  ['a Hangul filler', '\u3164', [NO_LETTER]],
  ['punctuation only', '.-()', [NO_LETTER]],
  ['a right-to-left override', 'Mr. \u202eevil\u202c', [BIDI]],
  ['a first-strong isolate', 'Mr. \u2068x\u2069', [BIDI]],
  ['an unpaired surrogate', 'Mr. \ud800', [SURROGATE]],
];
const ACCEPTED = ['Zoë 😀', '李', 'Ⅻ', "Mr. Patrick O'Brien", 'x', 'Mr. \u200eAbbas', '9'];

const app = useTestApp();

function messages(res: { body: unknown }): string[] {
  return ((res.body as Problem).errors ?? []).map((error) => `${error.in} ${error.path} ${error.message}`).sort();
}

describe(`name rules on ${backend}`, () => {
  it.each(REFUSED)('refuses a name with %s on POST, PUT and PATCH, each broken rule in words', async (_, name, expected) => {
    const want = expected.map((message) => `body /name ${message}`).sort();
    const created = await app.request.post('/postpassenger').send(postTestPassenger);
    expect(created.status).toBe(201);
    const uuid = (created.body as { uuid: string }).uuid;
    const answers = [
      await app.request.post('/postpassenger').send({ ...postTestPassenger, name }),
      await app.request.put(`/putpassenger/${uuid}`).send({ ...postTestPassenger, name }),
      await app.request.patch(`/patchpassenger/${uuid}`).type('application/merge-patch+json').send(JSON.stringify({ name })),
    ];
    for (const res of answers) {
      expectProblem(res, 400, ['/name']);
      expect(messages(res)).toEqual(want);
    }
    expect((await app.request.get(`/getpassenger/${uuid}`)).body).toMatchObject({ name: postTestPassenger.name });
  });

  it.each(ACCEPTED)('stores %j exactly', async (name) => {
    const res = await app.request.post('/postpassenger').send({ ...postTestPassenger, name });
    expect(res.status).toBe(201);
    expect((await app.request.get(`/getpassenger/${(res.body as { uuid: string }).uuid}`)).body).toMatchObject({ name });
  });

  it('the CHECK refuses what the service refuses when a row is written around the API', async () => {
    const insert = (name: string) =>
      sql`insert into passenger (survived, passenger_class, name, sex, age, siblings_or_spouses_aboard, parents_or_children_aboard, fare)
          values (true, 1, ${name}, 'male', null, 0, 0, 1)`.execute(app.database.handle.db);
    for (const [, name] of REFUSED.filter(([, , rules]) => !rules.includes(SURROGATE))) {
      await expect(insert(name)).rejects.toMatchObject({ code: '23514' });
    }
    for (const name of ACCEPTED) await expect(insert(name)).resolves.toBeDefined();
  });

  it('the CHECK and the service agree on each side of every edge of the rules, in every plane', async () => {
    // Every code point where the service's verdict changes, alone and after a
    // letter: the ends of each letter-or-digit range, of each control and
    // bidi range. Surrogates cannot be stored as text at all.
    const accepts = (name: string) => namePattern.test(name) && readableTextErrors(name).length === 0;
    const names = new Set<string>();
    let before = [false, false];
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCodePoint(code);
      const verdict = [accepts(char), accepts(`a${char}`)];
      if (verdict[0] !== before[0] || verdict[1] !== before[1]) {
        for (const edge of [code - 1, code]) {
          if (edge < 1 || (edge >= 0xd800 && edge <= 0xdfff)) continue;
          names.add(String.fromCodePoint(edge));
          names.add(`a${String.fromCodePoint(edge)}`);
        }
      }
      before = verdict;
    }
    const db = app.database.handle.db;
    const { rows: checks } = await sql<{ expression: string }>`
      select pg_get_expr(conbin, conrelid) as expression from pg_constraint
      where conrelid = 'passenger'::regclass and conname = 'passenger_name_check'`.execute(db);
    expect(checks).toHaveLength(1);
    const list = [...names];
    const { rows } = await sql<{ name: string; allowed: boolean }>`
      select name, (${sql.raw(checks[0].expression)}) as allowed from unnest(${list}::text[]) as candidate(name)`.execute(db);
    const disagreements = rows
      .filter((row) => row.allowed !== accepts(row.name))
      .map((row) => `U+${row.name.codePointAt(row.name.length > 1 && row.name.startsWith('a') ? 1 : 0)!.toString(16)} ${row.name.length} db:${row.allowed}`);
    expect(rows).toHaveLength(list.length);
    expect(list.length).toBeGreaterThan(1500);
    expect(disagreements).toEqual([]);
  });
});
