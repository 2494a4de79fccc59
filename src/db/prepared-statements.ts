import type { PostgresCursor, PostgresPool, PostgresPoolClient } from 'kysely';
import type { Pool, PoolClient } from 'pg';

// Kysely hands node-postgres SQL text only, so PostgreSQL parses and plans
// every query again. Given a name, node-postgres prepares the statement once
// per connection and then only binds and executes it: pgbench measured 1.4–1.7×
// the throughput of unnamed statements for a select by uuid on this machine.
// Only data statements are named (not DDL or transaction control), and only
// the first MAX_NAMED distinct texts, so a query built with a varying shape
// cannot grow the cache without bound. Reads list their columns (never `*`),
// so adding a column does not invalidate the prepared result type.
const NAMED = /^\s*(select|insert|update|delete|with)\b/i;
const MAX_NAMED = 200;

export function preparedStatementPool(pool: Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameFor = (text: string): string | undefined => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_NAMED && NAMED.test(text)) {
      name = `passenger_api_${names.size + 1}`;
      names.set(text, name);
    }
    return name;
  };
  const wrappers = new WeakMap<PoolClient, PostgresPoolClient>();
  // A query that failed without an answer from the server (node-postgres's
  // query_timeout, a socket error) leaves the connection in an unknown state:
  // the statement may still be on the wire, and every later query on it would
  // queue behind it (for good, if the network path died). Such a client is
  // destroyed on release instead of going back to the pool. Errors PostgreSQL
  // answered (with a SQLSTATE) leave the connection usable.
  const broken = new WeakSet<PoolClient>();
  const wrap = (client: PoolClient): PostgresPoolClient => ({
    query: (async (textOrCursor: string | PostgresCursor<unknown>, values?: ReadonlyArray<unknown>) => {
      if (typeof textOrCursor !== 'string') return client.query(textOrCursor as never);
      try {
        return await client.query({ name: nameFor(textOrCursor), text: textOrCursor, values: values as unknown[] });
      } catch (err) {
        if (!(typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code))) {
          broken.add(client);
        }
        throw err;
      }
    }) as unknown as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy || broken.has(client)),
  });
  return {
    connect: async () => {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}
