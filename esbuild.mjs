// Bundles the three entry points. Only `vscode` stays external; anything that does not
// resolve fails the build (esbuild reports it as an error), so the VSIX never ships a
// bundle that needs node_modules.
//   node esbuild.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = path.dirname(new URL(import.meta.url).pathname);

/** Files the bundles load at run time (WASM grammars); copied next to them. */
const runtimeAssets = [
  ['node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/tree-sitter.wasm'],
  ['node_modules/tree-sitter-powershell/tree-sitter-powershell.wasm', 'dist/tree-sitter-powershell.wasm'],
];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  // mssql/tedious probe optional modules; these are never used by the product.
  external: ['vscode'],
  mainFields: ['module', 'main'],
};

const entries = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['src/server/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The rehearsal lab's PowerShell stand-in, launched as `node dist/lab-shell.js` by node-powershell.
  { entryPoints: ['src/lab/shell/standin.ts'], outfile: 'dist/lab-shell.js' },
  // The rehearsal lab, loaded on demand by the extension's rehearsal mode (never at activation).
  { entryPoints: ['src/lab/index.ts'], outfile: 'dist/lab.js' },
];

fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
for (const [from, to] of runtimeAssets) {
  if (fs.existsSync(path.join(root, from))) fs.copyFileSync(path.join(root, from), path.join(root, to));
}

if (watch) {
  const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching');
} else {
  const results = await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e, metafile: true })));
  for (const [i, r] of results.entries()) {
    const out = Object.entries(r.metafile.outputs).find(([f]) => f.endsWith('.js'));
    console.log(`esbuild: ${entries[i].outfile} ${(out[1].bytes / 1024).toFixed(0)} KiB`);
  }
  fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
}
