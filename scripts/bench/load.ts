// One load run, in its own process so the load generator never shares an event
// loop with what it measures. Prints the autocannon summary as one JSON line.
// usage: tsx scripts/bench/load.ts URL METHOD CONNECTIONS SECONDS [BODY_JSON] [UUID_FILE]
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [url, method, connections, seconds, body, uuidFile] = process.argv.slice(2);
const uuids = uuidFile ? readFileSync(uuidFile, 'utf8').trim().split('\n') : [];
const { pathname } = new URL(url);

function options(duration: number): autocannon.Options {
  return {
    url,
    connections: Number(connections),
    duration,
    requests: [
      {
        method: method as autocannon.Request['method'],
        ...(body ? { body, headers: { 'content-type': 'application/json' } } : {}),
        // {uuid} in the path: a random existing passenger for every request.
        ...(uuids.length ? { setupRequest: (req) => ({ ...req, path: pathname.replace('%7Buuid%7D', uuids[Math.floor(Math.random() * uuids.length)]) }) } : {}),
      },
    ],
  };
}

void (async () => {
  const warmup = await autocannon(options(1)); // JIT, pool connections, caches
  const result = await autocannon(options(Number(seconds)));
  const summary = {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    warmupRequests: warmup.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
})();
