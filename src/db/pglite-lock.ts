import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, unlinkSync, writeFileSync } from 'node:fs';
import { type Server, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// PGlite is a database inside one process: two processes on one data
// directory (a server and `npm run import`) lose rows or corrupt it. Whoever
// opens a directory holds this lock until it closes it or dies.
//
// The lock is a listening socket whose address is derived from the
// directory's real path: binding is atomic (a second bind fails with
// EADDRINUSE) and the kernel frees the address the moment the holder exits,
// even on SIGKILL, so there is no stale lock to clean up. On Linux the address
// is in the abstract namespace (no file at all), elsewhere a socket file in the
// temp directory (a leftover file whose owner is gone refuses connections and
// is removed). A flock(2) would need a native addon (fs-ext builds with
// node-gyp at install: not in the slim image), and a pid file or
// proper-lockfile's mkdir lock outlives a crashed holder.
//
// The holder writes who it is into HOLDER_FILE in the directory, so a refused
// opener can name the process to stop (read from a file: a holder busy
// starting PGlite could not answer on the socket). The file is only believed
// while the lock is held; the next holder overwrites it.

interface DataDirectoryLock {
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  command: string;
  since: string;
}

export const HOLDER_FILE = 'passenger-api.lock.json';

function lockAddress(dataDir: string): string {
  const key = createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 32);
  if (process.platform === 'linux') return `\0passenger-api-pglite-${key}`;
  if (process.platform === 'win32') return `\\\\?\\pipe\\passenger-api-pglite-${key}`;
  return join(tmpdir(), `passenger-api-pglite-${key}.sock`);
}

function listen(address: string): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address, () => {
      server.off('error', reject);
      // The lock must never keep the process alive on its own.
      server.unref();
      resolve(server);
    });
  });
}

// Whether anything listens at a socket file (a leftover one refuses connections).
function listening(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(address, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => {
      resolve(false);
    });
  });
}

function readHolder(dataDir: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, HOLDER_FILE), 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}

class DataDirectoryInUseError extends Error {}

function inUse(dataDir: string, holder: Holder | undefined): DataDirectoryInUseError {
  const who = holder ? `process ${holder.pid} (${holder.command}, since ${holder.since})` : 'another process';
  return new DataDirectoryInUseError(
    `PGLITE_DATA_DIR ${dataDir} is in use by ${who}: the embedded database allows one process at a time. ` +
      'Stop that process first (e.g. stop the server before an import), or use PostgreSQL (DATABASE_URL) for concurrent access.',
  );
}

// Takes the lock on an existing directory, or throws DataDirectoryInUseError at once.
export async function lockDataDirectory(dataDir: string): Promise<DataDirectoryLock> {
  const address = lockAddress(dataDir);
  const holder: Holder = {
    pid: process.pid,
    command: process.argv.slice(1).join(' ').slice(0, 200),
    since: new Date().toISOString(),
  };
  const isFile = !address.startsWith('\0') && !address.startsWith('\\\\');
  for (let attempt = 1; ; attempt++) {
    try {
      const server = await listen(address);
      writeFileSync(join(dataDir, HOLDER_FILE), `${JSON.stringify(holder)}\n`);
      return {
        release: () =>
          new Promise((resolve) =>
            server.close(() => {
              resolve();
            }),
          ),
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      // Only a socket file can be left behind; remove it and bind once more.
      if (isFile && attempt === 1 && !(await listening(address))) {
        unlinkSync(address);
        continue;
      }
      throw inUse(dataDir, readHolder(dataDir));
    }
  }
}
