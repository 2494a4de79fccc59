import { type Kysely, sql } from 'kysely';
import type { operations } from '../../generated/openapi';
import { statement } from '../db/compiled-queries';
import type { Database } from '../db/schema';
import { MAX_VERSION } from './passenger.etag';
import {
  PASSENGER_COLUMNS,
  type Passenger,
  type PassengerInput,
  type PassengerPatch,
  type SettableColumns,
  type VersionedPassenger,
  toPassenger,
  toPatchRow,
  toRow,
  toVersioned,
  versionedPassengerColumns,
} from './passenger.table';

// The list's query as its handler receives it: the router's validators have
// applied the spec's default limit, so limit is always there.
export type ListFilter = NonNullable<operations['listPassengers']['parameters']['query']> & { limit: number };

// Every statement below is built and compiled by Kysely once per shape, then
// run with each call's values (compiled-queries.ts); its parameters are named
// and typed, so the compiler checks every call.

const getStatement = statement('getPassenger', (db, p: { uuid: string }) =>
  db.selectFrom('passenger').select(versionedPassengerColumns).where('uuid', '=', p.uuid),
);

export async function getPassenger(db: Kysely<Database>, uuid: string): Promise<VersionedPassenger | undefined> {
  const { rows } = await db.executeQuery(getStatement(db, { uuid }));
  return rows[0] && toVersioned(rows[0]);
}

export interface Page {
  passengers: Passenger[];
  // Each passenger's version, in the same order: the page's ETag is built from them.
  versions: number[];
  hasMore: boolean;
}

// The page query's parameters: the list's filters, and how many rows to read.
export type PageQuery = Omit<ListFilter, 'limit'> & { rows: number };

// The page query itself, for listPassengers() and for the plans the tests and
// scripts/bench/scale.ts EXPLAIN (with real values in place of parameters).
export function listPassengersQuery(db: Kysely<Database>, p: PageQuery) {
  let query = db.selectFrom('passenger').select(versionedPassengerColumns).orderBy('uuid').limit(p.rows);
  if (p.after !== undefined) query = query.where(PASSENGER_COLUMNS.uuid, '>', p.after);
  if (p.survived !== undefined) query = query.where(PASSENGER_COLUMNS.survived, '=', p.survived);
  if (p.passengerClass !== undefined) query = query.where(PASSENGER_COLUMNS.passengerClass, '=', p.passengerClass as 1 | 2 | 3);
  if (p.sex !== undefined) query = query.where(PASSENGER_COLUMNS.sex, '=', p.sex);
  return query;
}

const listStatement = statement('listPassengers', listPassengersQuery);

// Keyset pagination: "after" is the last uuid the client saw; ORDER BY the
// primary key keeps every page an index range scan, however deep. One row
// beyond the limit is read to know whether another page exists.
export async function listPassengers(db: Kysely<Database>, filter: ListFilter): Promise<Page> {
  // Picked by name, not spread: the query object holds whatever the client sent.
  const { after, survived, passengerClass, sex, limit } = filter;
  const { rows } = await db.executeQuery(listStatement(db, { after, survived, passengerClass, sex, rows: limit + 1 }));
  const hasMore = rows.length > limit;
  if (hasMore) rows.pop();
  const passengers: Passenger[] = [];
  const versions: number[] = [];
  for (const row of rows) {
    passengers.push(toPassenger(row));
    versions.push(row.version);
  }
  return { passengers, versions, hasMore };
}

const createStatement = statement('createPassenger', (db, row: SettableColumns) => db.insertInto('passenger').values(row).returning(versionedPassengerColumns));

export async function createPassenger(db: Kysely<Database>, input: PassengerInput): Promise<VersionedPassenger> {
  const { rows } = await db.executeQuery(createStatement(db, toRow(input)));
  return toVersioned(rows[0]);
}

// `versions`: write only if the row is at one of these versions (If-Match).
// The check and the write are one statement, so of concurrent writers holding
// the same version exactly one wins; an empty list matches no row. One array
// parameter (= any) keeps the statement one shape whatever the list's length;
// a patch's shape is the columns it sets. undefined: no row matched.
// After MAX_VERSION a row's version wraps to 1, so the row stays writable.
interface Write {
  uuid: string;
  versions?: number[];
}

const updateStatement = statement('updatePassenger', (db, p: Partial<SettableColumns> & Write) => {
  const { uuid, versions, ...columns } = p;
  let update = db
    .updateTable('passenger')
    .set({ ...columns, version: sql<number>`case when ${sql.ref('version')} >= ${sql.lit(MAX_VERSION)} then 1 else ${sql.ref('version')} + 1 end` })
    .where('uuid', '=', uuid);
  if (versions !== undefined) update = update.where('version', '=', sql<number>`any(${versions})`);
  return update.returning(versionedPassengerColumns);
});

async function update(db: Kysely<Database>, write: Write, columns: Partial<SettableColumns>): Promise<VersionedPassenger | undefined> {
  const { rows } = await db.executeQuery(updateStatement(db, { ...columns, ...write }));
  return rows[0] && toVersioned(rows[0]);
}

export async function replacePassenger(
  db: Kysely<Database>,
  uuid: string,
  input: PassengerInput,
  versions?: number[],
): Promise<VersionedPassenger | undefined> {
  return update(db, { uuid, versions }, toRow(input));
}

// A merge patch is applied by the database: only the named columns are set,
// in the same one statement as the If-Match check, so a concurrent write to
// another field is never lost by a read-modify-write here.
export async function patchPassenger(db: Kysely<Database>, uuid: string, patch: PassengerPatch, versions?: number[]): Promise<VersionedPassenger | undefined> {
  return update(db, { uuid, versions }, toPatchRow(patch));
}

const deleteStatement = statement('deletePassenger', (db, p: Write) => {
  let deletion = db.deleteFrom('passenger').where('uuid', '=', p.uuid);
  if (p.versions !== undefined) deletion = deletion.where('version', '=', sql<number>`any(${p.versions})`);
  return deletion;
});

export async function deletePassenger(db: Kysely<Database>, uuid: string, versions?: number[]): Promise<boolean> {
  const { numAffectedRows } = await db.executeQuery(deleteStatement(db, { uuid, versions }));
  return (numAffectedRows ?? 0n) > 0n;
}

export async function countPassengers(db: Kysely<Database>): Promise<number> {
  const { n } = await db
    .selectFrom('passenger')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}
