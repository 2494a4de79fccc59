import { loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('defaults to port 3000 and the embedded database in .data/pglite', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '.data/pglite' });
    expect(config.bodyLimit).toBe('100kb');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('uses PostgreSQL when DATABASE_URL or a PG* variable is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db/x' }).database).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://u:p@db/x',
    });
    expect(loadConfig({ PGHOST: 'db' }).database).toEqual({ kind: 'postgres' });
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
    ['DATABASE_URL', 'mysql://x'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name} `));
  });
});
