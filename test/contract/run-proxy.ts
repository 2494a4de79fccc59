// `npm run contract:proxy`: Prism in proxy mode with --errors in front of the
// built service, a scripted client session through it, and Prism's log read
// for the violations it only logs (an undocumented status code is one).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BIN, SPEC_FILE, withContractServices } from './contract-services';
import { track } from '../../scripts/lib/child-processes';
import { runProxySession } from './proxy-session';

const PROXY_PORT = Number(process.env.CONTRACT_PROXY_PORT ?? 4110);
// A second proxy, in front of the service whose database is unreachable.
const DOWN_PROXY_PORT = PROXY_PORT + 1;
// Prism's log levels are words after a symbol, e.g. "⚠  warning  Unable to match the returned status code".
const PRISM_PROBLEM = /\s(warning|error|fatal)\s/;

async function startProxy(upstream: string, port: number, log: string[]) {
  // Request validation is off so the session's bad requests reach the service
  // (else Prism answers them itself); every response is still validated.
  const prism = spawn(
    join(BIN, 'prism'),
    ['proxy', SPEC_FILE, upstream, '--errors', '--validate-request=false', '--host', '127.0.0.1', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  track(prism);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`Prism did not start in 30 s:\n${log.join('\n')}`));
    }, 30_000);
    prism.once('exit', (code) => {
      reject(new Error(`Prism exited with ${code}:\n${log.join('\n')}`));
    });
    for (const stream of [prism.stdout, prism.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        log.push(line);
        if (line.includes('Prism is listening')) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
  return prism;
}

async function main(): Promise<number> {
  return withContractServices({ databaseDown: true }, async ({ service, databaseDown }) => {
    const log: string[] = [];
    const downLog: string[] = [];
    const prisms = [await startProxy(service.baseUrl, PROXY_PORT, log), await startProxy(databaseDown!.baseUrl, DOWN_PROXY_PORT, downLog)];
    const sessionStart = log.length;
    const downStart = downLog.length;
    let failures: string[];
    try {
      failures = await runProxySession(`http://127.0.0.1:${PROXY_PORT}`, `http://127.0.0.1:${DOWN_PROXY_PORT}`);
    } finally {
      for (const prism of prisms) prism.kill('SIGKILL');
    }
    const logged = [...log.slice(sessionStart), ...downLog.slice(downStart)].filter((line) => PRISM_PROBLEM.test(line));
    failures.push(...logged.map((line) => `Prism logged: ${line}`));
    if (failures.length) {
      console.error(`\ncontract:proxy: ${failures.length} violation(s):\n${failures.map((f) => `  - ${f}`).join('\n')}`);
      return 1;
    }
    console.log('\ncontract:proxy: every response matched the contract, Prism logged no warning or error');
    return 0;
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
