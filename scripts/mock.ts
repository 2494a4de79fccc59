// `npm run mock`: Prism mocks the contract; this small front on MOCK_PORT
// (default 4010) changes only what Prism cannot do from the spec alone:
// - a request the contract refuses gets the real service's 400 problem+json,
//   its `errors` naming the fields that are wrong (Prism answers the 400
//   *example*, whatever was wrong, and names the fields only in sl-violations);
// - malformed JSON gets the real service's problem+json (Prism: its own JSON);
// - /passengerlist has two pages: without `after` the `page` example with a
//   Link to the next page, with `after` the `lastPage` example and no Link
//   (Prism sends the example Link on every page, so paging never ends).
// Everything else is Prism's answer, unchanged (CORS included).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ValidateFunction } from 'ajv';
import type { OpenAPIBackend, Operation } from 'openapi-backend';
import { VALIDATION_FAILED, createOpenApiBackend, toProblemErrors } from '../src/http/api';
import { bodyValidators, parameterValidators } from '../src/http/media-types';
import { toProblem } from '../src/http/error-middleware';
import { parseJson } from '../src/http/json-body';
import { HttpProblem, PROBLEM_CONTENT_TYPE } from '../src/http/problem';
import { SPEC_PATH, loadSpec } from '../src/spec';

const HOST = '127.0.0.1';
const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
// As Prism answers, so a browser app reads the front's answers like Prism's.
const CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': '*' };

export function mockPort(env: Record<string, string | undefined>): number {
  const raw = env.MOCK_PORT;
  if (raw === undefined || raw === '') return 4010;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`MOCK_PORT must be an integer from 1 to 65535, got "${raw}"`);
  return port;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, HOST, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => {
        resolve(port);
      });
    });
    probe.on('error', reject);
  });
}

function startPrism(port: number): Promise<ReturnType<typeof spawn>> {
  const prism = spawn(join(__dirname, '..', 'node_modules', '.bin', 'prism'), ['mock', SPEC_PATH, '--host', HOST, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    prism.once('exit', (code) => {
      reject(new Error(`prism mock exited with ${code}`));
    });
    createInterface({ input: prism.stdout }).on('line', (line) => {
      console.log(line);
      if (line.includes('Prism is listening')) resolve(prism);
    });
  });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function answerProblem(res: ServerResponse, problem: HttpProblem, requestId: string): void {
  const body = JSON.stringify(problem.toBody(requestId));
  res.writeHead(problem.status, { ...CORS, ...problem.headers, 'Content-Type': PROBLEM_CONTENT_TYPE, 'X-Request-Id': requestId });
  res.end(body);
}

// The pages of /passengerlist, as described at the top.
function pageHeaders(url: URL, body: Buffer, headers: Record<string, string | string[] | undefined>) {
  const { link: _, ...rest } = headers;
  if (url.searchParams.has('after')) return rest;
  const rows = JSON.parse(body.toString('utf8')) as { uuid: string }[];
  if (rows.length === 0) return rest;
  const next = new URLSearchParams(url.search);
  next.set('after', rows[rows.length - 1].uuid);
  return { ...rest, link: `<${url.pathname}?${next.toString()}>; rel="next"` };
}

// The service's own validators (src/http/media-types.ts), compiled once per
// operation, on the input shape its router builds; a body of a media type the
// operation does not declare is left to Prism (its documented 415).
const compiled = new Map<string, { parameters: ValidateFunction[]; bodies: Map<string, ValidateFunction> }>();
function requestErrors(api: OpenAPIBackend, operation: Operation, req: IncomingMessage, url: URL, body: unknown) {
  // Every operation in openapi.yaml has an operationId; method and path key one that does not.
  const key = operation.operationId ?? `${operation.method} ${operation.path}`;
  let validators = compiled.get(key);
  if (!validators) {
    validators = { parameters: parameterValidators(api, operation), bodies: bodyValidators(api, operation) };
    compiled.set(key, validators);
  }
  const parsed = api.router.parseRequest({ method: req.method ?? 'GET', path: url.pathname, query: url.search.slice(1), headers: {} }, operation);
  const input = {
    path: parsed.params as Record<string, unknown>,
    query: parsed.query as Record<string, unknown>,
    header: req.headers,
    cookie: {},
    ...(operation.requestBody ? { requestBody: body } : {}),
  };
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const bodyValidator = operation.requestBody ? validators.bodies.get(mediaType) : undefined;
  if (operation.requestBody && !bodyValidator) return [];
  return [...validators.parameters, ...(bodyValidator ? [bodyValidator] : [])].flatMap((validate) => (validate(input) ? [] : (validate.errors ?? [])));
}

async function main(): Promise<void> {
  const port = mockPort(process.env);
  const api = await createOpenApiBackend(loadSpec());
  const prismPort = await freePort();
  const prism = await startPrism(prismPort);

  // http calls the handler and ignores what it returns; a rejection stays unhandled and ends the mock, as before.
  const server = createServer(
    (req, res) =>
      void (async () => {
        const body = await readBody(req);
        const url = new URL(req.url ?? '/', 'http://mock');
        const callerId = req.headers['x-request-id'];
        const requestId = typeof callerId === 'string' && REQUEST_ID.test(callerId) ? callerId : randomUUID();
        const operation = api.matchOperation({ method: req.method ?? 'GET', path: url.pathname, headers: {} });
        const headers = { ...req.headers };
        if (operation) {
          let parsed: unknown;
          const json = /^application\/([\w.-]+\+)?json/i.test(req.headers['content-type'] ?? '');
          if (json && body.length > 0) {
            try {
              parsed = parseJson(body.toString('utf8'));
            } catch (err) {
              answerProblem(res, toProblem(err), requestId);
              return;
            }
          }
          const errors = requestErrors(api, operation, req, url, parsed);
          if (errors.length) {
            answerProblem(res, new HttpProblem(400, VALIDATION_FAILED, toProblemErrors(errors)), requestId);
            return;
          }
          if (operation.operationId === 'listPassengers' && url.searchParams.has('after') && !req.headers.prefer) headers.prefer = 'example=lastPage';
        }
        const upstream = request(
          { host: HOST, port: prismPort, method: req.method, path: req.url, headers },
          (answer) =>
            void (async () => {
              const answerBody = await readBody(answer);
              const listed = operation?.operationId === 'listPassengers' && answer.statusCode === 200;
              res.writeHead(answer.statusCode ?? 502, listed ? pageHeaders(url, answerBody, answer.headers) : answer.headers);
              res.end(answerBody);
            })(),
        );
        upstream.on('error', (err) => {
          answerProblem(res, new HttpProblem(502, `Prism did not answer: ${err.message}`), requestId);
        });
        upstream.end(body);
      })(),
  );
  server.listen(port, HOST, () => {
    console.log(`mock listening on http://${HOST}:${port} (Prism behind it on port ${prismPort})`);
  });
  server.on('error', (err) => {
    console.error(`mock: cannot listen on port ${port} (MOCK_PORT): ${err.message}`);
    prism.kill('SIGKILL');
    process.exit(1);
  });
  prism.once('exit', (code) => {
    console.error(`prism mock exited with ${code}`);
    process.exit(1);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      prism.removeAllListeners('exit');
      prism.kill('SIGTERM');
      server.close();
      process.exit(0);
    });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
