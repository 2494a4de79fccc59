import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema';
import { demoPassengers } from './demo-passengers';
import { toRow } from './passenger.table';
import { countPassengers } from './passenger.repository';

// The import command that works where this process runs: a checkout has the
// TypeScript sources and npm scripts; the image has only dist/ (no npm, no
// data/), so the CSV is piped in from outside.
const checkout = existsSync(join(__dirname, '..', '..', 'tsconfig.json'));
const IMPORT = checkout
  ? '`npm run import -- data/titanic.csv --replace`'
  : '`node dist/bulk/import.js - --replace` with the CSV on standard input (e.g. `docker compose exec -T api node dist/bulk/import.js - --replace < data/titanic.csv`, or `kubectl exec -i` likewise)';
const IMPORT_EMBEDDED = checkout
  ? IMPORT
  : '`node dist/bulk/import.js - --replace` in a container on the same volume (e.g. `docker run --rm -i -v VOLUME:/app/.data IMAGE node dist/bulk/import.js - --replace < data/titanic.csv`)';

export async function seedDemoIfEmpty(db: Kysely<Database>, logger: Logger, { embedded = false } = {}): Promise<void> {
  if ((await countPassengers(db)) > 0) return;
  await db
    .insertInto('passenger')
    .values(demoPassengers.map(({ uuid, input }) => ({ uuid, ...toRow(input) })))
    .execute();
  logger.info(
    { rows: demoPassengers.length },
    embedded
      ? `empty database: loaded the demo passengers; to load the full list, stop this server (the embedded database allows one process at a time), run ${IMPORT_EMBEDDED}, and start it again`
      : `empty database: loaded the demo passengers; load the full list with ${IMPORT}`,
  );
}
