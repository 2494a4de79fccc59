import { parseArgs } from 'node:util';
import { UsageError, runBulkCommand } from './cli';
import { importCsvFile } from './commands';
import { progressReporter } from './progress';

// `node dist/bulk/import.js FILE.csv|- [--replace]`, the image's import command
// (`npm run import` runs it after a build); `-` reads the CSV from standard
// input, so `docker compose run -T` and `kubectl exec -i` can pipe a local file in.
const USAGE = 'usage: node dist/bulk/import.js FILE.csv|- [--replace]   (npm run import -- FILE.csv|- [--replace])';

runBulkCommand(USAGE, async (handle) => {
  const { values, positionals } = parseArgs({ options: { replace: { type: 'boolean', default: false } }, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('name exactly one CSV file, or - for standard input');
  const [file] = positionals;
  await importCsvFile(handle, file, { replace: values.replace, progress: progressReporter(`imported ${file}`) });
});
