import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/paths';

// The npm scripts as a user runs them, on an embedded database in a temporary
// directory: exit codes, the error line and the one-line summary off a TTY.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'passenger-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const HEADER = 'Survived,Pclass,Name,Sex,Age,Siblings_Spouses_Aboard,Parents_Children_Aboard,Fare';

// `import` is the built command the image ships (dist/bulk/import.js, which
// `npm run import` runs); the synthetic seeder is a tsx script.
function run(script: string, args: string[], stdin?: string, dataDir = join(dir, 'db')) {
  const [command, file] =
    script === 'import'
      ? [process.execPath, join(ROOT, 'dist', 'bulk', 'import.js')]
      : [join(ROOT, 'node_modules', '.bin', 'tsx'), join(ROOT, 'scripts', script)];
  const result = spawnSync(command, [file, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PGLITE_DATA_DIR: dataDir },
    encoding: 'utf8',
    input: stdin,
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

it('import prints FILE:LINE on a bad row and exits 1; seed:synthetic then import --replace summarise in one line', () => {
  const bad = join(dir, 'bad.csv');
  writeFileSync(
    bad,
    'Survived,Pclass,Name,Sex,Age,Siblings_Spouses_Aboard,Parents_Children_Aboard,Fare\n0,3,Mr. A,male,22,1,0,7.25\n0,9,Mr. B,male,22,1,0,7.25\n',
  );
  expect(run('import', [bad])).toEqual({ code: 1, stdout: '', stderr: `${bad}:3: Pclass must be <= 3, got 9\n` });

  const seeded = run('seed-synthetic.ts', ['--rows', '50', '--seed', '3']);
  expect(seeded.stderr).toMatch(/^synthetic passengers \(seed 3\): 50 rows in [\d.]+ s \([\d,]+ rows\/s\)\n$/);
  expect(seeded.code).toBe(0);

  const good = join(dir, 'good.csv');
  writeFileSync(good, 'Survived,Pclass,Name,Sex,Age,Siblings_Spouses_Aboard,Parents_Children_Aboard,Fare\n0,3,Mr. A,male,22,1,0,7.25');
  const imported = run('import', [good, '--replace']);
  expect(imported.stderr).toMatch(new RegExp(`^imported ${good}: 1 rows in [\\d.]+ s`));
  expect(imported.code).toBe(0);

  expect(run('seed-synthetic.ts', ['--rows', 'many']).stderr).toMatch(/--rows must be a whole number/);

  expect(run('import', []).stderr).toMatch(/^name exactly one CSV file, or - for standard input\nusage: node dist\/bulk\/import.js /);
});

it('import --help and -h print the usage and exit 0; an unknown option gets the usage and exit 1, before the database is opened', () => {
  for (const flag of ['--help', '-h']) {
    const help = run('import', [flag]);
    expect(help.stdout).toMatch(/^usage: node dist\/bulk\/import.js FILE.csv\|- \[--replace\] \[--allow-empty\]/);
    expect(help.stdout).toContain('--replace ');
    expect(help.stdout).toContain('new uuid');
    expect(help).toMatchObject({ code: 0, stderr: '' });
  }
  const unopened = join(dir, 'never-opened');
  const unknown = run('import', ['--replcae', 'x.csv'], undefined, unopened);
  expect(unknown.stderr).toMatch(/^Unknown option '--replcae'.*\nusage: node dist\/bulk\/import.js /);
  expect(unknown.code).toBe(1);
  // No database was opened: the directory PGLITE_DATA_DIR names was never created.
  expect(existsSync(unopened)).toBe(false);
});

it('import - reads the CSV from standard input, with the same checks and --replace', () => {
  const header = 'Survived,Pclass,Name,Sex,Age,Siblings_Spouses_Aboard,Parents_Children_Aboard,Fare\n';
  expect(run('import', ['-'], `${header}0,3,Mr. A,male,22,1,0,7.25\n0,3,Mr. B,male,,1,0,x\n`)).toEqual({
    code: 1,
    stdout: '',
    stderr: 'stdin:3: Fare must be number, got "x"\n',
  });
  const imported = run('import', ['-', '--replace'], `${header}0,3,Mr. A,male,22,1,0,7.25\n1,1,Mrs. B,female,,0,0,80\n`);
  expect(imported.stderr).toMatch(/^imported -: 2 rows in [\d.]+ s/);
  expect(imported.code).toBe(0);
});

it('import --replace of a file with no data rows refuses (exit 1, table unchanged) unless --allow-empty', () => {
  const one = join(dir, 'one.csv');
  writeFileSync(one, `${HEADER}\n1,1,Miss A,female,30,0,0,80\n`);
  expect(run('import', [one, '--replace']).code).toBe(0);
  const empty = join(dir, 'empty.csv');
  writeFileSync(empty, `${HEADER}\n`);
  // The refusal counts the rows it kept, so a second one shows the first changed nothing.
  const refusal = `${empty}: no data rows after the header; --replace would delete all 1 rows. Pass --allow-empty to empty the table on purpose.\n`;
  expect(run('import', [empty, '--replace'])).toEqual({ code: 1, stdout: '', stderr: refusal });
  expect(run('import', [empty, '--replace'])).toEqual({ code: 1, stdout: '', stderr: refusal });
  const allowed = run('import', [empty, '--replace', '--allow-empty']);
  expect(allowed.stderr).toMatch(new RegExp(`^imported ${empty}: 0 rows`));
  expect(allowed.code).toBe(0);
  expect(run('import', [empty, '--replace']).stderr).toContain('would delete all 0 rows');
});
