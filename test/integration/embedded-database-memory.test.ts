import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database';
import { silentLogger } from '../support/test-database';

// PGlite's PostgreSQL lives in the server's own memory, so its buffer cache
// is the server's resident size (README "Embedded database memory").
it("runs the embedded database with 32 MB of shared buffers, not PostgreSQL's default 128 MB", async () => {
  const handle = await openDatabase({ kind: 'pglite', dataDir: 'memory://' }, { poolMax: 1, logger: silentLogger });
  try {
    const { rows } = await sql<{ shared_buffers: string }>`show shared_buffers`.execute(handle.db);
    expect(rows).toEqual([{ shared_buffers: '32MB' }]);
  } finally {
    await handle.close();
  }
});
