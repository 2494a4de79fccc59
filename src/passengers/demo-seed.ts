import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema';
import { demoPassengers } from './demo-passengers';
import { toRow } from './passenger.table';
import { countPassengers } from './passenger.repository';

const IMPORT = '`npm run import -- data/titanic.csv --replace`';

// First start on an empty table: load the demo dozen and say how to get the
// rest. The embedded database allows one process at a time, so on it the
// import runs while the server is stopped.
export async function seedDemoIfEmpty(db: Kysely<Database>, logger: Logger, { embedded = false } = {}): Promise<void> {
  if ((await countPassengers(db)) > 0) return;
  await db
    .insertInto('passenger')
    .values(demoPassengers.map(({ uuid, input }) => ({ uuid, ...toRow(input) })))
    .execute();
  logger.info(
    { rows: demoPassengers.length },
    embedded
      ? `empty database: loaded the demo passengers; to load the full list, stop this server (the embedded database allows one process at a time), run ${IMPORT}, and start it again`
      : `empty database: loaded the demo passengers; load the full list with ${IMPORT}`,
  );
}
