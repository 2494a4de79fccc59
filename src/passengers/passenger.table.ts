import type { Generated, Insertable, Updateable } from 'kysely';
import type { components } from '../../generated/openapi';

export type Passenger = components['schemas']['Passenger'];
export type PassengerInput = components['schemas']['PassengerInput'];
export type PassengerPatch = components['schemas']['PassengerPatch'];

// Column names are snake_case in SQL; the API's camelCase names live only in
// passengerColumns and toRow below, so the two vocabularies meet in one place.
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

export type NewPassengerRow = Insertable<PassengerTable>;

// Reads select each column under its API name, so a row arrives from the
// driver already shaped as a Passenger: no second object per row.
export const passengerColumns = [
  'uuid',
  'survived',
  'passenger_class as passengerClass',
  'name',
  'sex',
  'age',
  'siblings_or_spouses_aboard as siblingsOrSpousesAboard',
  'parents_or_children_aboard as parentsOrChildrenAboard',
  'fare',
] as const;

// Single-row reads and writes also return the version their ETag names.
export const versionedPassengerColumns = [...passengerColumns, 'version'] as const;

// A passenger as stored: the API object and the version its ETag names.
export interface VersionedPassenger {
  passenger: Passenger;
  version: number;
}

export type VersionedRow = Passenger & { version: number };

// Field by field rather than `{ version, ...passenger }`: the object rest was
// about 8 times slower a row here (1000 rows: ~590 µs against ~70 µs).
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

export function toVersioned(row: VersionedRow): VersionedPassenger {
  return { passenger: toPassenger(row), version: row.version };
}

export function toRow(input: PassengerInput): Omit<NewPassengerRow, 'uuid' | 'version'> {
  return {
    survived: input.survived,
    passenger_class: input.passengerClass as 1 | 2 | 3,
    name: input.name,
    sex: input.sex,
    age: input.age,
    siblings_or_spouses_aboard: input.siblingsOrSpousesAboard,
    parents_or_children_aboard: input.parentsOrChildrenAboard,
    fare: input.fare,
  };
}

const COLUMN_OF = {
  survived: 'survived',
  passengerClass: 'passenger_class',
  name: 'name',
  sex: 'sex',
  age: 'age',
  siblingsOrSpousesAboard: 'siblings_or_spouses_aboard',
  parentsOrChildrenAboard: 'parents_or_children_aboard',
  fare: 'fare',
} as const satisfies Record<keyof PassengerInput, keyof PassengerTable>;

// The columns a merge patch sets: only the fields it names (validated against
// PassengerPatch, so every key is one of COLUMN_OF's). null stays null: the
// schema allows it for age alone.
export function toPatchRow(patch: PassengerPatch): Updateable<PassengerTable> {
  const row: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(patch)) row[COLUMN_OF[field as keyof PassengerPatch]] = value;
  return row as Updateable<PassengerTable>;
}
