import { parseArgs } from 'node:util';
import { UsageError, runBulkCommand } from './cli';
import { importCsvFile } from './commands';
import { progressReporter } from './progress';

// `node dist/bulk/import.js FILE.csv|- [--replace] [--allow-empty]`, the image's import command
// (`npm run import` runs it after a build); `-` reads the CSV from standard
// input, so `docker compose run -T` and `kubectl exec -i` can pipe a local file in.
const USAGE = 'usage: node dist/bulk/import.js FILE.csv|- [--replace] [--allow-empty]   (npm run import -- FILE.csv|- [--replace] [--allow-empty])';

runBulkCommand(USAGE, async (handle) => {
  const { values, positionals } = parseArgs({
    options: { replace: { type: 'boolean', default: false }, 'allow-empty': { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('name exactly one CSV file, or - for standard input');
  const [file] = positionals;
  await importCsvFile(handle, file, { replace: values.replace, allowEmpty: values['allow-empty'], progress: progressReporter(`imported ${file}`) });
});
