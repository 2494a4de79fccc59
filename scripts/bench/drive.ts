// One measured load run against one server process: autocannon in its own
// process (load.ts), the server's CPU time and peak RSS read from /proc.
import { join } from 'node:path';
import { ROOT } from './database';
import { measureProcess, run } from './processes';

interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  warmupRequests: number;
  non2xx: number;
  errors: number;
}

export interface Measured extends LoadResult {
  peakRssMb: number;
  cpuMicrosPerRequest: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  body?: string;
  uuidFile?: string;
}

export async function load(url: string, method: string, pid: number, options: LoadOptions): Promise<Measured> {
  const args = [join(__dirname, 'load.ts'), url, method, String(options.connections), String(options.seconds)];
  if (options.body || options.uuidFile) args.push(options.body ?? '', ...(options.uuidFile ? [options.uuidFile] : []));
  const work = run(join(ROOT, 'node_modules', '.bin', 'tsx'), args);
  const { result, peakRssMb, cpuMs } = await measureProcess(pid, work);
  const summary = JSON.parse(result.stdout) as LoadResult;
  if (summary.non2xx || summary.errors) throw new Error(`${method} ${url}: ${summary.non2xx} non-2xx answers, ${summary.errors} errors`);
  // The warm-up's requests are in the CPU time too.
  const cpuMicrosPerRequest = Math.round((cpuMs * 1000) / (summary.requests + summary.warmupRequests));
  return { ...summary, peakRssMb, cpuMicrosPerRequest };
}
