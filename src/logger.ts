import { isatty } from 'node:tty';
import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import { ConfigError, type LogFormat } from './config';

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

// The logger of the access line, the one line every request writes. Its fields
// are fixed (request id, method, path, status, duration) and none is a path the
// redaction knows, so it skips redaction, a pass over every line that could
// never find anything (its measured cost: bench/results/README.md); the
// scrubbing of the process's secrets still applies.
export function accessLogger(logger: Logger): Logger {
  return logger.child({}, { redact: { paths: [] } });
}

type PrettyFactory = typeof PinoPretty.prettyFactory;

// pino-pretty is a dev dependency: a production install (the image's
// `npm ci --omit=dev`) has none, so it is loaded only when asked for.
function installedPinoPretty(): PrettyFactory | undefined {
  try {
    require.resolve('pino-pretty');
  } catch {
    return undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when chosen (above)
  return (require('pino-pretty') as typeof PinoPretty).prettyFactory;
}

export interface LogOutput {
  // Where the lines go: standard output, written at once, unless told otherwise.
  stdout?: pino.DestinationStream;
  isTerminal?: boolean;
  loadPretty?: () => PrettyFactory | undefined;
}

// The destination for createLogger in LOG_FORMAT's format. JSON lines unless
// asked for pretty or, with auto, writing to a terminal where pino-pretty is
// installed (a production image run with a terminal still logs JSON).
export function logDestination(format: LogFormat, output: LogOutput = {}): pino.DestinationStream {
  const { stdout = pino.destination(1), isTerminal = isatty(1), loadPretty = installedPinoPretty } = output;
  const prettyFactory = format === 'pretty' || (format === 'auto' && isTerminal) ? loadPretty() : undefined;
  if (format === 'pretty' && !prettyFactory) {
    throw new ConfigError('LOG_FORMAT=pretty needs pino-pretty, a dev dependency this install does not have: unset LOG_FORMAT or set it to json');
  }
  if (!prettyFactory) return stdout;
  // Formatted here, in this process and synchronously, so the last lines
  // before an exit are not lost in a stream pipeline.
  const pretty = prettyFactory({ colorize: isTerminal, translateTime: 'SYS:HH:MM:ss.l', ignore: 'service', singleLine: true });
  return {
    write: (line: string) => {
      stdout.write(pretty(line));
    },
  };
}

// Standard output, written asynchronously and in batches of at least 4 KiB:
// a write(2) per access-log line is a system call on every request (a
// synchronous one blocks the event loop, an asynchronous one still costs a
// thread-pool write; measured: bench/results/README.md). When fewer lines arrive, what is buffered
// leaves within FLUSH_MS (only then: sonic-boom's own periodicFlush writes
// even an empty buffer, four syscalls a tick on an idle server). pino.destination
// flushes what is left when the process exits, an uncaught exception included.
const BATCH_BYTES = 4096;
const FLUSH_MS = 250;

// `dest`: a file descriptor or path; standard output unless a test names a file.
export function batchedStdout(dest: number | string = 1): pino.DestinationStream {
  const stream = pino.destination({ dest, sync: false, minLength: BATCH_BYTES });
  let unflushed = false;
  setInterval(() => {
    if (!unflushed) return;
    unflushed = false;
    stream.flush();
  }, FLUSH_MS).unref();
  return {
    write(line: string) {
      unflushed = true;
      stream.write(line);
    },
  };
}
