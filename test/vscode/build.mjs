// @ts-check
// Bundles the extension-host suite: test/vscode/index.ts, suite/*.test.ts (trusted host) and
// restricted/*.test.ts (untrusted host), each to its own CommonJS file under out/test/vscode/
// (index.js loads the folder's *.test.js by path). `vscode` is
// provided by the extension host; mocha stays external and is resolved from the repository's
// node_modules when the suite runs.
//   node test/vscode/build.mjs
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outdir = path.join(root, 'out', 'test', 'vscode');
const suites = ['suite', 'restricted'];

const entryPoints = [
  'test/vscode/index.ts',
  ...suites.flatMap((dir) => fs.readdirSync(path.join(root, 'test', 'vscode', dir))
    .filter((f) => f.endsWith('.test.ts')).sort().map((f) => `test/vscode/${dir}/${f}`)),
];

// Start clean: a test file deleted from the source must not linger in out/.
fs.rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  absWorkingDir: root,
  entryPoints,
  outbase: 'test/vscode',
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`vscode suite: bundled ${entryPoints.length} entries into ${path.relative(root, outdir)}/`);
