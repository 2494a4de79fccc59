import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type RequestListener, type Server, type ServerOptions, type ServerResponse, STATUS_CODES, createServer } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpProblem, PROBLEM_CONTENT_TYPE } from './problem';

// The connection-level behaviour of the HTTP server, which Koa never sees:
// pipelined requests served one after another, Node's own error answers as
// problem+json, and a shutdown that closes keep-alive connections without
// resetting a request the client has already sent.

// Requests parsed but not yet started, per connection. Beyond this the
// connection is not read any further until its queue shrinks, so one client
// pipelining thousands of requests holds a bounded number of them in memory.
export const MAX_QUEUED_PER_CONNECTION = 16;

// At shutdown a keep-alive connection with no request is closed only once it
// has been idle this long: a client that has just had an answer sends its next
// request within this time, and gets that answered (with Connection: close)
// instead of finding its connection closed under it.
const SHUTDOWN_IDLE_GRACE_MS = 200;
const SHUTDOWN_POLL_MS = 25;

// What Node's HTTP server internals expose on a socket. Node stops parsing a
// socket it reads itself (the parser consumes the handle, so socket.pause()
// alone stops nothing) by setting _paused: after the chunk in hand it pauses
// the parser. That is its own flood guard for pipelined requests
// (_http_server.js), used here the same way.
interface ParsedSocket extends Socket {
  _paused?: boolean;
  parser?: { pause(): void; resume(): void } | null;
}

interface Connection {
  socket: ParsedSocket;
  // The request being handled, if any; later ones wait in `queue`.
  active: IncomingMessage | undefined;
  activeResponse: ServerResponse | undefined;
  queue: [IncomingMessage, ServerResponse][];
  pausedByQueue: boolean;
  // A malformed request seen while earlier ones were still being answered:
  // its answer, written once they have been.
  pendingError: string | undefined;
  // When the last response finished (or the connection was accepted).
  idleSince: number;
  // Requests started on it so far.
  started: number;
  // Node's header or request timeout fired for a request that was late only
  // because this connection was not read while earlier ones were answered.
  timedOutWhileQueued: boolean;
}

// An HTTP/1.1 answer written straight to the socket, for the errors Node's
// parser raises before there is a request for Koa to see.
function rawProblem(status: number, detail: string): string {
  const requestId = randomUUID();
  const body = JSON.stringify(new HttpProblem(status, detail).toBody(requestId));
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${requestId}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

function clientErrorAnswer(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return rawProblem(431, 'The request headers are too large.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return rawProblem(408, 'The request was not received in time.');
    default:
      return rawProblem(400, `The request is not valid HTTP/1.1 (${err.code ?? 'parse error'}).`);
  }
}

// Node's own timeout error, for the 408 of a request that was late after all.
class RequestTimeout extends Error {
  readonly code = 'ERR_HTTP_REQUEST_TIMEOUT';
}

// The parser cannot go on after an error: answer, then close.
function endWith(socket: Socket, answer: string): void {
  socket.end(answer, () => socket.destroy());
}

export interface HttpServer {
  server: Server;
  // Stops listening, then closes every connection once it has answered what
  // it was sent; resolves when none is left.
  close: () => Promise<void>;
}

export function createHttpServer(options: ServerOptions, listener: RequestListener): HttpServer {
  const connections = new Map<Socket, Connection>();

  // Set once the listener is closed: each connection's next answer with
  // nothing queued behind it carries Connection: close.
  let closing = false;

  const start = (connection: Connection, req: IncomingMessage, res: ServerResponse): void => {
    if (closing && connection.queue.length === 0) res.setHeader('Connection', 'close');
    connection.active = req;
    connection.activeResponse = res;
    connection.started++;
    let finished = false;
    const done = (): void => {
      if (finished) return;
      finished = true;
      next(connection);
    };
    res.once('finish', done).once('close', done);
    listener(req, res);
  };

  const next = (connection: Connection): void => {
    connection.active = undefined;
    connection.activeResponse = undefined;
    connection.idleSince = performance.now();
    const { socket } = connection;
    // A client that has gone away is not answered: its queued requests are not run.
    if (socket.destroyed) {
      connection.queue.length = 0;
      return;
    }
    if (connection.pausedByQueue && connection.queue.length < MAX_QUEUED_PER_CONNECTION) {
      connection.pausedByQueue = false;
      socket._paused = false;
      socket.parser?.resume();
      socket.resume();
    }
    const queued = connection.queue.shift();
    if (queued) {
      start(connection, ...queued);
    } else if (connection.pendingError !== undefined) {
      endWith(socket, connection.pendingError);
    } else if (connection.timedOutWhileQueued) {
      // That request gets the whole request timeout again, from now.
      connection.timedOutWhileQueued = false;
      const started = connection.started;
      setTimeout(() => {
        if (connection.started === started && !connection.active && !socket.destroyed) endWith(socket, clientErrorAnswer(new RequestTimeout()));
      }, server.requestTimeout).unref();
    }
  };

  const server = createServer(options, (req, res) => {
    const connection = connections.get(req.socket);
    // A socket Node handed over without a 'connection' event does not occur.
    if (!connection) throw new Error('request on an untracked connection');
    if (!connection.active) {
      start(connection, req, res);
      return;
    }
    // RFC 9112 §9.3.2: pipelined requests are answered in order, and this
    // service runs them in order too, so a read sees the write sent before it.
    connection.queue.push([req, res]);
    if (connection.queue.length >= MAX_QUEUED_PER_CONNECTION && !connection.pausedByQueue) {
      // As Node does: the parser itself is paused once it has parsed the
      // chunk in hand (pausing it in the middle of one loses bytes).
      connection.pausedByQueue = true;
      connection.socket._paused = true;
      connection.socket.pause();
    }
  });

  // Expect: 100-continue goes through the app like any request, and the
  // 100 is sent only when the body is about to be read (json-body.ts): a
  // client without a valid key, or with a body declared too large, gets its
  // 401 / 413 without being asked to send the body first.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    server.emit('request', req, res);
  });

  server.on('connection', (socket: ParsedSocket) => {
    connections.set(socket, {
      socket,
      active: undefined,
      activeResponse: undefined,
      queue: [],
      pausedByQueue: false,
      pendingError: undefined,
      idleSince: performance.now(),
      started: 0,
      timedOutWhileQueued: false,
    });
    socket.once('close', () => {
      connections.delete(socket);
    });
  });

  // Node's default answers a parse error with a bare 400 at once, even when
  // an earlier request on the connection is still being handled: the client
  // then sees a failure for a write that happened. Here the requests already
  // read are answered first; bytes after a `Connection: close` request are
  // ignored (that request's answer closes the connection). When the request
  // in progress is itself the broken one (its body timed out or is not valid
  // chunked encoding), it is answered now.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const connection = connections.get(socket);
    if (connection?.active?.complete) {
      if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') connection.timedOutWhileQueued = true;
      else if (err.code !== 'HPE_CLOSED_CONNECTION') connection.pendingError = clientErrorAnswer(err);
      return;
    }
    // An answer begun cannot be followed by another.
    if (err.code === 'ECONNRESET' || !socket.writable || connection?.activeResponse?.headersSent) {
      socket.destroy();
      return;
    }
    endWith(socket, clientErrorAnswer(err));
  });

  const close = async (): Promise<void> => {
    // net.Server's close, not http.Server's: the latter also destroys every
    // connection that has no request in progress, including one whose
    // request is already in the socket's buffer (the client sees a reset).
    const listenerClosed = new Promise<void>((resolve) => {
      (Object.getPrototypeOf(Object.getPrototypeOf(server)) as { close: (this: Server, cb: () => void) => void }).close.call(server, resolve);
    });
    // Keep-alive connections are told only now, with the listener closed: a
    // client that reconnects is refused (safe to retry elsewhere) rather than
    // caught in the listen backlog as it closes (reset).
    closing = true;
    for (const connection of connections.values()) {
      const res = connection.activeResponse;
      if (res && !res.headersSent && connection.queue.length === 0) res.setHeader('Connection', 'close');
    }
    while (connections.size > 0) {
      const now = performance.now();
      for (const connection of connections.values()) {
        if (!connection.active && now - connection.idleSince >= SHUTDOWN_IDLE_GRACE_MS) connection.socket.destroy();
      }
      await sleep(SHUTDOWN_POLL_MS);
    }
    await listenerClosed;
  };

  return { server, close };
}
