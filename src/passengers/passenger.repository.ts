import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { type Passenger, type PassengerInput, passengerColumns, toRow } from './passenger.table';

export interface ListFilter {
  limit: number;
  after?: string;
  survived?: boolean;
  passengerClass?: number;
  sex?: 'male' | 'female';
}

export async function findById(db: Kysely<Database>, uuid: string): Promise<Passenger | undefined> {
  return db.selectFrom('passenger').select(passengerColumns).where('uuid', '=', uuid).executeTakeFirst();
}

export interface Page {
  passengers: Passenger[];
  hasMore: boolean;
}

// Keyset pagination: "after" is the last uuid the client saw; ORDER BY the
// primary key keeps every page an index range scan, however deep. One row
// beyond the limit is read to know whether another page exists.
export async function list(db: Kysely<Database>, filter: ListFilter): Promise<Page> {
  let query = db.selectFrom('passenger').select(passengerColumns).orderBy('uuid').limit(filter.limit + 1);
  if (filter.after !== undefined) query = query.where('uuid', '>', filter.after);
  if (filter.survived !== undefined) query = query.where('survived', '=', filter.survived);
  if (filter.passengerClass !== undefined) {
    query = query.where('passenger_class', '=', filter.passengerClass as 1 | 2 | 3);
  }
  if (filter.sex !== undefined) query = query.where('sex', '=', filter.sex);
  const passengers = await query.execute();
  const hasMore = passengers.length > filter.limit;
  if (hasMore) passengers.pop();
  return { passengers, hasMore };
}

export async function insert(db: Kysely<Database>, input: PassengerInput, uuid?: string): Promise<Passenger> {
  return db
    .insertInto('passenger')
    .values({ ...toRow(input), ...(uuid ? { uuid } : {}) })
    .returning(passengerColumns)
    .executeTakeFirstOrThrow();
}

export async function replace(db: Kysely<Database>, uuid: string, input: PassengerInput): Promise<Passenger | undefined> {
  return db.updateTable('passenger').set(toRow(input)).where('uuid', '=', uuid).returning(passengerColumns).executeTakeFirst();
}

export async function remove(db: Kysely<Database>, uuid: string): Promise<boolean> {
  const result = await db.deleteFrom('passenger').where('uuid', '=', uuid).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function count(db: Kysely<Database>): Promise<number> {
  const { n } = await db.selectFrom('passenger').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}
