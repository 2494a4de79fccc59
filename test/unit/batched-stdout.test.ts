import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchedStdout, createLogger } from '../../src/logger';
import { waitUntil } from '../support/poll';

const LOGGER = join(__dirname, '..', '..', 'src', 'logger.ts');

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'batched-stdout-')), 'log.ndjson');
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

describe('batched standard output', () => {
  it('writes a line far shorter than a batch without waiting for more lines', async () => {
    const file = tempFile();
    const logger = createLogger('info', batchedStdout(file));
    logger.info('a lone line');
    // Up to 5 s for the 250 ms flush on a loaded machine; the assertion is on
    // the content, not on the time it took.
    await waitUntil(() => read(file).includes('a lone line'));
    expect(read(file)).toContain('"msg":"a lone line"');
  });

  it('writes what is still buffered to standard output when the process exits at once', () => {
    const script = `const { batchedStdout, createLogger } = require(${JSON.stringify(LOGGER)});
      createLogger('info', batchedStdout()).info('last words');
      process.exit(3);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    expect(child.status).toBe(3);
    expect(child.stdout).toContain('"msg":"last words"');
  });
});
