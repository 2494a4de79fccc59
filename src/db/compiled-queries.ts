import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema';

// Kysely builds a query as a tree of immutable nodes and compiles it to SQL
// on every call; for the service's few fixed statements that build was a
// measurable share of each request (docs/performance.md). So each statement
// is built and compiled once per database and shape, then run with each
// call's values. The same SQL string object is passed on every call, so the
// prepared-statement name lookup keyed by that text (prepared-statements.ts)
// reuses the string's cached hash.
//
// A statement's parameters are named: `build` receives them as an object
// typed P and uses each only as a value, in a Kysely expression. While a shape
// is built, every parameter is a placeholder object of its own, so after
// compiling, where each placeholder sits in the query's parameters says where
// that name's value goes. A caller passes an object, so the compiler checks
// each name and type against P, and no order can be wrong. The parameters
// left undefined are absent, and which are present is the shape: the optional
// clauses (`if (p.after !== undefined) query = query.where(…)`).

type Parameters = Record<string, unknown>;

class Placeholder {
  constructor(readonly name: string) {}
}

// Where each of the compiled query's parameters comes from: a name, or a
// value Kysely put there itself (a literal in the builder).
type Slot = { name: string } | { value: unknown };

interface Shape<R> {
  compiled: CompiledQuery<R>;
  slots: Slot[];
}

// The names of the present parameters, sorted: key order in the caller's
// object (a merge patch follows the client's JSON) never makes a new shape.
function shapeOf(parameters: Parameters): string {
  return Object.keys(parameters)
    .filter((name) => parameters[name] !== undefined)
    .sort()
    .join(',');
}

function compileShape<P extends object, R>(
  statement: string,
  db: Kysely<Database>,
  parameters: P,
  build: (db: Kysely<Database>, p: P) => Compilable<R>,
): Shape<R> {
  const placeholders: Parameters = {};
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined) placeholders[name] = new Placeholder(name);
  }
  const compiled = build(db, placeholders as P).compile();
  const slots = compiled.parameters.map((value): Slot => (value instanceof Placeholder ? { name: value.name } : { value }));
  // An absent parameter read as a value, without the check that leaves its clause out.
  if (slots.some((slot) => 'value' in slot && slot.value === undefined)) {
    throw new Error(`statement "${statement}" puts an absent parameter into its SQL`);
  }
  const used = new Set(slots.flatMap((slot) => ('name' in slot ? [slot.name] : [])));
  const unused = Object.keys(placeholders).filter((name) => !used.has(name));
  // A parameter its builder never reads is a clause missing from the SQL.
  if (unused.length) throw new Error(`statement "${statement}" does not use its parameter(s) ${unused.join(', ')}`);
  return { compiled, slots };
}

export type Statement<P extends object, R> = (db: Kysely<Database>, parameters: P) => CompiledQuery<R>;

export function statement<P extends object, R>(name: string, build: (db: Kysely<Database>, p: P) => Compilable<R>): Statement<P, R> {
  const cache = new WeakMap<Kysely<Database>, Map<string, Shape<R>>>();
  return (db, parameters) => {
    let shapes = cache.get(db);
    if (!shapes) {
      shapes = new Map();
      cache.set(db, shapes);
    }
    const named = parameters as Parameters;
    const key = shapeOf(named);
    let shape = shapes.get(key);
    if (!shape) {
      shape = compileShape(name, db, parameters, build);
      shapes.set(key, shape);
    }
    const values = shape.slots.map((slot) => ('name' in slot ? named[slot.name] : slot.value));
    return { ...shape.compiled, parameters: values };
  };
}
