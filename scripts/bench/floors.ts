// The least the stack costs, measured like the service: a Koa app with only
// the /hello route, and node-postgres running the service's statements alone.
// With WORKERS=1 the service's ratios to the ceilings cannot exceed these.
import { join } from 'node:path';
import { ROOT } from '../lib/paths';
import { load } from './drive';
import { pidOf, run, stopProcess } from './processes';
import { type Floor, type RouteResult, round } from './report';
import { LIST_SQL, type RouteKey, SELECT_BY_UUID_PARAM } from './routes';
import { startOneFileServer } from './servers';

interface FloorRun {
  connections: number;
  seconds: number;
  koaPort: number;
}

async function koaHello(options: FloorRun): Promise<{ requestsPerSecond: number; cpuMicrosPerRequest: number }> {
  const koa = await startOneFileServer('koa', 'bare-koa.ts', options.koaPort);
  try {
    const { requestsPerSecond, cpuMicrosPerRequest } = await load(`${koa.base}/hello`, 'GET', pidOf(koa.child), options);
    return { requestsPerSecond, cpuMicrosPerRequest };
  } finally {
    await stopProcess(koa.child);
  }
}

async function pgClient(mode: 'get' | 'list', url: string, text: string, options: FloorRun, uuidFile?: string) {
  const args = [join(__dirname, 'pg-client.ts'), url, mode, String(options.connections), String(options.seconds), text, ...(uuidFile ? [uuidFile] : [])];
  const { stdout } = await run(join(ROOT, 'node_modules', '.bin', 'tsx'), args);
  return JSON.parse(stdout) as { requestsPerSecond: number; cpuMicrosPerRequest: number };
}

// A floor for each measured route that has one, against that route's ceiling.
export async function measureFloors(url: string, uuidFile: string, results: Map<RouteKey, RouteResult>, options: FloorRun): Promise<Floor[]> {
  const floors: Omit<Floor, 'ratio'>[] = [];
  const hello = results.get('hello')?.ceiling;
  if (hello) floors.push({ what: 'Koa + @koa/router /hello, no middleware', ...(await koaHello(options)), ceiling: hello });
  const get = results.get('get')?.ceiling;
  if (get)
    floors.push({ what: 'node-postgres select by uuid, no HTTP', ...(await pgClient('get', url, SELECT_BY_UUID_PARAM, options, uuidFile)), ceiling: get });
  const list = results.get('list')?.ceiling;
  if (list) floors.push({ what: 'node-postgres 887-row select + JSON.stringify, no HTTP', ...(await pgClient('list', url, LIST_SQL, options)), ceiling: list });
  return floors.map((f) => ({ ...f, ratio: round(f.requestsPerSecond / f.ceiling.requestsPerSecond, 3) }));
}
