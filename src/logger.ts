import pino, { type Logger } from 'pino';

// Structured JSON logs. Anything that may carry a credential is redacted here,
// once, so no call site has to remember to.
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'passenger-api' },
      redact: {
        paths: ['req.headers.authorization', 'headers.authorization', 'password', '*.password', 'connectionString'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
