import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { compiledOnce } from '../../src/db/compiled-queries';
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

const byUuid = (db: Kysely<Database>, uuid: string) => () => db.selectFrom('passenger').select('name').where('uuid', '=', uuid);

describe('compiledOnce', () => {
  it("builds each shape once and runs its SQL (the same string) with each call's parameters", () => {
    const db = offlineDb();
    let builds = 0;
    const query = (uuid: string) =>
      compiledOnce(db, 'byUuid', [uuid], () => {
        builds += 1;
        return byUuid(db, uuid)();
      });
    const first = query('a');
    const second = query('b');
    expect(builds).toBe(1);
    expect(second.sql).toBe(first.sql);
    expect(second.sql).toBe('select "name" from "passenger" where "uuid" = $1');
    expect([first.parameters, second.parameters]).toEqual([['a'], ['b']]);
  });

  it('keeps shapes apart, and each database its own', () => {
    const [db, other] = [offlineDb(), offlineDb()];
    const byName = compiledOnce(db, 'byName', ['x'], () => db.selectFrom('passenger').select('uuid').where('name', '=', 'x'));
    const byId = compiledOnce(db, 'byUuid', ['a'], byUuid(db, 'a'));
    expect(byName.sql).not.toBe(byId.sql);
    let builtAgain = false;
    compiledOnce(other, 'byUuid', ['a'], () => {
      builtAgain = true;
      return byUuid(other, 'a')();
    });
    expect(builtAgain).toBe(true);
  });

  it("refuses parameters that are not the built query's, in order, on the first call", () => {
    const db = offlineDb();
    const build = () => db.selectFrom('passenger').select('uuid').where('name', '=', 'x').where('sex', '=', 'male');
    expect(() => compiledOnce(db, 'swapped', ['male', 'x'], build)).toThrow(/"swapped": the parameters given are not the built query's/);
    expect(() => compiledOnce(db, 'missing', ['x'], build)).toThrow(/"missing"/);
  });

  it('refuses a later call whose parameter count shows the shape name missed a clause', () => {
    const db = offlineDb();
    compiledOnce(db, 'page', ['a', 10], () => db.selectFrom('passenger').select('uuid').where('uuid', '>', 'a').limit(10));
    expect(() => compiledOnce(db, 'page', [10], () => db.selectFrom('passenger').select('uuid').limit(10))).toThrow(/"page": 1 parameters for 2/);
  });
});
