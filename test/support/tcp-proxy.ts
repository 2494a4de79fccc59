import { type Server, type Socket, connect, createServer } from 'node:net';

// A TCP proxy on loopback that can stop forwarding without closing anything,
// as a network path that silently drops packets does: during a partition
// every byte either way is discarded and no socket is closed or reset, and
// new connections are accepted but never reach the target. Flows that lived
// through the partition stay dead after it (their state was lost, as with a
// failed-over NAT or load balancer); connections made after heal() work.

export interface TcpProxy {
  port: number;
  partition(): void;
  heal(): void;
  close(): Promise<void>;
}

interface Flow {
  client: Socket;
  upstream?: Socket;
  dead: boolean;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const flows = new Set<Flow>();
  let partitioned = false;
  const server: Server = createServer((client) => {
    const flow: Flow = { client, dead: partitioned };
    flows.add(flow);
    client.on('error', () => {
      // A reset client is cleaned up by its 'close' handler; an unhandled 'error' would crash the test.
    });
    client.on('close', () => {
      flow.upstream?.destroy();
      flows.delete(flow);
    });
    if (flow.dead) {
      client.on('data', () => {
        // A partitioned flow swallows what the client sends.
      });
      return;
    }
    const upstream = connect(targetPort, targetHost);
    flow.upstream = upstream;
    upstream.on('error', () => client.destroy());
    // The target closing is passed on only while the path works.
    upstream.on('close', () => {
      if (!flow.dead) client.destroy();
    });
    client.on('data', (chunk) => {
      if (!flow.dead) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!flow.dead) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    partition: () => {
      partitioned = true;
      for (const flow of flows) flow.dead = true;
    },
    heal: () => {
      partitioned = false;
    },
    close: async () => {
      for (const flow of flows) {
        flow.client.destroy();
        flow.upstream?.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
