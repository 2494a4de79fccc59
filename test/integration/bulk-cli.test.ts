import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/server-process';

// The npm scripts as a user runs them, on an embedded database in a temporary
// directory: exit codes, the error line and the one-line summary off a TTY.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'passenger-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'Survived,Pclass,Name,Sex,Age,Siblings_Spouses_Aboard,Parents_Children_Aboard,Fare';

function run(script: string, args: string[]) {
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', script), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PGLITE_DATA_DIR: join(dir, 'db') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

it('import prints FILE:LINE on a bad row and exits 1; seed:synthetic then import --replace summarise in one line', () => {
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'Survived,Pclass,Name,Sex,Age,Siblings_Spouses_Aboard,Parents_Children_Aboard,Fare\n0,3,Mr. A,male,22,1,0,7.25\n0,9,Mr. B,male,22,1,0,7.25\n');
  expect(run('import-csv.ts', [bad])).toEqual({ code: 1, stdout: '', stderr: `${bad}:3: Pclass must be <= 3, got 9\n` });

  const seeded = run('seed-synthetic.ts', ['--rows', '50', '--seed', '3']);
  expect(seeded.stderr).toMatch(/^synthetic passengers \(seed 3\): 50 rows in [\d.]+ s \([\d,]+ rows\/s\)\n$/);
  expect(seeded.code).toBe(0);

  const good = join(dir, 'good.csv');
  writeFileSync(good, 'Survived,Pclass,Name,Sex,Age,Siblings_Spouses_Aboard,Parents_Children_Aboard,Fare\n0,3,Mr. A,male,22,1,0,7.25');
  const imported = run('import-csv.ts', [good, '--replace']);
  expect(imported.stderr).toMatch(new RegExp(`^imported ${good}: 1 rows in [\\d.]+ s`));
  expect(imported.code).toBe(0);

  expect(run('seed-synthetic.ts', ['--rows', 'many']).stderr).toMatch(/--rows must be a whole number/);
});

it('import --replace of a file with no data rows refuses (exit 1, table unchanged) unless --allow-empty', () => {
  const one = join(dir, 'one.csv');
  writeFileSync(one, `${HEADER}\n1,1,Miss A,female,30,0,0,80\n`);
  expect(run('import-csv.ts', [one, '--replace']).code).toBe(0);
  const empty = join(dir, 'empty.csv');
  writeFileSync(empty, `${HEADER}\n`);
  // The refusal counts the rows it kept, so a second one shows the first changed nothing.
  const refusal = `${empty}: no data rows after the header; --replace would delete all 1 rows. Pass --allow-empty to empty the table on purpose.\n`;
  expect(run('import-csv.ts', [empty, '--replace'])).toEqual({ code: 1, stdout: '', stderr: refusal });
  expect(run('import-csv.ts', [empty, '--replace'])).toEqual({ code: 1, stdout: '', stderr: refusal });
  const allowed = run('import-csv.ts', [empty, '--replace', '--allow-empty']);
  expect(allowed.stderr).toMatch(new RegExp(`^imported ${empty}: 0 rows`));
  expect(allowed.code).toBe(0);
  expect(run('import-csv.ts', [empty, '--replace']).stderr).toContain('would delete all 0 rows');
});
