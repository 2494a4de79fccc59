import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema';
import { demoPassengers } from './demo-passengers';
import { toRow } from './passenger.table';
import { count } from './passenger.repository';

// First start on an empty table: load the demo dozen and say how to get the rest.
export async function seedDemoIfEmpty(db: Kysely<Database>, logger: Logger): Promise<void> {
  if ((await count(db)) > 0) return;
  await db
    .insertInto('passenger')
    .values(demoPassengers.map(({ uuid, input }) => ({ uuid, ...toRow(input) })))
    .execute();
  logger.info(
    { rows: demoPassengers.length },
    'empty database: loaded the demo passengers; load the full list with `npm run import -- ../shared/data/titanic.csv --replace`',
  );
}
