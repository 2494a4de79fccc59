// An in-memory stand-in for node-postgres, for `npm run bench:js`: the few
// statements the bench drives, answered from canned passenger rows, with a
// fresh object per row as the driver's parser makes one. Ours reaches it
// through Kysely's PostgresDialect (pool.connect(), client.query(config));
// the peer calls pool.query(config). Both get the same rows for the same
// statement, shaped by the column list the statement names.
import type { QueryConfig, QueryResult, QueryResultRow } from 'pg';
import type { components } from '../../generated/openapi';

export type CannedPassenger = components['schemas']['Passenger'];

type Row = CannedPassenger & { version?: number };

export interface FakeDriver {
  query<R extends QueryResultRow>(query: string | QueryConfig): Promise<QueryResult<R>>;
  connect(): Promise<{ query: FakeDriver['query']; release(): void }>;
  end(): Promise<void>;
}

// The list is read `order by uuid limit $n`, a row by `where uuid = $1`, and
// an insert names the eight input columns in the order of its values.
const LIST = /\border by "?uuid"? limit \$\d+\s*$/i;
const BY_UUID = /\bwhere "?uuid"? = \$1\s*$/i;
const INSERT = /^\s*insert\b/i;

export function fakeDriver(passengers: readonly CannedPassenger[]): FakeDriver {
  const sorted = [...passengers].sort((a, b) => (a.uuid < b.uuid ? -1 : 1));
  const versioned: Row[] = sorted.map((p) => ({ ...p, version: 1 }));
  const plain: Row[] = sorted.map((p) => ({ ...p }));
  const indexOf = new Map(sorted.map((p, i) => [p.uuid, i]));
  let inserted = 0;

  const answer = (text: string, values: readonly unknown[]): { command: string; rows: Row[] } => {
    // Ours selects the version its ETag names; the peer does not.
    const rows = /\bversion\b/.test(text) ? versioned : plain;
    if (text.trim() === 'select 1') return { command: 'SELECT', rows: [{ '?column?': 1 } as never] };
    if (INSERT.test(text)) {
      const [survived, passengerClass, name, sex, age, siblingsOrSpousesAboard, parentsOrChildrenAboard, fare] = values as never[];
      inserted++;
      const uuid = `00000000-0000-4000-8000-${String(inserted).padStart(12, '0')}`;
      const row: Row = { uuid, survived, passengerClass, name, sex, age, siblingsOrSpousesAboard, parentsOrChildrenAboard, fare };
      if (rows === versioned) row.version = 1;
      return { command: 'INSERT', rows: [row] };
    }
    if (/\bwhere\b/i.test(text) && !BY_UUID.test(text)) throw new Error(`bench:js drives the unfiltered list only: ${text}`);
    if (LIST.test(text)) return { command: 'SELECT', rows: rows.slice(0, Number(values.at(-1))).map((row) => ({ ...row })) };
    if (BY_UUID.test(text)) {
      const i = indexOf.get(String(values[0]));
      return { command: 'SELECT', rows: i === undefined ? [] : [{ ...rows[i] }] };
    }
    throw new Error(`the bench's driver does not know this statement: ${text}`);
  };

  const query = <R extends QueryResultRow>(q: string | QueryConfig): Promise<QueryResult<R>> => {
    const { command, rows } = typeof q === 'string' ? answer(q, []) : answer(q.text, q.values ?? []);
    return Promise.resolve({ command, rowCount: rows.length, rows: rows as unknown as R[], oid: 0, fields: [] });
  };
  return {
    query,
    connect: () => Promise.resolve({ query, release: () => undefined }),
    end: () => Promise.resolve(),
  };
}
