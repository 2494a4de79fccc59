import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT as root } from '../../scripts/lib/paths';

// generated/openapi.d.ts is committed; it must be exactly what the spec generates.
it('generated/openapi.d.ts matches a fresh generation from openapi/openapi.yaml', () => {
  const fresh = join(mkdtempSync(join(tmpdir(), 'openapi-types-')), 'openapi.d.ts');
  execFileSync(join(root, 'node_modules', '.bin', 'openapi-typescript'), ['openapi/openapi.yaml', '-o', fresh], {
    cwd: root,
    stdio: 'pipe',
  });
  const committed = readFileSync(join(root, 'generated', 'openapi.d.ts'), 'utf8');
  expect(readFileSync(fresh, 'utf8')).toBe(committed);
});
