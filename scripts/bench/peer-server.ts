// The benchmark's peer: the best Node stack doing the same job, so ours is
// judged against something attainable. Fastify 5 + fastify-openapi-glue
// loaded with this project's spec (routes, Ajv validation and fast-json-stringify
// serialisation per response schema all come from it), node-postgres with a
// Pool of 10 and named prepared statements, `logger: true` (pino, a line at
// request start and one at its end). It serves only what the bench drives and
// does less than ours per request: no metrics, no ETag or X-Request-Id, the
// first validation error only, unknown body fields dropped (Fastify's Ajv
// defaults). Not a second implementation of the service.
// Compiled by tsc and run by plain node (see servers.ts), like ours: neither
// tsx's process nor its loader inflates the peer's RSS or CPU. Imports nothing
// of ours but the column declaration its SQL is written from (sql.ts).
// usage: node .bench/scripts/bench/peer-server.js PORT DATABASE_URL SPEC_PATH
// bench:js builds the same app with createPeer() over its in-memory driver.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { fastifyOpenapiGlue } from 'fastify-openapi-glue';
import { Pool, type QueryConfig, type QueryResult, type QueryResultRow } from 'pg';
import type { components, operations } from '../../generated/openapi';
import { INPUT_FIELDS, INSERT_COLUMNS, PASSENGER_COLUMNS, SELECT_COLUMNS } from './sql';

// The part of node-postgres's Pool the peer uses.
export interface PeerPool {
  query<R extends QueryResultRow>(query: string | QueryConfig): Promise<QueryResult<R>>;
}

const GET_SQL = `select ${SELECT_COLUMNS} from passenger where uuid = $1`;
const INSERT_SQL = `insert into passenger (${INSERT_COLUMNS}) values (${INPUT_FIELDS.map((_, i) => `$${i + 1}`).join(', ')}) returning ${SELECT_COLUMNS}`;

// The spec's own types: the query as validated (the default limit applied), the body, a row.
type ListQuery = NonNullable<operations['listPassengers']['parameters']['query']> & { limit: number };
type PassengerBody = components['schemas']['PassengerInput'];
type PassengerRow = components['schemas']['Passenger'];

// One named statement per filter combination, as a keyset page needs.
function listStatement(query: ListQuery): { name: string; text: string; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  const names: string[] = [];
  for (const [column, key] of [
    [PASSENGER_COLUMNS.uuid, 'after'],
    [PASSENGER_COLUMNS.survived, 'survived'],
    [PASSENGER_COLUMNS.passengerClass, 'passengerClass'],
    [PASSENGER_COLUMNS.sex, 'sex'],
  ] as const) {
    if (query[key] === undefined) continue;
    values.push(query[key]);
    where.push(`${column} ${key === 'after' ? '>' : '='} $${values.length}`);
    names.push(key);
  }
  values.push(query.limit + 1);
  const text = `select ${SELECT_COLUMNS} from passenger ${where.length ? `where ${where.join(' and ')} ` : ''}order by uuid limit $${values.length}`;
  return { name: `peer_list_${names.join('_')}`, text, values };
}

const handlersFor = (pool: PeerPool): Record<string, (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>> => ({
  hello: () => Promise.resolve({ message: 'ok' }),
  async listPassengers(req, reply) {
    const query = req.query as ListQuery;
    const { rows } = await pool.query<PassengerRow>(listStatement(query));
    if (rows.length > query.limit) {
      rows.pop();
      const next = new URLSearchParams(req.query as Record<string, string>);
      next.set('after', rows[rows.length - 1].uuid);
      reply.header('Link', `</passengerlist?${next.toString()}>; rel="next"`);
    }
    return rows;
  },
  async getPassenger(req, reply) {
    const { uuid } = req.params as { uuid: string };
    const { rows } = await pool.query<PassengerRow>({ name: 'peer_get', text: GET_SQL, values: [uuid] });
    if (!rows[0]) return reply.code(404).send({ type: 'about:blank', title: 'Not Found', status: 404, detail: `No passenger with uuid ${uuid}.` });
    return rows[0];
  },
  async createPassenger(req, reply) {
    const p = req.body as PassengerBody;
    const values = INPUT_FIELDS.map((field) => p[field]);
    const { rows } = await pool.query<PassengerRow>({ name: 'peer_insert', text: INSERT_SQL, values });
    reply.code(201).header('Location', `/getpassenger/${rows[0].uuid}`);
    return rows[0];
  },
  async readyz() {
    await pool.query('select 1');
    return { status: 'ok' };
  },
});

// `logger`: Fastify's option; true logs to standard output as the server does.
export async function createPeer(pool: PeerPool, specPath: string, logger: boolean | { stream: NodeJS.WritableStream } = true): Promise<FastifyInstance> {
  const handlers = handlersFor(pool);
  const app = Fastify({ logger, ajv: { customOptions: { strict: false } } });
  await app.register(fastifyOpenapiGlue, {
    specification: specPath,
    // Operations the bench does not drive answer 501.
    operationResolver: (operationId) => handlers[operationId] ?? (async (_req: FastifyRequest, reply: FastifyReply) => reply.code(501).send()),
  });
  return app;
}

async function serve(): Promise<void> {
  const [port, databaseUrl, specPath] = process.argv.slice(2);
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const app = await createPeer(pool, specPath);
  await app.listen({ port: Number(port), host: '127.0.0.1' });
  process.on(
    'SIGTERM',
    () =>
      void app
        .close()
        .then(() => pool.end())
        .then(() => process.exit(0)),
  );
}

if (require.main === module) void serve();
