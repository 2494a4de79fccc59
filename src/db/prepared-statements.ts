import type { PostgresCursor, PostgresPool, PostgresPoolClient } from 'kysely';
import type { Pool, PoolClient } from 'pg';

// Kysely hands node-postgres SQL text only, so PostgreSQL parses and plans
// every query again. Given a name, node-postgres prepares the statement once
// per connection and then only binds and executes it, skipping the parse and
// plan every statement repeats (measured with pgbench: bench/results/README.md).
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
  // query_timeout, a socket error) leaves its connection in an unknown state:
  // the statement may still be on the wire and every later query on it would
  // queue behind it, for good if the network path died. So that client is
  // destroyed on release, and every connection opened before such a failure
  // is suspect too: it is dropped when next borrowed,
  // unused, and a fresh one is made. After a partition no request then meets
  // a connection that died in it. Errors PostgreSQL answered (a SQLSTATE)
  // leave the connection usable.
  const broken = new WeakSet<PoolClient>();
  let failures = 0;
  // The failure count when a client was first borrowed: pg-pool hands out a
  // new client as soon as it connects, so this is its age in failures.
  const bornAfter = new WeakMap<PoolClient, number>();
  const answeredByServer = (err: unknown) =>
    typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code);
  const wrap = (client: PoolClient): PostgresPoolClient => ({
    query: (async (textOrCursor: string | PostgresCursor<unknown>, values?: readonly unknown[]) => {
      if (typeof textOrCursor !== 'string') return client.query(textOrCursor as never);
      try {
        return await client.query({ name: nameFor(textOrCursor), text: textOrCursor, values: values as unknown[] });
      } catch (err) {
        if (!answeredByServer(err)) {
          broken.add(client);
          failures++;
        }
        throw err;
      }
    }) as unknown as PostgresPoolClient['query'],
    // pg passes an Error here too (release(err)), which destroys the client like `true`.
    release: (destroy?: boolean | Error) => {
      client.release(destroy === undefined || destroy === false ? broken.has(client) : destroy);
    },
  });
  const borrow = async (): Promise<PoolClient> => {
    for (;;) {
      const client = await pool.connect();
      if (!bornAfter.has(client)) bornAfter.set(client, failures);
      if (bornAfter.get(client) === failures) return client;
      client.release(true);
    }
  };
  return {
    connect: async () => {
      const client = await borrow();
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
