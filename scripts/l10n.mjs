// Extracts the extension's user-visible strings into l10n/bundle.l10n.json with @vscode/l10n-dev.
//   node scripts/l10n.mjs           write the bundle
//   node scripts/l10n.mjs --check   exit 1 when the bundle is stale (a string added, changed or removed)
// Besides `vscode.l10n.t(…)` / `l10n.t(…)`, the pure modules take a translator parameter named `t`
// (src/extension/translate.ts) that the extension fills with `vscode.l10n.t`; l10n-dev only knows
// the first form, so `t(…)` calls are handed to it spelled as `vscode.l10n.t(…)`. The language
// server also translates each rule's catalogue line and the rules' fixed quick-fix titles
// (src/server/localize.ts): they are read from the rule table and the rules' sources.
// Run with tsx (npm run l10n) so the rule table can be imported.
import { getL10nJson } from '@vscode/l10n-dev';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const SOURCES = ['src/extension', 'src/server'];
const BUNDLE = path.join(root, 'l10n', 'bundle.l10n.json');

function* typescriptFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* typescriptFiles(file);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield file;
  }
}

/** A translator parameter's calls as l10n-dev recognises them. */
const asVscodeCalls = (text) => `import * as vscode from 'vscode';\n${text.replace(/(?<![\w.$])t\(/g, 'vscode.l10n.t(')}`;

const files = SOURCES.flatMap((dir) => [...typescriptFiles(path.join(root, dir))]).sort();
const bundle = await getL10nJson(files.map((file) => ({ extension: '.ts', contents: asVscodeCalls(fs.readFileSync(file, 'utf8')) })));
const { RULES } = await import('../src/core/rules/index.ts');
for (const rule of RULES) bundle[rule.meta.description] = rule.meta.description;
for (const file of [...typescriptFiles(path.join(root, 'src/core/rules'))]) {
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/\b(?:replaceWith|insertAt)\(\s*'((?:[^'\\]|\\.)*)'/g)) bundle[m[1]] = m[1];
}
const sorted = Object.fromEntries(Object.entries(bundle).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const text = `${JSON.stringify(sorted, null, 2)}\n`;

if (process.argv.includes('--check')) {
  const current = fs.existsSync(BUNDLE) ? fs.readFileSync(BUNDLE, 'utf8') : '';
  if (current !== text) {
    console.error(`${path.relative(root, BUNDLE)} is stale: run npm run l10n, then translate the new strings in l10n/bundle.l10n.<language>.json.`);
    process.exit(1);
  }
} else {
  fs.mkdirSync(path.dirname(BUNDLE), { recursive: true });
  fs.writeFileSync(BUNDLE, text);
  console.log(`${path.relative(root, BUNDLE)}: ${Object.keys(sorted).length} strings from ${files.length} files`);
}
