import pino, { type Logger } from 'pino';

// Replaces every occurrence of each secret (raw, and as JSON would escape it)
// in a finished log line: whatever a log call or an error message carries.
function scrubber(secrets: readonly string[]): ((line: string) => string) | undefined {
  const forms = [...new Set(secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]))];
  if (forms.length === 0) return undefined;
  return (line) => forms.reduce((text, form) => text.split(form).join('[redacted]'), line);
}

// Structured JSON logs. Anything that may carry a credential is redacted here,
// once, so no call site has to remember to: known fields by path, and the
// process's own secrets (DATABASE_URL password, API keys) wherever they occur.
export function createLogger(level: string, destination?: pino.DestinationStream, secrets: readonly string[] = []): Logger {
  const scrub = scrubber(secrets);
  return pino(
    {
      level,
      base: { service: 'passenger-api' },
      redact: {
        paths: ['req.headers.authorization', 'headers.authorization', 'password', '*.password', 'connectionString'],
        censor: '[redacted]',
      },
      ...(scrub ? { hooks: { streamWrite: scrub } } : {}),
    },
    destination,
  );
}
