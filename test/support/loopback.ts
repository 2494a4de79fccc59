import { type RequestListener, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// A listener on 127.0.0.1 at a free port, and how to close it.
export async function listenOnLoopback(listener: RequestListener): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((err) => {
        if (err) reject(err);
        else resolve();
      });
      server.closeAllConnections();
    });
  return { server, port, close };
}
