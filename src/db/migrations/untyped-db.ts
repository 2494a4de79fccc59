import type { Kysely } from 'kysely';

// Migrations and the migrator run against the database as it was, before the
// typed schema in schema.ts exists: Kysely's own convention is Kysely<any>, and
// Kysely<unknown> does not accept a Kysely<Database> (its fn.any() types clash).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: Kysely's documented type for migrations
export type UntypedDb = Kysely<any>;
