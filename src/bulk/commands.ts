import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { DatabaseHandle } from '../db/database';
import { type BulkRow, bulkLoadPassengers } from './bulk-load';
import { readPassengerCsv } from './passenger-csv';
import type { Progress } from './progress';
import { syntheticPassengers } from './synthetic';

export interface CommandOptions {
  replace: boolean;
  progress?: Progress;
}

async function load(handle: DatabaseHandle, rows: AsyncIterable<BulkRow>, options: CommandOptions): Promise<number> {
  const loaded = await bulkLoadPassengers(handle, rows, { replace: options.replace, onProgress: (n) => options.progress?.update(n) });
  options.progress?.done(loaded);
  return loaded;
}

// `-` is standard input, named `stdin` in a refused row's `stdin:LINE: …`.
async function* withNewUuids(file: string): AsyncGenerator<BulkRow> {
  const [source, name] = file === '-' ? [process.stdin, 'stdin'] : [createReadStream(file), file];
  for await (const { input } of readPassengerCsv(source, name)) yield { uuid: randomUUID(), input };
}

// `node dist/bulk/import.js FILE.csv|- [--replace]`: all rows or none.
export async function importCsvFile(handle: DatabaseHandle, file: string, options: CommandOptions): Promise<number> {
  return load(handle, withNewUuids(file), options);
}

async function* asAsync<T>(rows: Iterable<T>): AsyncGenerator<T> {
  yield* rows;
}

// `npm run seed:synthetic -- --rows N [--seed S]`: the same seed, the same rows.
export async function seedSynthetic(
  handle: DatabaseHandle,
  generate: { rows: number; seed: number },
  options: CommandOptions,
): Promise<number> {
  return load(handle, asAsync(syntheticPassengers(generate.rows, generate.seed)), options);
}
