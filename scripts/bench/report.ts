// Medians, spreads and the printed tables of `npm run bench`.
import type { Measured } from './drive';

export interface Summary {
  requestsPerSecond: number;
  cpuMicrosPerRequest: number;
  p50Ms: number;
  p99Ms: number;
  // The highest RSS sampled during any round's load.
  peakRssMb: number;
  // [lowest, highest] over the rounds.
  requestsPerSecondRange: [number, number];
  cpuMicrosPerRequestRange: [number, number];
  rounds: Measured[];
}

export interface RouteResult {
  route: string;
  servers: Record<string, Summary>;
  // ours / peer, medians of the same run: below 1 is ours ahead on CPU.
  oursToPeer: { cpuMicrosPerRequest: number; requestsPerSecond: number; peakRssMb: number };
  ceiling: { name: string; requestsPerSecond: number };
  oursToCeiling: number;
}

export interface Floor {
  what: string;
  requestsPerSecond: number;
  cpuMicrosPerRequest: number;
  ceiling: { name: string; requestsPerSecond: number };
  ratio: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function round(value: number, digits = 2): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

export function summarise(rounds: Measured[]): Summary {
  const of = (key: 'requestsPerSecond' | 'cpuMicrosPerRequest') => rounds.map((r) => r[key]);
  const range = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];
  return {
    requestsPerSecond: Math.round(median(of('requestsPerSecond'))),
    cpuMicrosPerRequest: Math.round(median(of('cpuMicrosPerRequest'))),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    peakRssMb: Math.max(...rounds.map((r) => r.peakRssMb)),
    requestsPerSecondRange: range(of('requestsPerSecond')).map(Math.round) as [number, number],
    cpuMicrosPerRequestRange: range(of('cpuMicrosPerRequest')),
    rounds,
  };
}

export function printRows(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
}

export function printRoutes(routes: RouteResult[], rounds: number, loads: number[][]): void {
  const rows = [['route', 'server', 'req/s', '(range)', 'CPU µs/req', '(range)', 'p50 ms', 'p99 ms', 'peak RSS MB']];
  for (const r of routes) {
    Object.entries(r.servers).forEach(([name, s], i) => {
      rows.push([
        i === 0 ? r.route : '',
        name,
        String(s.requestsPerSecond),
        s.requestsPerSecondRange.join('-'),
        String(s.cpuMicrosPerRequest),
        s.cpuMicrosPerRequestRange.join('-'),
        s.p50Ms.toFixed(1),
        s.p99Ms.toFixed(1),
        String(s.peakRssMb),
      ]);
    });
    const ratio = r.oursToPeer;
    rows.push([
      '',
      'ours/peer',
      `${ratio.requestsPerSecond.toFixed(2)}×`,
      '',
      `${ratio.cpuMicrosPerRequest.toFixed(2)}×`,
      '',
      '',
      '',
      `${ratio.peakRssMb.toFixed(2)}×`,
    ]);
    rows.push(['', `ceiling: ${r.ceiling.name}`, r.ceiling.requestsPerSecond.toFixed(0), `ours ${(r.oursToCeiling * 100).toFixed(1)}%`, '', '', '', '', '']);
  }
  printRows(rows);
  const loadText = loads.map((l) => l[0].toFixed(2)).join(', ');
  console.log(`medians of ${rounds} round(s), servers alternated; 1-minute load average before each round: ${loadText} (2 cores shared)`);
}

export function printFloors(floors: Floor[]): void {
  console.log("floors: one Node process, none of the service's code (a one-process server cannot beat these ratios)");
  for (const f of floors) {
    console.log(
      `  ${f.what}: ${f.requestsPerSecond.toFixed(0)} req/s, ${f.cpuMicrosPerRequest} CPU µs/req, ${(f.ratio * 100).toFixed(1)}% of ${f.ceiling.name}`,
    );
  }
}
