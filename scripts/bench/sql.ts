// The benchmarks' own SQL (the peer's statements, pgbench's and the floors'),
// written from the service's column declaration, so a column added there is
// read and written by every stack the bench compares.
import { INPUT_FIELDS, PASSENGER_COLUMNS } from '../../src/passengers/passenger.table';

// Each API field under its own name, as the service's reads select them.
export const SELECT_COLUMNS = Object.entries(PASSENGER_COLUMNS)
  .map(([field, column]) => (field === column ? column : `${column} as "${field}"`))
  .join(', ');
// The input's columns, in the order of INPUT_FIELDS (and of an insert's values).
export const INSERT_COLUMNS = INPUT_FIELDS.map((field) => PASSENGER_COLUMNS[field]).join(', ');
export { INPUT_FIELDS, PASSENGER_COLUMNS };
