import { sql } from 'kysely';
import type { UntypedDb } from './untyped-db';

// Frozen once landed. A row version for ETag / If-Match: every write bumps it,
// so a writer holding an old ETag can be told (412) instead of overwriting.
export async function up(db: UntypedDb): Promise<void> {
  await db.schema
    .alterTable('passenger')
    .addColumn('version', 'integer', (col) =>
      col
        .notNull()
        .defaultTo(1)
        .check(sql`version >= 1`),
    )
    .execute();
}

export async function down(db: UntypedDb): Promise<void> {
  await db.schema.alterTable('passenger').dropColumn('version').execute();
}
