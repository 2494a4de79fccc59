import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoPassengers } from '../../src/passengers/demo-passengers';
import { postTestPassenger } from '../support/fixtures';
import { runToExit, startServer } from '../../scripts/lib/server-process';

// The built server as a user starts it: `npm start` with nothing configured.
describe('the server process on the embedded database', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'passenger-pglite-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with the demo passengers, keeps writes across a restart and exits 0 on SIGTERM', async () => {
    const first = await startServer({ PGLITE_DATA_DIR: dataDir, SHUTDOWN_DRAIN_MS: '0' });
    try {
      expect(await (await fetch(`${first.baseUrl}/hello`)).json()).toEqual({ message: 'ok' });
      const list = await (await fetch(`${first.baseUrl}/passengerlist`)).json();
      expect(list).toHaveLength(demoPassengers.length);
      expect(first.logs.join('\n')).toContain('npm run import');
      expect(first.logs.join('\n')).toContain('API_KEYS is not set');
      // The first screen says where to go: the URL and the reference page.
      const listening = first.logs.map((line) => JSON.parse(line) as { msg: string; url?: string; docs?: string }).find((line) => line.msg === 'listening');
      expect(listening).toMatchObject({ url: first.baseUrl, docs: `${first.baseUrl}/docs` });
      const created = await fetch(`${first.baseUrl}/postpassenger`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(postTestPassenger),
      });
      expect(created.status).toBe(201);
    } finally {
      expect(await first.stop('SIGTERM')).toBe(0);
    }
    expect(first.logs.join('\n')).toContain('shut down cleanly');

    const second = await startServer({ PGLITE_DATA_DIR: dataDir, SHUTDOWN_DRAIN_MS: '0' });
    try {
      const list = (await (await fetch(`${second.baseUrl}/passengerlist`)).json()) as { name: string }[];
      expect(list).toHaveLength(demoPassengers.length + 1);
      expect(list.map((p) => p.name)).toContain(postTestPassenger.name);
    } finally {
      expect(await second.stop('SIGINT')).toBe(0);
    }
  });

  it('refuses to start on an invalid variable, naming it', async () => {
    const { code, output } = await runToExit({ PORT: 'eighty', PGLITE_DATA_DIR: 'memory://' });
    expect(code).toBe(1);
    expect(output).toContain('PORT must be an integer');
  });
});
