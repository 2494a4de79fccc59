import type { UntypedDb } from './untyped-db';

// Frozen once landed. /passengerlist filters on survived, passengerClass and
// sex and always orders by uuid: an index on (filter, uuid) serves a filtered
// page as one ordered range scan, so deep pages cost what the first one does.
const INDEXES = [
  ['passenger_survived_uuid_idx', 'survived'],
  ['passenger_class_uuid_idx', 'passenger_class'],
  ['passenger_sex_uuid_idx', 'sex'],
] as const;

export async function up(db: UntypedDb): Promise<void> {
  for (const [name, column] of INDEXES) {
    await db.schema.createIndex(name).on('passenger').columns([column, 'uuid']).execute();
  }
}

export async function down(db: UntypedDb): Promise<void> {
  for (const [name] of INDEXES) await db.schema.dropIndex(name).execute();
}
