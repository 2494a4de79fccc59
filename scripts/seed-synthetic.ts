import { parseArgs } from 'node:util';
import { UsageError, runBulkCommand } from '../src/bulk/cli';
import { seedSynthetic } from '../src/bulk/commands';
import { progressReporter } from '../src/bulk/progress';

const USAGE = 'usage: npm run seed:synthetic -- --rows N [--seed S] [--replace]';

function nonNegativeInteger(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new UsageError(`--${name} must be a whole number ≥ 0, got "${raw}"`);
  return value;
}

runBulkCommand(
  USAGE,
  (args) => {
    const { values } = parseArgs({
      args,
      options: {
        rows: { type: 'string' },
        seed: { type: 'string', default: '1' },
        replace: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.rows === undefined) throw new UsageError('--rows is required');
    return { rows: nonNegativeInteger('rows', values.rows), seed: nonNegativeInteger('seed', values.seed), replace: values.replace };
  },
  async (handle, { rows, seed, replace }) => {
    await seedSynthetic(handle, { rows, seed }, { replace, progress: progressReporter(`synthetic passengers (seed ${seed})`) });
  },
);
