import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { statement } from '../../src/db/compiled-queries';
import type { Database } from '../../src/db/schema';

// Kysely with PostgreSQL's SQL and no connection: only compiling is tested here.
function offlineDb(): Kysely<Database> {
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}

describe('statement', () => {
  it("builds each shape once and runs its SQL (the same string) with each call's values", () => {
    const db = offlineDb();
    let builds = 0;
    const byUuid = statement('byUuid', (db, p: { uuid: string }) => {
      builds += 1;
      return db.selectFrom('passenger').select('name').where('uuid', '=', p.uuid);
    });
    const first = byUuid(db, { uuid: 'a' });
    const second = byUuid(db, { uuid: 'b' });
    expect(builds).toBe(1);
    expect(second.sql).toBe(first.sql);
    expect(second.sql).toBe('select "name" from "passenger" where "uuid" = $1');
    expect([first.parameters, second.parameters]).toEqual([['a'], ['b']]);
  });

  it('puts each value where its name is in the SQL, whatever order the caller writes them in', () => {
    const db = offlineDb();
    const byNameAndSex = statement('byNameAndSex', (db, p: { name: string; sex: 'male' | 'female' }) =>
      db.selectFrom('passenger').select('uuid').where('sex', '=', p.sex).where('name', '=', p.name),
    );
    const query = byNameAndSex(db, { name: 'Zoë', sex: 'female' });
    expect(query.sql).toBe('select "uuid" from "passenger" where "sex" = $1 and "name" = $2');
    expect(query.parameters).toEqual(['female', 'Zoë']);
    expect(byNameAndSex(db, { sex: 'male', name: 'Al' }).parameters).toEqual(['male', 'Al']);
  });

  it('compiles a shape per set of present parameters, and absent ones leave their clause out', () => {
    const db = offlineDb();
    const page = statement('page', (db, p: { after?: string; rows: number }) => {
      let query = db.selectFrom('passenger').select('uuid').orderBy('uuid').limit(p.rows);
      if (p.after !== undefined) query = query.where('uuid', '>', p.after);
      return query;
    });
    const first = page(db, { rows: 11 });
    const after = page(db, { after: 'm', rows: 11 });
    const undefinedAfter = page(db, { after: undefined, rows: 5 });
    expect(first.sql).toBe('select "uuid" from "passenger" order by "uuid" limit $1');
    expect(after.sql).toBe('select "uuid" from "passenger" where "uuid" > $1 order by "uuid" limit $2');
    expect(after.parameters).toEqual(['m', 11]);
    expect(undefinedAfter.sql).toBe(first.sql);
    expect(undefinedAfter.parameters).toEqual([5]);
  });

  it('keeps the values its builder wrote itself, and null is a value', () => {
    const db = offlineDb();
    const setAge = statement('setAge', (db, p: { uuid: string; age: number | null }) =>
      db
        .updateTable('passenger')
        .set({ age: p.age, name: 'fixed' })
        .where('uuid', '=', p.uuid)
        .where('version', '=', sql<number>`any(${[1, 2]})`),
    );
    const query = setAge(db, { uuid: 'u', age: null });
    expect(query.sql).toBe('update "passenger" set "age" = $1, "name" = $2 where "uuid" = $3 and "version" = any($4)');
    expect(query.parameters).toEqual([null, 'fixed', 'u', [1, 2]]);
  });

  it('refuses a parameter its builder does not use: that clause would be missing from the SQL', () => {
    const db = offlineDb();
    const forgetful = statement('forgetful', (db, p: { uuid: string; sex?: 'male' | 'female' }) =>
      db.selectFrom('passenger').select('name').where('uuid', '=', p.uuid),
    );
    expect(forgetful(db, { uuid: 'a' }).parameters).toEqual(['a']);
    expect(() => forgetful(db, { uuid: 'a', sex: 'male' })).toThrow('statement "forgetful" does not use its parameter(s) sex');
  });

  it('keeps each database its own compiled shapes', () => {
    const [db, other] = [offlineDb(), offlineDb()];
    let builds = 0;
    const byUuid = statement('byUuid', (db, p: { uuid: string }) => {
      builds += 1;
      return db.selectFrom('passenger').select('name').where('uuid', '=', p.uuid);
    });
    byUuid(db, { uuid: 'a' });
    byUuid(other, { uuid: 'a' });
    expect(builds).toBe(2);
  });

  it('checks names and types at compile time (npm run typecheck fails on each line below without its @ts-expect-error)', () => {
    const db = offlineDb();
    const byUuid = statement('byUuid', (db, p: { uuid: string }) => db.selectFrom('passenger').select('name').where('uuid', '=', p.uuid));
    // @ts-expect-error -- a missing parameter
    expect(() => byUuid(db, {})).toThrow('statement "byUuid" puts an absent parameter into its SQL');
    // @ts-expect-error -- a wrongly typed parameter
    expect(byUuid(db, { uuid: 1 }).parameters).toEqual([1]);
    // @ts-expect-error -- a parameter used against its column's type: passenger_class is 1 | 2 | 3
    statement('wrongType', (db, p: { passengerClass: string }) => db.selectFrom('passenger').select('name').where('passenger_class', '=', p.passengerClass));
  });
});
