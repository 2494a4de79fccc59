import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DatabaseHandle } from '../db/database';
import { INPUT_FIELDS, PASSENGER_COLUMNS, type PassengerInput, toRow } from '../passengers/passenger.table';

export interface BulkRow {
  uuid: string;
  input: PassengerInput;
}

interface BulkLoadOptions {
  // Empty the table first, in the same transaction.
  replace: boolean;
  // Called now and then with the number of rows sent so far.
  onProgress?: (rows: number) => void;
}

// The uuid, then each input field: COPY names their columns in this order
// and copyLine writes their values in it.
const COPY_COLUMNS = [PASSENGER_COLUMNS.uuid, ...INPUT_FIELDS.map((field) => PASSENGER_COLUMNS[field])];
// COPY data is sent in chunks of about this size rather than one message per row.
const COPY_CHUNK_BYTES = 64 * 1024;
const INSERT_BATCH_ROWS = 500;

// COPY text format: backslash, tab, newline and carriage return are escaped.
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

// A value in COPY's text format, by its JSON type: the input is a validated
// PassengerInput, so strings, numbers, booleans and null are all it holds.
function copyValue(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return typeof value === 'string' ? copyText(value) : String(value);
}

function copyLine({ uuid, input }: BulkRow): string {
  let line = uuid;
  for (const field of INPUT_FIELDS) line += `\t${copyValue(input[field])}`;
  return `${line}\n`;
}

async function* copyChunks(rows: AsyncIterable<BulkRow>, counted: (rows: number) => void): AsyncGenerator<string> {
  let chunk = '';
  let sent = 0;
  for await (const row of rows) {
    chunk += copyLine(row);
    sent++;
    if (chunk.length >= COPY_CHUNK_BYTES) {
      yield chunk;
      chunk = '';
      counted(sent);
    }
  }
  if (chunk) yield chunk;
  counted(sent);
}

async function copyIntoPostgres(client: PoolClient, rows: AsyncIterable<BulkRow>, options: BulkLoadOptions): Promise<number> {
  let loaded = 0;
  await client.query('begin');
  try {
    if (options.replace) await client.query('truncate table passenger');
    const copy = client.query(copyFrom(`copy passenger (${COPY_COLUMNS.join(', ')}) from stdin`));
    const counted = (n: number) => {
      loaded = n;
      options.onProgress?.(n);
    };
    // A bad row makes the source throw: pipeline destroys the COPY stream,
    // which sends CopyFail, and the rollback below leaves the table as it was.
    await pipeline(Readable.from(copyChunks(rows, counted)), copy);
    await client.query('commit');
    return loaded;
  } catch (err) {
    await client.query('rollback');
    throw err;
  }
}

// PGlite is one in-process connection: multi-row inserts in one transaction.
async function insertIntoPglite(handle: DatabaseHandle, rows: AsyncIterable<BulkRow>, options: BulkLoadOptions): Promise<number> {
  return handle.db.transaction().execute(async (trx) => {
    if (options.replace) await sql`truncate table passenger`.execute(trx);
    let loaded = 0;
    let batch: BulkRow[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await trx
        .insertInto('passenger')
        .values(batch.map(({ uuid, input }) => ({ uuid, ...toRow(input) })))
        .execute();
      loaded += batch.length;
      batch = [];
      options.onProgress?.(loaded);
    };
    for await (const row of rows) {
      batch.push(row);
      if (batch.length >= INSERT_BATCH_ROWS) await flush();
    }
    await flush();
    return loaded;
  });
}

// Loads every row or none: one transaction, COPY on PostgreSQL. Resolves with
// the number of rows loaded; rejects (table unchanged) with the source's error.
export async function bulkLoadPassengers(handle: DatabaseHandle, rows: AsyncIterable<BulkRow>, options: BulkLoadOptions): Promise<number> {
  if (handle.kind === 'pglite') return insertIntoPglite(handle, rows, options);
  const client = await handle.pool.connect();
  try {
    return await copyIntoPostgres(client, rows, options);
  } finally {
    client.release();
  }
}
