// Builds dist/: index.js + .d.ts by tsc, and the contract's types copied from
// the repository's generated/openapi.d.ts (never written by hand), which the
// emitted declarations import as './openapi'.
const { execFileSync } = require('node:child_process');
const { copyFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, 'dist');
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(__dirname, 'tsconfig.json')], { stdio: 'inherit' });
copyFileSync(join(__dirname, '..', '..', 'generated', 'openapi.d.ts'), join(dist, 'openapi.d.ts'));
