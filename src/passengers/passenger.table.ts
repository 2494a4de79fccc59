import type { Generated, Insertable, Selectable } from 'kysely';
import type { components } from '../../generated/openapi';

export type Passenger = components['schemas']['Passenger'];
export type PassengerInput = components['schemas']['PassengerInput'];

// Column names are snake_case in SQL; the API's camelCase names live only in
// the mapper below, so the two vocabularies meet in exactly one place.
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

export type PassengerRow = Selectable<PassengerTable>;
export type NewPassengerRow = Insertable<PassengerTable>;

// A passenger as stored: the API object and the version its ETag names.
export interface VersionedPassenger {
  passenger: Passenger;
  version: number;
}

export function toPassenger(row: PassengerRow): Passenger {
  return {
    uuid: row.uuid,
    survived: row.survived,
    passengerClass: row.passenger_class,
    name: row.name,
    sex: row.sex,
    age: row.age,
    siblingsOrSpousesAboard: row.siblings_or_spouses_aboard,
    parentsOrChildrenAboard: row.parents_or_children_aboard,
    fare: row.fare,
  };
}

export function toVersioned(row: PassengerRow): VersionedPassenger {
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
