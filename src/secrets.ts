import type { Config } from './config';

// The credentials this process holds, as they could appear in text: a
// DATABASE_URL password both percent-encoded (as written in the URL) and
// decoded (as node-postgres uses it), PGPASSWORD, and the API keys.
export function secretsOf(config: Pick<Config, 'database' | 'apiKeys'>, env: Record<string, string | undefined>): string[] {
  const secrets = [...config.apiKeys];
  if (config.database.kind === 'postgres' && config.database.connectionString) {
    const password = passwordOf(config.database.connectionString);
    if (password) secrets.push(password, decodeURIComponent(password));
  }
  if (env.PGPASSWORD) secrets.push(env.PGPASSWORD);
  return [...new Set(secrets)].filter((secret) => secret.length > 0);
}

function passwordOf(connectionString: string): string | undefined {
  try {
    return new URL(connectionString).password || undefined;
  } catch {
    return undefined;
  }
}

// The URL with its password masked, for telling operators which database is in use.
export function redactConnectionString(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '****';
    return url.toString();
  } catch {
    return '[unparsable DATABASE_URL]';
  }
}
