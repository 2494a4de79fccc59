import type { Readable } from 'node:stream';
import type { ErrorObject } from 'ajv';
import { parse } from 'csv-parse';
import type { PassengerInput } from '../passengers/passenger.table';
import { compileComponentSchema, errorMessage, loadSpec } from '../spec';

// The Titanic CSV format: the column that fills each input field, in the
// file's column order. Keyed by field, so a field added to PassengerInput
// fails to compile here until it has a column.
const CSV_HEADER_OF = {
  survived: 'Survived',
  passengerClass: 'Pclass',
  name: 'Name',
  sex: 'Sex',
  age: 'Age',
  siblingsOrSpousesAboard: 'Siblings_Spouses_Aboard',
  parentsOrChildrenAboard: 'Parents_Children_Aboard',
  fare: 'Fare',
} as const satisfies { [F in keyof PassengerInput]-?: string };

const CSV_COLUMNS = (Object.entries(CSV_HEADER_OF) as [keyof PassengerInput, string][]).map(([field, column]) => [column, field] as const);
const HEADER = CSV_COLUMNS.map(([column]) => column);
export const CSV_HEADER = HEADER.join(',');
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

// A refused file: the message is `FILE:LINE: what is wrong`.
class CsvRowError extends Error {
  constructor(file: string, line: number, what: string) {
    super(`${file}:${line}: ${what}`);
    this.name = 'CsvRowError';
  }
}

interface CsvPassenger {
  line: number;
  input: PassengerInput;
}

// Text that does not convert stays text, so the schema, not this function,
// says what is wrong with it ("must be integer", "must be boolean").
function convert(field: keyof PassengerInput, text: string): unknown {
  if (field === 'name' || field === 'sex') return text;
  if (field === 'survived') return text === '1' ? true : text === '0' ? false : text;
  if (field === 'age' && text.trim() === '') return null;
  return NUMBER.test(text.trim()) ? Number(text) : text;
}

function describe(error: ErrorObject, record: Record<string, unknown>): string {
  const field = error.instancePath.slice(1);
  const column = CSV_COLUMNS.find(([, name]) => name === field)?.[0] ?? field;
  const allowed = error.keyword === 'enum' ? ` (${(error.params.allowedValues as string[]).join(' or ')})` : '';
  return `${column} ${errorMessage(error)}${allowed}, got ${JSON.stringify(record[field])}`;
}

const validatePassengerInput = compileComponentSchema<PassengerInput>(loadSpec(), 'PassengerInput');

// Streams passengers out of a CSV file, one validated row at a time (constant
// memory). The first bad row throws CsvRowError naming its line.
export async function* readPassengerCsv(source: Readable, file: string): AsyncGenerator<CsvPassenger> {
  // Where the last whole record ended: a quote never closed swallows the rest
  // of the file, so csv-parse reports it at the last line; its record starts
  // on the first line after this one that is not blank. Noted as the parser
  // parses, not as the loop below consumes: the parser runs ahead, and by the
  // time its error reaches the loop the records it buffered are dropped.
  let ended: ParseInfo = { lines: 0, empty_lines: 0 };
  const noteEnd = (entry: { info: ParseInfo }) => {
    ended = { lines: entry.info.lines, empty_lines: entry.info.empty_lines };
    return entry;
  };
  const parser = source.pipe(parse({ info: true, bom: true, skip_empty_lines: true, on_record: noteEnd as never }));
  source.once('error', (err) => parser.destroy(err));
  let headerSeen = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: ParseInfo }>) {
      if (!headerSeen) {
        if (record.join(',') !== HEADER.join(',')) {
          throw new CsvRowError(file, info.lines, `the header must be ${HEADER.join(',')}, got ${record.join(',')}`);
        }
        headerSeen = true;
        continue;
      }
      const candidate: Record<string, unknown> = {};
      CSV_COLUMNS.forEach(([, field], i) => (candidate[field] = convert(field, record[i])));
      if (!validatePassengerInput(candidate)) {
        throw new CsvRowError(file, info.lines, (validatePassengerInput.errors ?? []).map((e) => describe(e, candidate)).join('; '));
      }
      yield { line: info.lines, input: candidate };
    }
  } catch (err) {
    throw toCsvRowError(err, file, ended);
  }
  if (!headerSeen) throw new CsvRowError(file, 1, `the file is empty; expected the header ${HEADER.join(',')}`);
}

interface ParseInfo {
  lines: number;
  empty_lines: number;
}

// csv-parse's own errors (wrong field count, broken quoting) carry the line too.
function toCsvRowError(err: unknown, file: string, ended: ParseInfo): Error {
  if (err instanceof CsvRowError) return err;
  if (err instanceof Error && 'lines' in err && typeof err.lines === 'number') {
    const code = 'code' in err ? err.code : undefined;
    if (code === 'CSV_QUOTE_NOT_CLOSED') {
      const blank = 'empty_lines' in err && typeof err.empty_lines === 'number' ? err.empty_lines - ended.empty_lines : 0;
      return new CsvRowError(file, ended.lines + blank + 1, 'a quoted field opened on this line is never closed (a missing " ?)');
    }
    const what =
      code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
        ? `expected ${HEADER.length} fields (${HEADER.join(',')}), got ${'record' in err && Array.isArray(err.record) ? err.record.length : 'a different number'}`
        : err.message.replace(/^Invalid \w+: /, '');
    return new CsvRowError(file, err.lines, what);
  }
  // File system errors (ENOENT, EACCES…); duck-typed, as they may come from another realm.
  if (typeof err === 'object' && err !== null && 'syscall' in err && 'message' in err) {
    return new Error(`${file}: cannot read the file: ${String(err.message)}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}
