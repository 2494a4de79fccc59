import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LogFormat, loadConfig } from '../../src/config';
import pino from 'pino';
import { createLogger, logDestination } from '../../src/logger';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'log-format-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

// What a process would print with LOG_FORMAT=format, stdout a terminal or not,
// pino-pretty installed or not: two lines written through the destination.
function printed(format: LogFormat, isTerminal: boolean, prettyInstalled = true): string[] {
  const file = join(directory, `${format}-${String(isTerminal)}-${String(prettyInstalled)}.log`);
  const fd = openSync(file, 'w');
  try {
    const loadPretty = prettyInstalled ? undefined : () => undefined;
    const stdout = pino.destination({ dest: fd, sync: true });
    const logger = createLogger('info', logDestination(format, { stdout, isTerminal, loadPretty }));
    logger.info({ address: { port: 3000 } }, 'listening');
    logger.warn('second line');
  } finally {
    closeSync(fd);
  }
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

describe('LOG_FORMAT', () => {
  it('is auto unless set, and refuses a format it does not know', () => {
    expect(loadConfig({}).logFormat).toBe('auto');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'text' })).toThrow('LOG_FORMAT must be one of auto, json, pretty, got "text"');
  });

  // Production: a container's stdout is a pipe, or LOG_FORMAT=json is set.
  it.each([
    ['auto', false],
    ['json', false],
    ['json', true],
  ] as const)('%s with a terminal=%s writes a JSON object a line', (format, isTerminal) => {
    const lines = printed(format, isTerminal);
    expect(lines).toHaveLength(2);
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['listening', 'second line']);
  });

  it('auto on a terminal writes readable lines: level, message and fields, no JSON object', () => {
    const lines = printed('auto', true);
    expect(lines).toHaveLength(2);
    expect(lines.some(isJson)).toBe(false);
    // Coloured on a terminal: the level name is wrapped in ANSI codes.
    expect(lines[0]).toContain('\u001b[32mINFO\u001b[39m');
    // eslint-disable-next-line no-control-regex -- ESC is the point: this strips the ANSI colour codes the test just asserted on
    const plain = lines.map((line) => line.replace(/\u001b\[\d+m/g, ''));
    expect(plain[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: listening \{"address":\{"port":3000\}\}$/);
    expect(plain[1]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: second line$/);
  });

  it('pretty writes readable lines without a terminal too (no colour codes)', () => {
    const lines = printed('pretty', false);
    expect(lines.some(isJson)).toBe(false);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: listening \{"address":\{"port":3000\}\}$/);
  });

  it('pretty without pino-pretty (a production install) is a start-up error naming LOG_FORMAT', () => {
    expect(() => printed('pretty', true, false)).toThrow(/^LOG_FORMAT=pretty needs pino-pretty, a dev dependency .*: unset LOG_FORMAT or set it to json$/);
  });

  it('auto on a terminal without pino-pretty (the image run with a terminal) stays JSON', () => {
    expect(printed('auto', true, false).every(isJson)).toBe(true);
  });
});
