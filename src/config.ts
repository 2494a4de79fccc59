// Environment → one frozen, validated config object. A bad value stops the
// process at start with a message naming the variable, instead of failing on
// the first request that needs it.

export type DatabaseConfig = { kind: 'postgres'; connectionString?: string } | { kind: 'pglite'; dataDir: string };

export interface Config {
  port: number;
  host?: string;
  database: DatabaseConfig;
  dbPoolMax: number;
  // Server processes (node:cluster); 1: no cluster, this process serves.
  workers: number;
  dbStatementTimeoutMs: number;
  logLevel: string;
  // json: a JSON object a line, what log collectors read; pretty: readable
  // lines (pino-pretty, a dev dependency); auto: pretty on a terminal only.
  logFormat: LogFormat;
  bodyLimit: string;
  shutdownTimeoutMs: number;
  shutdownDrainMs: number;
  validateResponses: boolean;
  migrateOnStart: boolean;
  // How long `node dist/db/migrate.js` waits for PostgreSQL to accept connections.
  migrateWaitSeconds: number;
  seedDemoData: boolean;
  // Empty: writes are open (the server warns at start).
  apiKeys: readonly string[];
  corsOrigins: readonly string[];
  // Believe X-Forwarded-Proto/Host (and -For): only behind a proxy that sets them.
  trustProxy: boolean;
  // The URL clients reach the service at; /openapi.json names it in
  // servers[0] whatever the request's Host says. Unset: the request's origin.
  publicUrl?: string;
  // Access lines for /healthz, /readyz and /metrics at info (else debug).
  logProbes: boolean;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

export type LogFormat = 'auto' | 'json' | 'pretty';

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const LOG_FORMATS: LogFormat[] = ['auto', 'json', 'pretty'];
// Variables node-postgres reads by itself; any of them means "use PostgreSQL".
const PG_VARIABLES = ['PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD'];

// An empty variable counts as unset (`HOST= npm start`).
function setOrUndefined(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = allowed.find((candidate) => candidate === raw);
  if (value === undefined) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return value;
}

const BYTE_SIZE = /^(\d+)(b|kb|mb)$/i;
const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

// A size as BODY_LIMIT spells it (100kb, 1mb) in bytes; kb and mb are 1024-based.
export function byteSize(size: string): number {
  const match = BYTE_SIZE.exec(size);
  if (!match) throw new ConfigError(`not a size like 100kb or 1mb: "${size}"`);
  const [, digits, unit] = match;
  return Number(digits) * BYTE_UNITS[unit.toLowerCase()];
}

function bodyLimit(env: Env): string {
  const raw = env.BODY_LIMIT;
  if (raw === undefined || raw === '') return '100kb';
  if (!BYTE_SIZE.test(raw)) {
    throw new ConfigError(`BODY_LIMIT must be a size like 100kb or 1mb, got "${raw}"`);
  }
  return raw.toLowerCase();
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

// Never echoes a key: a message naming the variable and the rule is enough.
function apiKeys(env: Env): string[] {
  const keys = list(env, 'API_KEYS');
  if (keys.some((key) => key.length < 16 || /\s/.test(key))) {
    throw new ConfigError('API_KEYS must be comma-separated keys of at least 16 characters without spaces');
  }
  return keys;
}

function corsOrigins(env: Env): string[] {
  const origins = list(env, 'CORS_ORIGINS');
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (parsed?.origin !== origin) {
      throw new ConfigError(`CORS_ORIGINS must list origins like https://app.example.org, got "${origin}"`);
    }
  }
  return origins;
}

// An http(s) URL with no credentials, query or fragment, and no trailing
// slash (the spec's paths start with one); it may carry a path prefix.
function publicUrl(env: Env): string | undefined {
  const raw = setOrUndefined(env.PUBLIC_URL);
  if (raw === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  const canonical = parsed && `${parsed.origin}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  const plain = parsed && /^https?:$/.test(parsed.protocol) && !parsed.username && !parsed.password && !parsed.search && !parsed.hash;
  if (!plain || canonical !== raw) {
    throw new ConfigError(`PUBLIC_URL must be an http or https URL like https://api.example.org (a path is allowed, no trailing slash), got "${raw}"`);
  }
  return raw;
}

function database(env: Env): DatabaseConfig {
  const url = env.DATABASE_URL;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
    }
    return { kind: 'postgres', connectionString: url };
  }
  if (PG_VARIABLES.some((name) => env[name])) return { kind: 'postgres' };
  return { kind: 'pglite', dataDir: setOrUndefined(env.PGLITE_DATA_DIR) ?? '.data/pglite' };
}

// Several processes need a database they can share; PGlite lives inside one process.
function workers(env: Env, databaseConfig: DatabaseConfig): number {
  const count = integer(env, 'WORKERS', 1, 1, 64);
  if (count > 1 && databaseConfig.kind === 'pglite') {
    throw new ConfigError('WORKERS above 1 needs PostgreSQL (DATABASE_URL or PG*): the embedded PGlite lives inside one process');
  }
  return count;
}

export function loadConfig(env: Env = process.env): Readonly<Config> {
  const headersTimeoutMs = integer(env, 'HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 600_000);
  // Node refuses a header timeout longer than the whole-request timeout.
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS');
  }
  const databaseConfig = database(env);
  return Object.freeze({
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: setOrUndefined(env.HOST), // unset: every interface, IPv4 and IPv6
    database: Object.freeze(databaseConfig),
    dbPoolMax: integer(env, 'DB_POOL_MAX', 10, 1, 1000),
    workers: workers(env, databaseConfig),
    // A request learns within ~2 s that the database is gone or stuck (503),
    // together with the pool's 1.5 s connection timeout. Queries here take ms.
    dbStatementTimeoutMs: integer(env, 'DB_STATEMENT_TIMEOUT_MS', 1_200, 100, 600_000),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
    logFormat: oneOf(env, 'LOG_FORMAT', 'auto', LOG_FORMATS),
    bodyLimit: bodyLimit(env),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    shutdownDrainMs: integer(env, 'SHUTDOWN_DRAIN_MS', 1_000, 0, 600_000),
    validateResponses: boolean(env, 'VALIDATE_RESPONSES', false),
    migrateOnStart: boolean(env, 'MIGRATE_ON_START', true),
    // A first start in a cluster: the migrate init container may run before
    // PostgreSQL listens; a minute covers its start and first recovery.
    migrateWaitSeconds: integer(env, 'MIGRATE_WAIT_SECONDS', 60, 0, 3600),
    seedDemoData: boolean(env, 'SEED_DEMO_DATA', true),
    apiKeys: Object.freeze(apiKeys(env)),
    corsOrigins: Object.freeze(corsOrigins(env)),
    trustProxy: boolean(env, 'TRUST_PROXY', false),
    publicUrl: publicUrl(env),
    logProbes: boolean(env, 'LOG_PROBES', false),
    headersTimeoutMs,
    requestTimeoutMs,
    // Above the 60 s idle timeout of common load balancers, so they close first.
    keepAliveTimeoutMs: integer(env, 'KEEP_ALIVE_TIMEOUT_MS', 65_000, 1_000, 600_000),
  });
}
