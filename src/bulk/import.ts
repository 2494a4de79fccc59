// First: signals are handled from the process's first moment (stop-signals.ts).
import '../stop-signals';
import { parseArgs } from 'node:util';
import { UsageError, runBulkCommand } from './cli';
import { importCsvFile } from './commands';
import { CSV_HEADER } from './passenger-csv';
import { progressReporter } from './progress';

// `node dist/bulk/import.js FILE.csv|- [--replace] [--allow-empty]`, the image's import command
// (`npm run import` runs it after a build); `-` reads the CSV from standard
// input, so `docker compose run -T` and `kubectl exec -i` can pipe a local file in.
const USAGE = `usage: node dist/bulk/import.js FILE.csv|- [--replace] [--allow-empty]   (npm run import -- FILE.csv|- [--replace] [--allow-empty])

Adds the passengers of a CSV file to the database the server uses (DATABASE_URL,
PG* or PGLITE_DATA_DIR, as for the server): every row or, on the first bad row
(reported as FILE:LINE), none. The header is
  ${CSV_HEADER}
A CSV row carries no id: each imported passenger gets a new uuid.

  FILE.csv | -     the file to read; - reads standard input
  --replace        delete every stored passenger first: their uuids (and so
                   saved links and ETags) are gone, the file's rows get new ones
  --allow-empty    with --replace, let a file with no data rows empty the table
  -h, --help       print this text`;

runBulkCommand(
  USAGE,
  (args) => {
    const { values, positionals } = parseArgs({
      args,
      options: { replace: { type: 'boolean', default: false }, 'allow-empty': { type: 'boolean', default: false } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new UsageError('name exactly one CSV file, or - for standard input');
    return { file: positionals[0], replace: values.replace, allowEmpty: values['allow-empty'] };
  },
  async (handle, { file, ...options }) => {
    await importCsvFile(handle, file, { ...options, progress: progressReporter(`imported ${file}`) });
  },
);
