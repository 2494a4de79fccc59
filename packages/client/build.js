// Builds dist/: index.js + .d.ts by `tsc -b` (incremental: with nothing
// changed it is an up-to-date check, no compile), and the contract's types
// copied from the repository's generated/openapi.d.ts (never written by hand),
// which the emitted declarations import as './openapi'. A renamed source leaves
// its old output in dist/ until dist/ is deleted; `npm run test:package` checks
// the tarball's exact file list, so such a leftover cannot ship unnoticed.
const { execFileSync } = require('node:child_process');
const { copyFileSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, 'dist');
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', join(__dirname, 'tsconfig.json')], { stdio: 'inherit' });
copyFileSync(join(__dirname, '..', '..', 'generated', 'openapi.d.ts'), join(dist, 'openapi.d.ts'));
