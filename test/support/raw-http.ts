import { type Socket, connect } from 'node:net';

// A raw HTTP/1.1 client for connection-level tests: it writes bytes as given
// (pipelined requests, bytes after Connection: close, malformed heads) and
// reads answers off the socket one by one.

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawConnection {
  socket: Socket;
  // The next `count` answers, in the order they arrived.
  responses(count: number): Promise<RawResponse[]>;
  // Resolves once the server has closed the connection, with every answer it sent.
  closed: Promise<RawResponse[]>;
}

const NO_BODY = new Set([204, 304]);

// Takes whole answers off the front of `buffer`; bodies are Content-Length
// delimited (every answer of this service is).
function parseResponses(buffer: Buffer, into: RawResponse[]): Buffer {
  let rest: Buffer = buffer;
  for (;;) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd < 0) return rest;
    const [statusLine, ...lines] = rest.subarray(0, headEnd).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const status = Number(statusLine.split(' ')[1]);
    const length = NO_BODY.has(status) || status < 200 ? 0 : Number(headers['content-length'] ?? 0);
    if (rest.length < headEnd + 4 + length) return rest;
    into.push({ status, headers, body: rest.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8') });
    rest = rest.subarray(headEnd + 4 + length);
  }
}

export function openRaw(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: RawResponse[] = [];
    let pending: Buffer = Buffer.alloc(0);
    let waiter: (() => void) | undefined;
    socket.on('data', (chunk: Buffer) => {
      pending = parseResponses(Buffer.concat([pending, chunk]), received);
      waiter?.();
    });
    // A reset after the answers is reported through `closed`.
    socket.on('error', () => undefined);
    const closed = new Promise<RawResponse[]>((resolveClosed) => {
      socket.once('close', () => {
        waiter?.();
        resolveClosed(received);
      });
    });
    let taken = 0;
    const responses = (count: number): Promise<RawResponse[]> =>
      new Promise((resolveResponses, rejectResponses) => {
        const check = () => {
          if (received.length >= taken + count) {
            waiter = undefined;
            const batch = received.slice(taken, taken + count);
            taken += count;
            resolveResponses(batch);
          } else if (socket.destroyed) {
            waiter = undefined;
            rejectResponses(new Error(`connection closed after ${received.length - taken} of ${count} answers; the last: ${JSON.stringify(received.at(-1))}`));
          }
        };
        waiter = check;
        check();
      });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve({ socket, responses, closed });
    });
    socket.once('error', reject);
  });
}

// One request's bytes.
export function rawRequest(method: string, path: string, headers: Record<string, string> = {}, body?: string): string {
  const head = [`${method} ${path} HTTP/1.1`, 'Host: localhost'];
  for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${value}`);
  if (body !== undefined) head.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${head.join('\r\n')}\r\n\r\n${body ?? ''}`;
}
