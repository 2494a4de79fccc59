import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { importCsvFile, seedSynthetic } from '../../src/bulk/commands';
import { demoPassengers } from '../../src/passengers/demo-passengers';
import { seedDemoIfEmpty } from '../../src/passengers/demo-seed';
import * as repository from '../../src/passengers/passenger.repository';
import type { Passenger } from '../../src/passengers/passenger.table';
import { TITANIC_CSV } from '../../scripts/lib/paths';
import { backend, openTestDatabase, silentLogger, type TestDatabase } from '../support/test-database';
import { compileComponentSchema, loadSpec } from '../../src/spec';

const HEADER = 'Survived,Pclass,Name,Sex,Age,Siblings_Spouses_Aboard,Parents_Children_Aboard,Fare';

let database: TestDatabase;
let dir: string;
beforeAll(async () => {
  database = await openTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'passenger-import-'));
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => database.truncate());

const db = () => database.handle.db;
let files = 0;
function csvFile(...lines: string[]): string {
  const file = join(dir, `file${++files}.csv`);
  writeFileSync(file, lines.join('\n'));
  return file;
}

async function allRows(): Promise<Passenger[]> {
  return (await repository.listPassengers(db(), { limit: 1000 })).passengers;
}

const validPassenger = compileComponentSchema<Passenger>(loadSpec(), 'Passenger');

describe(`bulk loading on ${backend}`, () => {
  it('imports the 887 Titanic rows exactly, with their values', async () => {
    expect(await importCsvFile(database.handle, TITANIC_CSV, { replace: false })).toBe(887);
    expect(await repository.countPassengers(db())).toBe(887);
    const braund = await db().selectFrom('passenger').selectAll().where('name', '=', 'Mr. Owen Harris Braund').execute();
    expect(braund).toHaveLength(1);
    expect(braund[0]).toMatchObject({
      survived: false,
      passenger_class: 3,
      sex: 'male',
      age: 22,
      siblings_or_spouses_aboard: 1,
      parents_or_children_aboard: 0,
      fare: 7.25,
    });
    const { total } = await db()
      .selectFrom('passenger')
      .select(sql<number>`round(sum(fare)::numeric, 4)::float8`.as('total'))
      .executeTakeFirstOrThrow();
    expect(total).toBe(28654.9077);
  });

  it('appends without --replace and replaces the table with it', async () => {
    await seedDemoIfEmpty(db(), silentLogger);
    const file = csvFile(HEADER, '1,1,Miss. Elizabeth Bonnell,female,58,0,0,26.55', '0,3,Mr. James Moran,male,,0,0,8.4583', '');
    expect(await importCsvFile(database.handle, file, { replace: false })).toBe(2);
    expect(await repository.countPassengers(db())).toBe(demoPassengers.length + 2);
    expect(await importCsvFile(database.handle, file, { replace: true })).toBe(2);
    const rows = await allRows();
    expect(rows.map((p) => p.name).sort()).toEqual(['Miss. Elizabeth Bonnell', 'Mr. James Moran']);
    expect(rows.find((p) => p.name === 'Mr. James Moran')?.age).toBeNull();
  });

  it('reads quoted fields with commas and quotes, and a last line with or without newline', async () => {
    const quoted = '"Mrs. John (""Molly"", née Tobin) Brown of Denver"';
    const withoutNewline = csvFile(HEADER, `1,1,${quoted},female,44.5,0,0,27.72`);
    const withNewline = csvFile(HEADER, '1,2,"Smith, Mr. A",male,0.42,0,1,1000000', '');
    await importCsvFile(database.handle, withoutNewline, { replace: false });
    await importCsvFile(database.handle, withNewline, { replace: false });
    const names = (await allRows()).map((p) => p.name).sort();
    expect(names).toEqual(['Mrs. John ("Molly", née Tobin) Brown of Denver', 'Smith, Mr. A']);
  });

  describe('refuses a malformed file with its line, and leaves the table unchanged', () => {
    const good = '0,3,Mr. Owen Harris Braund,male,22,1,0,7.25';
    const cases: [string, string[], RegExp][] = [
      ['a bad number', [HEADER, good, '1,1,Mr. X,male,twenty,0,0,7'], /:3: Age must be number, got "twenty"$/],
      ['a missing column', [HEADER, good, good, '1,1,Mr. X,male,20,0,7'], /:4: expected 8 fields .*got 7$/],
      ['a bad enum', [HEADER, '1,1,Mr. X,M,20,0,0,7', good], /:2: Sex must be equal to one of the allowed values \(male or female\), got "M"$/],
      ['an overlong name', [HEADER, good, `1,1,${'x'.repeat(151)},male,20,0,0,7`], /:3: Name must NOT have more than 150 characters/],
      ['a class out of range and a negative fare', [HEADER, '1,4,Mr. X,male,20,0,0,-1'], /:2: Pclass must be <= 3, got 4; Fare must be >= 0, got -1$/],
      [
        'a newline in a quoted name',
        [HEADER, good, '1,1,"Mr. A\nB",male,20,0,0,7'],
        // Named by the line the record ends on, as every row error is.
        /:4: Name must not contain control characters \(U\+0000 to U\+001F, U\+007F to U\+009F\), got "Mr. A\\nB"$/,
      ],
      ['a name without a letter or digit', [HEADER, good, '1,1,...,male,20,0,0,7'], /:3: Name must contain at least one letter or digit, got "..."$/],
      ['a survived that is not 0 or 1', [HEADER, '2,1,Mr. X,male,20,0,0,7'], /:2: Survived must be boolean, got "2"$/],
      ['a wrong header', ['Survived,Class,Name,Sex,Age,SibSp,Parch,Fare', good], /:1: the header must be Survived,Pclass/],
      ['an unclosed quote', [HEADER, good, '1,1,"Mr. X,male,20,0,0,7'], /:3: a quoted field opened on this line is never closed/],
      // csv-parse itself reports it at the end of the file (here line 6 and line 9).
      ['an unclosed quote before more rows', [HEADER, good, '1,1,"Mr. X,male,20,0,0,7', good, good, good], /:3: a quoted field opened/],
      [
        'an unclosed quote after a multi-line field and blank lines',
        // A name cannot hold a newline; a quoted number can end in one.
        [HEADER, '1,1,Mrs. A,female,20,0,0,"7\n"', '', good, '', '1,1,"Mr. X,male,20,0,0,7', good, good],
        /:7: a quoted field opened/,
      ],
    ];
    it.each(cases)('%s', async (_, lines, message) => {
      await seedDemoIfEmpty(db(), silentLogger);
      const before = await allRows();
      const file = csvFile(...lines);
      for (const replace of [false, true]) {
        const error = await importCsvFile(database.handle, file, { replace }).then(
          () => undefined,
          (err: unknown) => err as Error,
        );
        expect(error?.message.startsWith(`${file}:`)).toBe(true);
        expect(error?.message).toMatch(message);
        expect(await allRows()).toEqual(before);
      }
    });

    it('a file that does not exist', async () => {
      const missing = join(dir, 'missing.csv');
      await expect(importCsvFile(database.handle, missing, { replace: true })).rejects.toThrow(`${missing}: cannot read the file`);
    });
  });

  it('generates the same synthetic passengers for the same seed, valid by the spec', async () => {
    expect(await seedSynthetic(database.handle, { rows: 600, seed: 42 }, { replace: false })).toBe(600);
    const first = await allRows();
    await seedSynthetic(database.handle, { rows: 600, seed: 42 }, { replace: true });
    expect(await allRows()).toEqual(first);
    await seedSynthetic(database.handle, { rows: 600, seed: 43 }, { replace: true });
    expect((await allRows())[0]).not.toEqual(first[0]);
    for (const passenger of first) expect(validPassenger(passenger) ? [] : validPassenger.errors).toEqual([]);
    const classes = new Set(first.map((p) => p.passengerClass));
    expect(classes).toEqual(new Set([1, 2, 3]));
    expect(first.some((p) => p.age === null)).toBe(true);
  });

  it('refuses synthetic rows whose uuids are already there, loading none', async () => {
    await seedSynthetic(database.handle, { rows: 10, seed: 1 }, { replace: false });
    await expect(seedSynthetic(database.handle, { rows: 20, seed: 1 }, { replace: false })).rejects.toThrow(/duplicate key/);
    expect(await repository.countPassengers(db())).toBe(10);
  });
});
