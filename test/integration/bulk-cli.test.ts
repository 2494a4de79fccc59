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
