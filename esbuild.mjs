// Bundles the three entry points. Only `vscode` stays external; anything that does not
// resolve fails the build (esbuild reports it as an error), so the VSIX never ships a
// bundle that needs node_modules.
//   node esbuild.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = path.dirname(new URL(import.meta.url).pathname);
const requireFromRoot = createRequire(path.join(root, 'package.json'));

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

/**
 * Libraries the extension needs only after activation (drivers, the language client, the runbook
 * parser's Markdown and PowerShell grammars). Each is bundled on its own into dist/lib/<file>, and
 * dist/extension.js requires that file on first use instead of carrying the library: the
 * extension host then reads and compiles ~1 MB at activation instead of ~5 MB. Only third-party
 * code goes there — our own modules stay in one bundle, so `instanceof` on core's error classes
 * keeps working across the boundary. The CLI, server and lab bundles keep them inline.
 */
const lazyLibraries = [
  { specifier: 'mssql', file: 'mssql.js' }, // with tedious, @azure/*, iconv-lite, js-joda
  { specifier: 'node-powershell', file: 'node-powershell.js' },
  { specifier: 'vscode-languageclient/node', file: 'vscode-languageclient.js' },
  { specifier: 'markdown-it', file: 'markdown-it.js' },
  // Its CommonJS build, as `require('web-tree-sitter')` resolves (src/core/runbook/powershell.ts): the ESM build needs import.meta.url.
  { specifier: 'web-tree-sitter', file: 'web-tree-sitter.js', resolveAs: 'require' },
  { specifier: 'fast-xml-parser', file: 'fast-xml-parser.js' }, // Import Topology
];

/** Resolves the lazy libraries' imports in dist/extension.js to `require('./lib/<file>')`. */
const lazyLibrariesPlugin = {
  name: 'lazy-libraries',
  setup(build) {
    const byName = new Map(lazyLibraries.map((l) => [l.specifier, l.file]));
    build.onResolve({ filter: /^[@a-z]/ }, (args) => {
      const file = byName.get(args.path);
      return file ? { path: `./lib/${file}`, external: true } : undefined;
    });
  },
};

/**
 * The CLI's subcommands, each in a bundle of its own that dist/cli.js imports when the command is
 * called (src/cli/main.ts): `lint` then reads and compiles ~1 MB, not the drivers and the lab.
 * The live commands take the lazy libraries from dist/lib like the extension.
 */
const cliCommands = [
  { specifier: './lint', file: 'cli-lint.js' },
  { specifier: './run', file: 'cli-run.js', plugins: [lazyLibrariesPlugin] },
  { specifier: './rehearse', file: 'cli-rehearse.js', plugins: [lazyLibrariesPlugin] },
  { specifier: './journal-commands', file: 'cli-journal.js', plugins: [lazyLibrariesPlugin] },
];

/** Resolves main.ts's `import('./lint')`… to the command bundles beside dist/cli.js. */
const cliCommandsPlugin = {
  name: 'cli-commands',
  setup(build) {
    const byName = new Map(cliCommands.map((c) => [c.specifier, c.file]));
    build.onResolve({ filter: /^\.\// }, (args) => {
      const file = args.kind === 'dynamic-import' ? byName.get(args.path) : undefined;
      return file ? { path: `./${file}`, external: true } : undefined;
    });
  },
};

const entries = [
  {
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    plugins: [lazyLibrariesPlugin],
    // When the bundle's module code starts (after it was read and compiled) and ends:
    // activate() reports how long it ran (api.bundleEvaluationMs). The directive comes first, or
    // the bundle would not be strict.
    banner: { js: '"use strict";\nvar __lyncBundleStart = performance.now();' },
    footer: { js: 'var __lyncBundleEnd = performance.now();' },
  },
  ...lazyLibraries.map((l) => ({ entryPoints: [l.resolveAs === 'require' ? requireFromRoot.resolve(l.specifier) : l.specifier], outfile: `dist/lib/${l.file}` })),
  { entryPoints: ['src/server/main.ts'], outfile: 'dist/server.js' },
  // `supported`: import() becomes require(); Node's import() of a CommonJS file first scans the
  // whole file for its export names (~0.3 s for cli-lint.js).
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [cliCommandsPlugin], supported: { 'dynamic-import': false } },
  ...cliCommands.map((c) => ({ entryPoints: [`src/cli/${c.specifier.slice(2)}.ts`], outfile: `dist/${c.file}`, plugins: c.plugins ?? [] })),
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
