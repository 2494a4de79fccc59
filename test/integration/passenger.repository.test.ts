import { sql } from 'kysely';
import { toProblem } from '../../src/http/error-middleware';
import * as repository from '../../src/passengers/passenger.repository';
import { PASSENGER_CONSTRAINT_FIELDS, type PassengerInput } from '../../src/passengers/passenger.table';
import { postTestPassenger } from '../support/fixtures';
import { backend, openTestDatabase, type TestDatabase } from '../support/test-database';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());
beforeEach(async () => database.truncate());

const db = () => database.handle.db;
const PLANNER_SHORTCUTS = ['enable_seqscan', 'enable_bitmapscan', 'enable_sort'];

describe(`passenger repository on ${backend}`, () => {
  it('inserts with a generated uuid and reads the row back exactly', async () => {
    const { passenger: created, version } = await repository.createPassenger(db(), { ...postTestPassenger, age: 0.42, fare: 512.3292 });
    expect(version).toBe(1);
    expect(created.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(await repository.getPassenger(db(), created.uuid)).toEqual({ passenger: created, version: 1 });
    expect(created.age).toBe(0.42);
    expect(created.fare).toBe(512.3292);
  });

  it('keeps a null age as null', async () => {
    const { passenger: created } = await repository.createPassenger(db(), { ...postTestPassenger, age: null });
    expect((await repository.getPassenger(db(), created.uuid))?.passenger.age).toBeNull();
  });

  it('returns undefined, not null, for a missing row', async () => {
    expect(await repository.getPassenger(db(), '00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(await repository.replacePassenger(db(), '00000000-0000-4000-8000-000000000000', postTestPassenger)).toBeUndefined();
    expect(await repository.deletePassenger(db(), '00000000-0000-4000-8000-000000000000')).toBe(false);
  });

  it('pages by uuid with no overlap and reports whether more rows exist', async () => {
    for (let i = 0; i < 7; i++) await repository.createPassenger(db(), { ...postTestPassenger, name: `P${i}` });
    const first = await repository.listPassengers(db(), { limit: 3 });
    const second = await repository.listPassengers(db(), { limit: 3, after: first.passengers[2].uuid });
    const third = await repository.listPassengers(db(), { limit: 3, after: second.passengers[2].uuid });
    expect([first.hasMore, second.hasMore, third.hasMore]).toEqual([true, true, false]);
    const uuids = [...first.passengers, ...second.passengers, ...third.passengers].map((p) => p.uuid);
    expect(uuids).toHaveLength(7);
    expect(uuids).toEqual([...uuids].sort());
  });

  it('filters on survived, class and sex', async () => {
    await repository.createPassenger(db(), { ...postTestPassenger, survived: false, passengerClass: 1, sex: 'female' });
    await repository.createPassenger(db(), { ...postTestPassenger, survived: true, passengerClass: 1, sex: 'female' });
    await repository.createPassenger(db(), { ...postTestPassenger, survived: true, passengerClass: 3, sex: 'male' });
    const { passengers } = await repository.listPassengers(db(), { limit: 10, survived: true, passengerClass: 1, sex: 'female' });
    expect(passengers).toHaveLength(1);
    expect(passengers[0]).toMatchObject({ survived: true, passengerClass: 1, sex: 'female' });
  });

  // Keyset pagination needs, for every page query, an index that yields the
  // matching rows already in uuid order, so a deep or filtered page is one
  // range scan and costs what the first one does. On a table this small the
  // planner would rather scan and sort (bench:scale shows the plans at 1M
  // rows); with scans, bitmaps and sorts ruled out it must show that index.
  it.each([
    [{}, 'passenger_pkey'],
    [{ after: '80000000-0000-4000-8000-000000000000' }, 'passenger_pkey'],
    [{ survived: true }, 'passenger_survived_uuid_idx'],
    [{ passengerClass: 3 }, 'passenger_class_uuid_idx'],
    [{ sex: 'female' as const, after: '80000000-0000-4000-8000-000000000000' }, 'passenger_sex_uuid_idx'],
  ])('reads the page for %j in uuid order from %s, without sorting', async (filter, index) => {
    const plan = await db()
      .connection()
      .execute(async (connection) => {
        for (const setting of PLANNER_SHORTCUTS) await sql`set ${sql.raw(setting)} = off`.execute(connection);
        try {
          const rows = await repository.listPassengersQuery(connection, { rows: 1001, ...filter }).explain();
          return rows.map((row) => String(row['QUERY PLAN'])).join('\n');
        } finally {
          for (const setting of PLANNER_SHORTCUTS) await sql`reset ${sql.raw(setting)}`.execute(connection);
        }
      });
    expect(plan).toMatch(new RegExp(`Index (Only )?Scan using ${index} on passenger`));
    expect(plan).not.toMatch(/\bSort\b/);
  });

  it('replaces every field and deletes only the named row', async () => {
    const { passenger: a } = await repository.createPassenger(db(), postTestPassenger);
    const b = await repository.createPassenger(db(), postTestPassenger);
    const changed = { ...postTestPassenger, name: 'Changed', passengerClass: 1, age: null };
    expect(await repository.replacePassenger(db(), a.uuid, changed)).toEqual({ passenger: { ...changed, uuid: a.uuid }, version: 2 });
    expect(await repository.deletePassenger(db(), a.uuid)).toBe(true);
    expect(await repository.countPassengers(db())).toBe(1);
    expect(await repository.getPassenger(db(), b.passenger.uuid)).toEqual(b);
  });

  it('writes only at the expected version when one is given, and bumps it', async () => {
    const { passenger } = await repository.createPassenger(db(), postTestPassenger);
    const renamed = { ...postTestPassenger, name: 'Renamed' };
    expect(await repository.replacePassenger(db(), passenger.uuid, renamed, [2])).toBeUndefined();
    expect(await repository.replacePassenger(db(), passenger.uuid, renamed, [])).toBeUndefined();
    expect((await repository.getPassenger(db(), passenger.uuid))?.passenger.name).toBe(postTestPassenger.name);
    expect((await repository.replacePassenger(db(), passenger.uuid, renamed, [1, 7]))?.version).toBe(2);
    expect(await repository.deletePassenger(db(), passenger.uuid, [1])).toBe(false);
    expect(await repository.deletePassenger(db(), passenger.uuid, [2])).toBe(true);
  });

  // One case per CHECK constraint of the migrations, written through the
  // repository (which, unlike the HTTP layer, does not validate), so both the
  // field -> column mapping and the constraint -> field mapping are checked.
  const violations: [constraint: string, field: keyof PassengerInput, what: string, value: unknown][] = [
    ['passenger_passenger_class_check', 'passengerClass', '4', 4],
    ['passenger_name_check', 'name', 'blank', ' '],
    ['passenger_name_check', 'name', '151 characters', 'x'.repeat(151)],
    ['passenger_sex_check', 'sex', '"other"', 'other'],
    ['passenger_age_check', 'age', '-1', -1],
    ['passenger_siblings_or_spouses_aboard_check', 'siblingsOrSpousesAboard', '1001', 1001],
    ['passenger_parents_or_children_aboard_check', 'parentsOrChildrenAboard', '-1', -1],
    ['passenger_fare_check', 'fare', '1000001', 1_000_001],
  ];

  it.each(violations)('breaks %s (%s %s): a 400 naming exactly that field', async (constraint, field, _what, value) => {
    const error = await repository.createPassenger(db(), { ...postTestPassenger, [field]: value }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toMatchObject({ code: '23514', constraint });
    const problem = toProblem(error, PASSENGER_CONSTRAINT_FIELDS);
    expect(problem.status).toBe(400);
    expect(problem.errors).toEqual([{ in: 'body', path: `/${field}`, message: 'breaks a database constraint' }]);
    expect(await repository.countPassengers(db())).toBe(0);
  });

  it('breaks the version CHECK (no API field guards it) with a 400 naming no field', async () => {
    const { passenger } = await repository.createPassenger(db(), postTestPassenger);
    const error = await sql`update passenger set version = 0 where uuid = ${passenger.uuid}`.execute(db()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toMatchObject({ code: '23514', constraint: 'passenger_version_check' });
    const problem = toProblem(error, PASSENGER_CONSTRAINT_FIELDS);
    expect(problem.status).toBe(400);
    expect(problem.errors).toBeUndefined();
  });

  it('has no CHECK constraint the cases above leave out', async () => {
    const { rows } = await sql<{ conname: string }>`
      select conname from pg_constraint where conrelid = 'passenger'::regclass and contype = 'c' order by conname
    `.execute(db());
    const tested = new Set([...violations.map(([constraint]) => constraint), 'passenger_version_check']);
    expect(rows.map((row) => row.conname)).toEqual([...tested].sort());
  });
});
