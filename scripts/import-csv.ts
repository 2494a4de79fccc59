import { parseArgs } from 'node:util';
import { UsageError, runBulkCommand } from '../src/bulk/cli';
import { importCsvFile } from '../src/bulk/commands';
import { progressReporter } from '../src/bulk/progress';

const USAGE = 'usage: npm run import -- FILE.csv [--replace] [--allow-empty]';

runBulkCommand(USAGE, async (handle) => {
  const { values, positionals } = parseArgs({
    options: { replace: { type: 'boolean', default: false }, 'allow-empty': { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('name exactly one CSV file');
  const [file] = positionals;
  await importCsvFile(handle, file, { replace: values.replace, allowEmpty: values['allow-empty'], progress: progressReporter(`imported ${file}`) });
});
