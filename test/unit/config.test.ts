import { loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('defaults to port 3000 and the embedded database in .data/pglite', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '.data/pglite' });
    expect(config.bodyLimit).toBe('100kb');
    expect(config.trustProxy).toBe(false);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('uses PostgreSQL when DATABASE_URL or a PG* variable is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db/x' }).database).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://u:p@db/x',
    });
    expect(loadConfig({ PGHOST: 'db' }).database).toEqual({ kind: 'postgres' });
  });

  it('trusts X-Forwarded-* headers only with TRUST_PROXY=true', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it('honours PGLITE_DATA_DIR, including memory://', () => {
    expect(loadConfig({ PGLITE_DATA_DIR: 'memory://' }).database).toEqual({ kind: 'pglite', dataDir: 'memory://' });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DB_POOL_MAX', '0'],
    ['LOG_LEVEL', 'loud'],
    ['BODY_LIMIT', 'lots'],
    ['SHUTDOWN_TIMEOUT_MS', '-1'],
    ['MIGRATE_ON_START', 'yes'],
    ['TRUST_PROXY', 'on'],
    ['MIGRATE_WAIT_SECONDS', 'a minute'],
    ['DATABASE_URL', 'mysql://x'],
    ['API_KEYS', 'short'],
    ['API_KEYS', ' , '.repeat(2) + 'has a space inside it'],
    ['CORS_ORIGINS', '*'],
    ['CORS_ORIGINS', 'https://app.example.org/path'],
    ['HEADERS_TIMEOUT_MS', '50'],
    ['PUBLIC_URL', 'passengers.example.org'],
    ['PUBLIC_URL', 'ftp://passengers.example.org'],
    ['PUBLIC_URL', 'https://passengers.example.org/'],
    ['PUBLIC_URL', 'https://user:pw@passengers.example.org'],
    ['PUBLIC_URL', 'https://passengers.example.org?x=1'],
    ['PUBLIC_URL', 'https://passengers.example.org/<script>'],
    ['PUBLIC_URL', 'https://Passengers.Example.org'],
    ['WORKERS', '0'],
    ['WORKERS', 'two'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name} `));
  });

  it('reads API_KEYS and CORS_ORIGINS as trimmed comma-separated lists, empty by default', () => {
    expect(loadConfig({}).apiKeys).toEqual([]);
    const config = loadConfig({
      API_KEYS: ' first-key-0123456789 ,second-key-0123456789,',
      CORS_ORIGINS: 'https://a.example.org, http://localhost:5173',
    });
    expect(config.apiKeys).toEqual(['first-key-0123456789', 'second-key-0123456789']);
    expect(config.corsOrigins).toEqual(['https://a.example.org', 'http://localhost:5173']);
  });

  it('reads PUBLIC_URL as written, with or without a path; unset by default', () => {
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(loadConfig({ PUBLIC_URL: 'https://passengers.example.org' }).publicUrl).toBe('https://passengers.example.org');
    expect(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:3000/api' }).publicUrl).toBe('http://127.0.0.1:3000/api');
  });

  it('runs one process unless WORKERS asks for more, which needs PostgreSQL', () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x', WORKERS: '4' }).workers).toBe(4);
    expect(() => loadConfig({ WORKERS: '2' })).toThrow(/^WORKERS above 1 needs PostgreSQL/);
  });

  it('never echoes an API key in its error', () => {
    expect(() => loadConfig({ API_KEYS: 'tiny-secret' })).toThrow(/^API_KEYS /);
    expect(() => loadConfig({ API_KEYS: 'tiny-secret' })).not.toThrow(/tiny-secret/);
  });

  it("keeps idle keep-alive above a load balancer's 60 s and refuses a header timeout above the request timeout", () => {
    expect(loadConfig({}).keepAliveTimeoutMs).toBeGreaterThan(60_000);
    expect(() => loadConfig({ HEADERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '1000' })).toThrow(/^HEADERS_TIMEOUT_MS /);
  });
});
