import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { accessLogger, createLogger } from '../../src/logger';
import { redactConnectionString, secretsOf } from '../../src/secrets';

const PASSWORD = 'pa%40ss%3Aw0rd%2FSecret';
const DECODED = decodeURIComponent(PASSWORD);
const URL_WITH_PASSWORD = `postgres://app:${PASSWORD}@db.internal:5432/passengers`;
const KEY = 'api-key-0123456789abcdef';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('secrets in logs', () => {
  const config = loadConfig({ DATABASE_URL: URL_WITH_PASSWORD, API_KEYS: KEY });
  const secrets = secretsOf(config, { PGPASSWORD: 'pg-env-password' });

  it('knows the URL password in both spellings, PGPASSWORD and the API keys', () => {
    expect(secrets).toEqual(expect.arrayContaining([PASSWORD, DECODED, 'pg-env-password', KEY]));
  });

  it('masks the password of a connection string and keeps the rest', () => {
    expect(redactConnectionString(URL_WITH_PASSWORD)).toBe('postgres://app:****@db.internal:5432/passengers');
    expect(redactConnectionString('postgres://db/x')).toBe('postgres://db/x');
  });

  it('scrubs every secret from every line, wherever a log call puts it', () => {
    const out = capture();
    const logger = createLogger('info', out.stream, secrets);
    logger.info({ url: URL_WITH_PASSWORD }, 'connecting');
    logger.error({ err: new Error(`password authentication failed: "${DECODED}"`) }, 'failed');
    logger.warn(`header was Bearer ${KEY}`);
    logger.child({ nested: { deep: [`pg-env-password`] } }).info('child');
    const text = out.text();
    expect(text.split('\n').filter(Boolean)).toHaveLength(4);
    for (const secret of [PASSWORD, DECODED, KEY, 'pg-env-password', JSON.stringify(DECODED).slice(1, -1)]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
    expect(text).toContain('db.internal:5432/passengers');
  });

  it('scrubs secrets from the access line too, and the other lines keep their redaction', () => {
    const out = capture();
    const logger = createLogger('info', out.stream, secrets);
    accessLogger(logger).info({ requestId: 'r-1', method: 'GET', path: `/hello/${KEY}`, status: 404, ms: 1 }, 'request');
    logger.info({ password: 'field-password' }, 'other');
    const [access, other] = out
      .text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(access).toMatchObject({ requestId: 'r-1', path: '/hello/[redacted]', msg: 'request', service: 'passenger-api' });
    expect(other.password).toBe('[redacted]');
  });
});
