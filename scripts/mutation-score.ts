// Prints the mutation score of each directory named on the command line from
// Stryker's JSON report (mutation-testing-report-schema), with Stryker's own
// metrics library so the score is the one its HTML report shows; Stryker's
// clear-text table is per file only. With --survivors, also lists every
// surviving and uncovered mutant as file:line mutator "replacement".
// Usage: tsx scripts/mutation-score.ts [--survivors] [--min N] DIR...
// Exit 1 when --min is given and a directory scores below it, 2 without a report.
import { existsSync, readFileSync } from 'node:fs';
import { calculateMetrics } from 'mutation-testing-metrics';

type Files = Parameters<typeof calculateMetrics>[0];

const REPORT = 'reports/mutation/mutation.json';

const args = process.argv.slice(2);
const survivors = args.includes('--survivors');
const minAt = args.indexOf('--min');
const min = minAt >= 0 ? Number(args[minAt + 1]) : undefined;
const dirs = args.filter((arg, i) => !arg.startsWith('--') && (minAt < 0 || i !== minAt + 1));

if (!existsSync(REPORT)) {
  console.error(`${REPORT} is missing: run npm run test:mutation first`);
  process.exit(2);
}
const report = JSON.parse(readFileSync(REPORT, 'utf8')) as { files: Files };

let failed = false;
for (const dir of dirs) {
  const files: Files = Object.fromEntries(Object.entries(report.files).filter(([name]) => name.startsWith(`${dir}/`)));
  const { metrics } = calculateMetrics(files);
  const score = metrics.mutationScore;
  console.log(
    `mutation score ${dir} (${Object.keys(files).length} files): ${Number.isNaN(score) ? 'n/a' : score.toFixed(2)}% ` +
      `(${metrics.totalDetected} detected of ${metrics.totalValid}: ${metrics.killed} killed, ${metrics.timeout} timed out, ` +
      `${metrics.survived} survived, ${metrics.noCoverage} no coverage; ${metrics.ignored} ignored, ${metrics.totalInvalid} invalid)`,
  );
  if (min !== undefined && !(score >= min)) failed = true;
  if (!survivors) continue;
  for (const [name, file] of Object.entries(files)) {
    for (const mutant of file.mutants) {
      if (mutant.status !== 'Survived' && mutant.status !== 'NoCoverage') continue;
      const where = `${name}:${mutant.location.start.line}`;
      const replacement = (mutant.replacement ?? '').replace(/\s+/g, ' ').slice(0, 60);
      console.log(`  ${mutant.status === 'NoCoverage' ? 'uncovered' : 'survived '} ${where} ${mutant.mutatorName} ${JSON.stringify(replacement)}`);
    }
  }
}
if (failed) {
  console.error(`a directory scored below ${min}%`);
  process.exit(1);
}
