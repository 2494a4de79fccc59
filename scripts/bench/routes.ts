// The routes `npm run bench` drives, each with the ceiling it is measured
// against, and the SQL the service runs for them (pgbench and the floors run
// the same statements).
import type { PassengerInput } from '../../src/passengers/passenger.table';
import type { LoadOptions } from './drive';
import { load } from './drive';
import { pgbenchCeiling } from './pgbench';
import { pidOf } from './processes';
import type { Server } from './servers';
import { INPUT_FIELDS, INSERT_COLUMNS, SELECT_COLUMNS } from './sql';

export const POST_NAME = 'Post-Test-Name';
export const POST_BODY: PassengerInput = {
  survived: true,
  passengerClass: 2,
  name: POST_NAME,
  sex: 'male',
  age: 27,
  siblingsOrSpousesAboard: 0,
  parentsOrChildrenAboard: 0,
  fare: 13,
};
// A get also reads the version its ETag names.
const SELECT_BY_UUID = (uuid: string) => `select ${SELECT_COLUMNS}, version from passenger where uuid = '${uuid}'`;
export const SELECT_BY_UUID_PARAM = `select ${SELECT_COLUMNS}, version from passenger where uuid = $1`;
export const LIST_SQL = `select ${SELECT_COLUMNS} from passenger order by uuid limit 1001`;
// POST_BODY's values as SQL literals (its name has no quote to escape).
const INSERT_SQL = `insert into passenger (${INSERT_COLUMNS}) values (${INPUT_FIELDS.map((field) => {
  const value = POST_BODY[field];
  return typeof value === 'string' ? `'${value}'` : String(value);
}).join(', ')}) returning ${SELECT_COLUMNS}`;
const PGBENCH_UUID_SCRIPTS = 100; // pgbench takes at most 128 scripts

export type RouteKey = 'hello' | 'get' | 'list' | 'post';

export interface Route {
  key: RouteKey;
  route: string;
  method: string;
  path: string;
  options: LoadOptions;
  ceiling: () => Promise<{ name: string; requestsPerSecond: number }>;
}

interface RouteContext {
  databaseUrl: string;
  uuids: string[];
  uuidFile: string;
  bare: Server;
  run: { connections: number; seconds: number };
  // Deletes what a POST run inserted, so every list run reads the same rows.
  removePosted: () => Promise<void>;
}

export function benchRoutes({ databaseUrl, uuids, uuidFile, bare, run, removePosted }: RouteContext): Route[] {
  return [
    {
      key: 'hello',
      route: 'GET /hello',
      method: 'GET',
      path: '/hello',
      options: run,
      ceiling: async () => ({ name: 'bare node:http', requestsPerSecond: (await load(`${bare.base}/hello`, 'GET', pidOf(bare.child), run)).requestsPerSecond }),
    },
    {
      key: 'get',
      route: 'GET /getpassenger/{uuid}',
      method: 'GET',
      path: '/getpassenger/{uuid}',
      options: { ...run, uuidFile },
      ceiling: () => pgbenchCeiling('pgbench select by uuid', databaseUrl, uuids.slice(0, PGBENCH_UUID_SCRIPTS).map(SELECT_BY_UUID), run),
    },
    {
      key: 'list',
      route: 'GET /passengerlist (887 rows)',
      method: 'GET',
      path: '/passengerlist',
      options: run,
      ceiling: () => pgbenchCeiling('pgbench whole-table select', databaseUrl, [LIST_SQL], run),
    },
    {
      key: 'post',
      route: 'POST /postpassenger',
      method: 'POST',
      path: '/postpassenger',
      options: { ...run, body: JSON.stringify(POST_BODY) },
      ceiling: async () => {
        const ceiling = await pgbenchCeiling('pgbench insert returning', databaseUrl, [INSERT_SQL], run);
        await removePosted();
        return ceiling;
      },
    },
  ];
}
