import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { DatabaseHandle } from '../db/database';
import { countPassengers } from '../passengers/passenger.repository';
import { type BulkRow, bulkLoadPassengers } from './bulk-load';
import { readPassengerCsv } from './passenger-csv';
import type { Progress } from './progress';
import { syntheticPassengers } from './synthetic';

export interface CommandOptions {
  replace: boolean;
  progress?: Progress;
}

interface ImportOptions extends CommandOptions {
  // With replace: a file without data rows may empty the table.
  allowEmpty?: boolean;
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

async function* startingWith<T>(first: T, rest: AsyncIterator<T>): AsyncGenerator<T> {
  yield first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

// `node dist/bulk/import.js FILE.csv|- [--replace] [--allow-empty]`: all rows or none.
// A header-only file with --replace would empty the table: refused (nothing
// changed) unless --allow-empty says that is meant.
export async function importCsvFile(handle: DatabaseHandle, file: string, options: ImportOptions): Promise<number> {
  const rows = withNewUuids(file);
  const first = await rows.next();
  if (first.done) {
    if (options.replace && !options.allowEmpty) {
      const stored = await countPassengers(handle.db);
      throw new Error(
        `${file === '-' ? 'stdin' : file}: no data rows after the header; --replace would delete all ${stored} rows. Pass --allow-empty to empty the table on purpose.`,
      );
    }
    return load(handle, asAsync([]), options);
  }
  return load(handle, startingWith(first.value, rows), options);
}

// eslint-disable-next-line @typescript-eslint/require-await -- an async generator is the simplest AsyncIterable over a plain list; nothing to await
async function* asAsync<T>(rows: Iterable<T>): AsyncGenerator<T> {
  yield* rows;
}

// `npm run seed:synthetic -- --rows N [--seed S]`: the same seed, the same rows.
export async function seedSynthetic(handle: DatabaseHandle, generate: { rows: number; seed: number }, options: CommandOptions): Promise<number> {
  return load(handle, asAsync(syntheticPassengers(generate.rows, generate.seed)), options);
}
