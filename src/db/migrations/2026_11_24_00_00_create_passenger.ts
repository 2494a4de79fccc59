import { sql } from 'kysely';
import type { UntypedDb } from './untyped-db';

// Frozen once landed: change the schema with a new, later migration.
// The CHECK constraints mirror openapi/openapi.yaml's PassengerInput so that
// data loaded around the API (imports, psql) obeys the same rules.
export async function up(db: UntypedDb): Promise<void> {
  await db.schema
    .createTable('passenger')
    .addColumn('uuid', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('survived', 'boolean', (col) => col.notNull())
    .addColumn('passenger_class', 'smallint', (col) => col.notNull().check(sql`passenger_class between 1 and 3`))
    .addColumn('name', 'text', (col) => col.notNull().check(sql`char_length(name) between 1 and 150 and name ~ '\\S'`))
    .addColumn('sex', 'text', (col) => col.notNull().check(sql`sex in ('male', 'female')`))
    .addColumn('age', 'float8', (col) => col.check(sql`age between 0 and 150`))
    .addColumn('siblings_or_spouses_aboard', 'integer', (col) => col.notNull().check(sql`siblings_or_spouses_aboard between 0 and 1000`))
    .addColumn('parents_or_children_aboard', 'integer', (col) => col.notNull().check(sql`parents_or_children_aboard between 0 and 1000`))
    .addColumn('fare', 'float8', (col) => col.notNull().check(sql`fare between 0 and 1000000`))
    .execute();
}

export async function down(db: UntypedDb): Promise<void> {
  await db.schema.dropTable('passenger').execute();
}
