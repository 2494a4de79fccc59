import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { ROOT, TITANIC_CSV as TITANIC } from '../../scripts/lib/paths';

// docs/operations.md "Load data": the compose and kubectl recipes pipe a local CSV into
// `node dist/bulk/import.js - …` inside the image. No Docker engine or cluster
// here, so the part after `api` / `--` runs as written in this checkout (the
// image's /app layout: dist/ beside node_modules/), on the machine's PostgreSQL.
const SERVER = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const DATABASE = `passenger_recipes_${process.pid}`;
const readme = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');

const RECIPES: [string, RegExp][] = [
  ['compose', /^\s*docker compose exec -T api (node dist\/bulk\/import\.js - [^<]*)< titanic\.csv$/m],
  ['kubectl exec', /^\s*kubectl -n passenger-api exec -i deploy\/passenger-api -c api -- (node dist\/bulk\/import\.js - [^<]*)< titanic\.csv$/m],
];

async function onServer<T>(database: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: Object.assign(new URL(SERVER), { pathname: `/${database}` }).toString() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

beforeAll(() => onServer('postgres', (c) => c.query(`drop database if exists ${DATABASE} with (force)`).then(() => c.query(`create database ${DATABASE}`))));
afterAll(() => onServer('postgres', (c) => c.query(`drop database if exists ${DATABASE} with (force)`)));

it.each(RECIPES)('the %s recipe imports titanic.csv from standard input, replacing what is there', async (_name, recipe) => {
  const [command, ...args] = readme.match(recipe)![1].trim().split(/\s+/);
  expect(command).toBe('node');
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    input: readFileSync(TITANIC),
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: Object.assign(new URL(SERVER), { pathname: `/${DATABASE}` }).toString() },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect({ code: result.status, stderr: result.stderr.replace(/ in [\d.]+ s .*\n$/, '') }).toEqual({ code: 0, stderr: 'imported -: 887 rows' });
  const { rows } = await onServer(DATABASE, (c) => c.query<{ n: number }>('select count(*)::int as n from passenger'));
  expect(rows[0].n).toBe(887);
});
