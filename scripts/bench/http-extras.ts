// The cost of issue 15's HTTP features, printed by `npm run bench` next to
// (never inside) the main figures, which stay uncompressed and unconditional:
// - the 887-row list's size and the server's CPU per request with no
//   compression, br and gzip (sequential requests, so CPU is the server's own);
// - the µs a list page's weak ETag costs (a microbenchmark in this process).
import { get } from 'node:http';
import { pageETag } from '../../src/passengers/passenger.etag';
import { toPassenger } from '../../src/passengers/passenger.table';
import { measureProcess } from './processes';

const REQUESTS = 200;

function fetchBytes(url: string, acceptEncoding: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers: acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {} }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => {
        if (res.statusCode === 200) resolve(bytes);
        else reject(new Error(`${url}: ${res.statusCode}`));
      });
    }).on('error', reject);
  });
}

interface CompressionFigure {
  encoding: string;
  bytes: number;
  cpuMicrosPerRequest: number;
}

export async function listCompressionFigures(listUrl: string, serverPid: number): Promise<CompressionFigure[]> {
  const figures: CompressionFigure[] = [];
  for (const encoding of ['identity', 'br', 'gzip']) {
    const accept = encoding === 'identity' ? undefined : encoding;
    const bytes = await fetchBytes(listUrl, accept); // also warms up
    const { cpuMs } = await measureProcess(
      serverPid,
      (async () => {
        for (let i = 0; i < REQUESTS; i++) await fetchBytes(listUrl, accept);
      })(),
    );
    figures.push({ encoding, bytes, cpuMicrosPerRequest: Math.round((cpuMs * 1000) / REQUESTS) });
  }
  return figures;
}

// The page tag over `rows` rows, and the per-row copy that keeps the version
// (selected for the tag) out of the body.
export function pageETagMicros(rows = 1000, iterations = 2000): { etagMicros: number; stripMicros: number } {
  const page = Array.from({ length: rows }, (_, i) => ({
    uuid: `1b2c3d4e-0000-4000-8000-${String(i).padStart(12, '0')}`,
    survived: i % 2 === 0,
    passengerClass: 3,
    name: `Passenger ${i}`,
    sex: 'male' as const,
    age: 30,
    siblingsOrSpousesAboard: 0,
    parentsOrChildrenAboard: 0,
    fare: 7.25,
    version: i + 1,
  }));
  const versions = page.map((row) => row.version);
  const time = (work: () => unknown): number => {
    for (let i = 0; i < iterations / 10; i++) work(); // JIT
    const began = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) work();
    return Number(process.hrtime.bigint() - began) / 1000 / iterations;
  };
  const etagMicros = time(() => pageETag(page, versions, false));
  const stripMicros = time(() => page.map(toPassenger));
  return { etagMicros: Math.round(etagMicros * 10) / 10, stripMicros: Math.round(stripMicros * 10) / 10 };
}

export function printHttpExtras(figures: CompressionFigure[], etag: { etagMicros: number; stripMicros: number }): void {
  console.log(`GET /passengerlist (887 rows), ${REQUESTS} sequential requests per encoding:`);
  for (const f of figures) console.log(`  ${f.encoding.padEnd(8)} ${String(f.bytes).padStart(7)} bytes  ${f.cpuMicrosPerRequest} server CPU µs/req`);
  console.log(`list page ETag, 1000 rows: ${etag.etagMicros} µs to hash (uuid, version) pairs, ${etag.stripMicros} µs to copy the rows without their version`);
}
