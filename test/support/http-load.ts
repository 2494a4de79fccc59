import { type Agent, request } from 'node:http';
import { contractViolations } from './response-contract';

// Plain node:http clients for load tests, so each request's connection
// handling is explicit: a keep-alive Agent (as a proxy pools connections) or
// agent: false (a new connection per request).

export type Outcome = { ok: true; status: number } | { ok: false; status?: number; error?: string };

export interface LoadRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export function send(baseUrl: string, agent: Agent | false, req: LoadRequest, timeoutMs = 30_000): Promise<Outcome> {
  const url = new URL(req.path, baseUrl);
  const body = req.body === undefined ? undefined : JSON.stringify(req.body);
  return new Promise((resolve) => {
    const outgoing = request(
      url,
      {
        method: req.method,
        agent,
        headers: { ...(body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {}), ...req.headers },
        timeout: timeoutMs,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          // The contract check of every test response; a violation is a failed outcome.
          const violations = contractViolations({
            method: req.method,
            url: req.path,
            status,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
          if (violations.length) resolve({ ok: false, status, error: `contract: ${violations.join('; ')}` });
          else resolve(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status });
        });
        res.on('error', (err: NodeJS.ErrnoException) => {
          resolve({ ok: false, status, error: err.code ?? err.message });
        });
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('client timeout')));
    outgoing.on('error', (err: NodeJS.ErrnoException) => {
      resolve({ ok: false, error: err.code ?? err.message });
    });
    outgoing.end(body);
  });
}
