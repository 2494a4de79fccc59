import { type Kysely, type Updateable, sql } from 'kysely';
import type { operations } from '../../generated/openapi';
import { compiledOnce } from '../db/compiled-queries';
import type { Database } from '../db/schema';
import {
  type Passenger,
  type PassengerInput,
  type PassengerPatch,
  type PassengerTable,
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

// Every statement below is built and compiled by Kysely once per shape (see
// compiled-queries.ts), then run with each call's parameters: building
// GET /getpassenger's query afresh was a quarter of its CPU (5.2-5.7k ->
// 7.0-7.4k req/s when it alone was cached), the INSERT about a sixth of a POST's.

export async function getPassenger(db: Kysely<Database>, uuid: string): Promise<VersionedPassenger | undefined> {
  const query = compiledOnce(db, 'getPassenger', [uuid], () => db.selectFrom('passenger').select(versionedPassengerColumns).where('uuid', '=', uuid));
  const { rows } = await db.executeQuery(query);
  return rows[0] && toVersioned(rows[0]);
}

export interface Page {
  passengers: Passenger[];
  // Each passenger's version, in the same order: the page's ETag is built from them.
  versions: number[];
  hasMore: boolean;
}

// Keyset pagination: "after" is the last uuid the client saw; ORDER BY the
// primary key keeps every page an index range scan, however deep. One row
// beyond the limit is read to know whether another page exists.
export async function listPassengers(db: Kysely<Database>, filter: ListFilter): Promise<Page> {
  const present = (['after', 'survived', 'passengerClass', 'sex'] as const).filter((key) => filter[key] !== undefined);
  // The filters' values in the order listPassengersQuery adds them, then the limit.
  const parameters = [...present.map((key) => filter[key]), filter.limit + 1];
  const query = compiledOnce(db, `listPassengers:${present.join(',')}`, parameters, () => listPassengersQuery(db, filter));
  const { rows } = await db.executeQuery(query);
  const hasMore = rows.length > filter.limit;
  if (hasMore) rows.pop();
  const passengers: Passenger[] = [];
  const versions: number[] = [];
  for (const row of rows) {
    passengers.push(toPassenger(row));
    versions.push(row.version);
  }
  return { passengers, versions, hasMore };
}

// The page query itself, for listPassengers() and for the plans the tests and
// scripts/bench/scale.ts EXPLAIN.
export function listPassengersQuery(db: Kysely<Database>, filter: ListFilter) {
  let query = db
    .selectFrom('passenger')
    .select(versionedPassengerColumns)
    .orderBy('uuid')
    .limit(filter.limit + 1);
  if (filter.after !== undefined) query = query.where('uuid', '>', filter.after);
  if (filter.survived !== undefined) query = query.where('survived', '=', filter.survived);
  if (filter.passengerClass !== undefined) {
    query = query.where('passenger_class', '=', filter.passengerClass as 1 | 2 | 3);
  }
  if (filter.sex !== undefined) query = query.where('sex', '=', filter.sex);
  return query;
}

export async function createPassenger(db: Kysely<Database>, input: PassengerInput): Promise<VersionedPassenger> {
  const row = toRow(input);
  const query = compiledOnce(db, 'createPassenger', Object.values(row), () => db.insertInto('passenger').values(row).returning(versionedPassengerColumns));
  const { rows } = await db.executeQuery(query);
  return toVersioned(rows[0]);
}

// `versions`: write only if the row is at one of these versions (If-Match).
// The check and the write are one statement, so of concurrent writers holding
// the same version exactly one wins; an empty list matches no row. One array
// parameter (= any) keeps the statement one shape whatever the list's length;
// a patch's shape is the columns it sets. undefined/false: no row matched.
async function update(db: Kysely<Database>, uuid: string, columns: Updateable<PassengerTable>, versions?: number[]): Promise<VersionedPassenger | undefined> {
  // Columns in one fixed order, so a patch's key order cannot make new shapes
  // (at most 2^8 subsets, twice).
  const set = Object.fromEntries(Object.entries(columns).sort(([a], [b]) => (a < b ? -1 : 1))) as Updateable<PassengerTable>;
  const shape = `update:${Object.keys(set).join(',')}:${versions ? 'if-match' : 'any'}`;
  const parameters = [...Object.values(set), uuid, ...(versions ? [versions] : [])];
  const query = compiledOnce(db, shape, parameters, () => {
    let update = db
      .updateTable('passenger')
      .set({ ...set, version: sql<number>`${sql.ref('version')} + 1` })
      .where('uuid', '=', uuid);
    if (versions) update = update.where('version', '=', sql<number>`any(${versions})`);
    return update.returning(versionedPassengerColumns);
  });
  const { rows } = await db.executeQuery(query);
  return rows[0] && toVersioned(rows[0]);
}

export async function replacePassenger(
  db: Kysely<Database>,
  uuid: string,
  input: PassengerInput,
  versions?: number[],
): Promise<VersionedPassenger | undefined> {
  return update(db, uuid, toRow(input), versions);
}

// A merge patch is applied by the database: only the named columns are set,
// in the same one statement as the If-Match check, so a concurrent write to
// another field is never lost by a read-modify-write here.
export async function patchPassenger(db: Kysely<Database>, uuid: string, patch: PassengerPatch, versions?: number[]): Promise<VersionedPassenger | undefined> {
  return update(db, uuid, toPatchRow(patch), versions);
}

export async function deletePassenger(db: Kysely<Database>, uuid: string, versions?: number[]): Promise<boolean> {
  const parameters = [uuid, ...(versions ? [versions] : [])];
  const query = compiledOnce(db, `deletePassenger:${versions ? 'if-match' : 'any'}`, parameters, () => {
    let deletion = db.deleteFrom('passenger').where('uuid', '=', uuid);
    if (versions) deletion = deletion.where('version', '=', sql<number>`any(${versions})`);
    return deletion;
  });
  const { numAffectedRows } = await db.executeQuery(query);
  return (numAffectedRows ?? 0n) > 0n;
}

export async function countPassengers(db: Kysely<Database>): Promise<number> {
  const { n } = await db
    .selectFrom('passenger')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}
