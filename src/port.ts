import { type Server, createServer } from 'node:net';

// The one line for a listen port someone else holds.
export function portInUseMessage(port: number, host: string | undefined): string {
  return `PORT ${port} is already in use${host ? ` on HOST ${host}` : ''}: stop the process listening there or set PORT to a free port`;
}

// Binds the port and lets it go again, so a port in use stops the start in
// milliseconds instead of after migrations. Another process could take it in
// between; the real listen reports that the same way.
export async function checkPortFree(port: number, host: string | undefined): Promise<void> {
  if (port === 0) return;
  const probe: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new Error(portInUseMessage(port, host)) : err);
    });
    probe.listen(port, host, () => {
      resolve();
    });
  });
  await new Promise((resolve) => probe.close(resolve));
}
