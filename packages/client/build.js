// Builds dist/cjs/ (CommonJS, for require) and dist/esm/ (ES modules, for
// import) by `tsc -b` (incremental: with nothing changed it is an up-to-date
// check, no compile), each with the contract's types copied from the
// repository's generated/openapi.d.ts (never written by hand), which the
// emitted declarations import as './openapi.js', and a package.json naming the
// folder's module type, so Node and TypeScript read each folder as what it is.
// A renamed source leaves its old output in dist/ until dist/ is deleted;
// `npm run test:package` checks the tarball's exact file list, so such a
// leftover cannot ship unnoticed.
const { execFileSync } = require('node:child_process');
const { copyFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-b', join(__dirname, 'tsconfig.json'), join(__dirname, 'tsconfig.esm.json')], { stdio: 'inherit' });
for (const [folder, type] of [
  ['cjs', 'commonjs'],
  ['esm', 'module'],
]) {
  const dist = join(__dirname, 'dist', folder);
  copyFileSync(join(__dirname, '..', '..', 'generated', 'openapi.d.ts'), join(dist, 'openapi.d.ts'));
  writeFileSync(join(dist, 'package.json'), `${JSON.stringify({ type })}\n`);
}
