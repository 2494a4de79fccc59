import type { PassengerTable } from '../passengers/passenger.table';

// The whole database as Kysely sees it: one entry per table.
export interface Database {
  passenger: PassengerTable;
}
