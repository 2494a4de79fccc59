import type { Generated, Insertable } from 'kysely';
import type { components } from '../../generated/openapi';

export type Passenger = components['schemas']['Passenger'];
export type PassengerInput = components['schemas']['PassengerInput'];
export type PassengerPatch = components['schemas']['PassengerPatch'];

export interface PassengerTable {
  uuid: Generated<string>;
  survived: boolean;
  passenger_class: 1 | 2 | 3;
  name: string;
  sex: 'male' | 'female';
  age: number | null;
  siblings_or_spouses_aboard: number;
  parents_or_children_aboard: number;
  fare: number;
  // Bumped by every write; the ETag of the row (see passenger.etag.ts).
  version: Generated<number>;
}

// Each API field and the column that stores it, in the table's column order:
// the one place the API's camelCase names meet SQL's snake_case ones. The
// select list, the row mappings, bulk-load's COPY columns and the meaning of
// the CHECK constraints are derived from it.
export const PASSENGER_COLUMNS = {
  uuid: 'uuid',
  survived: 'survived',
  passengerClass: 'passenger_class',
  name: 'name',
  sex: 'sex',
  age: 'age',
  siblingsOrSpousesAboard: 'siblings_or_spouses_aboard',
  parentsOrChildrenAboard: 'parents_or_children_aboard',
  fare: 'fare',
} as const satisfies { [F in keyof Passenger]-?: keyof PassengerTable };

type Field = keyof typeof PASSENGER_COLUMNS;
type InputField = keyof PassengerInput;
// The input's fields, in PASSENGER_COLUMNS order.
export const INPUT_FIELDS = (Object.keys(PASSENGER_COLUMNS) as Field[]).filter((field): field is InputField => field !== 'uuid');

// `column as field`, or the bare column where the two names are the same.
type Selection = { [F in Field]: (typeof PASSENGER_COLUMNS)[F] extends F ? F : `${(typeof PASSENGER_COLUMNS)[F]} as ${F}` }[Field];

// Reads select each column under its API name, so a row arrives from the
// driver already shaped as a Passenger (plus its version): no renaming pass.
// Single-row reads and writes, and the list's page, also return the version
// their ETag names.
export const versionedPassengerColumns = [
  ...(Object.entries(PASSENGER_COLUMNS) as [Field, string][]).map(([field, column]) => (field === column ? field : `${column} as ${field}`)),
  'version',
] as readonly (Selection | 'version')[];

// A passenger as stored: the API object and the version its ETag names.
export interface VersionedPassenger {
  passenger: Passenger;
  version: number;
}

type VersionedRow = Passenger & { version: number };

// Field by field rather than `{ version, ...passenger }`: it runs once a row
// of every list page, and V8 builds a literal of fixed shape far faster than
// an object rest (measured: bench/results/README.md). The row itself cannot
// be the answer, as it carries the version too.
export function toPassenger(row: VersionedRow): Passenger {
  return {
    uuid: row.uuid,
    survived: row.survived,
    passengerClass: row.passengerClass,
    name: row.name,
    sex: row.sex,
    age: row.age,
    siblingsOrSpousesAboard: row.siblingsOrSpousesAboard,
    parentsOrChildrenAboard: row.parentsOrChildrenAboard,
    fare: row.fare,
  };
}

// A second object per single-row read or write (the handlers answer the
// passenger and put the version in its ETag); the list skips it.
export function toVersioned(row: VersionedRow): VersionedPassenger {
  return { passenger: toPassenger(row), version: row.version };
}

// The columns an insert or an update sets: all but the generated ones, every
// one required (Insertable would make the nullable ones optional, so a new
// nullable column could be left out of toRow unnoticed).
export type SettableColumns = Required<Omit<Insertable<PassengerTable>, 'uuid' | 'version'>>;

// Every column of an input. A literal with the column names as computed keys,
// not a loop over PASSENGER_COLUMNS: a literal's object has one fixed shape,
// which V8 builds far faster than one grown key by key in a loop.
export function toRow(input: PassengerInput): SettableColumns {
  const C = PASSENGER_COLUMNS;
  return {
    [C.survived]: input.survived,
    [C.passengerClass]: input.passengerClass as 1 | 2 | 3,
    [C.name]: input.name,
    [C.sex]: input.sex,
    [C.age]: input.age,
    [C.siblingsOrSpousesAboard]: input.siblingsOrSpousesAboard,
    [C.parentsOrChildrenAboard]: input.parentsOrChildrenAboard,
    [C.fare]: input.fare,
  };
}

// The columns a merge patch sets: only the fields it names (validated against
// PassengerPatch, so every key is an input field). null stays null: the
// schema allows it for age alone.
export function toPatchRow(patch: PassengerPatch): Partial<SettableColumns> {
  const row: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(patch)) row[PASSENGER_COLUMNS[field as InputField]] = value;
  return row;
}

// PostgreSQL names a column's CHECK constraint passenger_<column>_check (the
// migrations leave the names to it): the API field each one guards, for the
// error middleware's 400 (app.ts registers it).
export const PASSENGER_CONSTRAINT_FIELDS: ReadonlyMap<string, string> = new Map(
  INPUT_FIELDS.map((field) => [`passenger_${PASSENGER_COLUMNS[field]}_check`, field]),
);
