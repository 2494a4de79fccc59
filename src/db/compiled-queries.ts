import { isDeepStrictEqual } from 'node:util';
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema';

// Kysely builds a query as a tree of immutable nodes and compiles it to SQL
// on every call; for the service's few fixed statements that was ~10% of a
// POST's server CPU and a quarter of a GET's. Each statement is built and
// compiled once per database and shape (which optional clauses it has), then
// run with each call's parameters. The same SQL string object is then passed
// on every call, so the prepared-statement name lookup keyed by that text
// (prepared-statements.ts) reuses the string's cached hash.
const cache = new WeakMap<Kysely<Database>, Map<string, CompiledQuery>>();

// `shape` names everything that changes the SQL text; `parameters` are this
// call's values in the order the SQL uses them. On the first call of a shape
// the built query's own parameters must equal them, so a clause added to
// `build` but not to `parameters` fails at once, not with another row's values.
export function compiledOnce<R>(db: Kysely<Database>, shape: string, parameters: readonly unknown[], build: () => Compilable<R>): CompiledQuery<R> {
  let shapes = cache.get(db);
  if (!shapes) {
    shapes = new Map();
    cache.set(db, shapes);
  }
  const compiled = shapes.get(shape) as CompiledQuery<R> | undefined;
  if (compiled) {
    // A shape name that misses a clause shows here as a different count.
    if (compiled.parameters.length !== parameters.length)
      throw new Error(`query "${shape}": ${parameters.length} parameters for ${compiled.parameters.length}`);
    return { ...compiled, parameters };
  }
  const fresh = build().compile();
  if (!isDeepStrictEqual(fresh.parameters, parameters)) {
    throw new Error(`query "${shape}": the parameters given are not the built query's, in its order`);
  }
  shapes.set(shape, fresh);
  return fresh;
}
