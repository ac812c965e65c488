// @ts-check
// A stub language pack, so that `code-server --locale <language>` takes effect offline (the test
// server has no gallery to install Microsoft's). VS Code switches its display language only to a
// language that an installed extension contributes under `localizations`; the stub translates
// nothing of VS Code itself, so the workbench stays English and every translated text on screen
// comes from Lync Recovery's own bundles (package.nls.<language>.json, l10n/bundle.l10n.<language>.json).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Packages the stub for `language` into `dir` and returns the VSIX path. @param {string} language @param {string} dir */
export function languagePackVsix(language, dir) {
  const folder = fs.mkdtempSync(path.join(dir, `language-pack-${language}-`));
  fs.mkdirSync(path.join(folder, 'translations'));
  fs.writeFileSync(path.join(folder, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  fs.writeFileSync(path.join(folder, 'README.md'), `Test stub: makes ${language} a display language.\n`);
  fs.writeFileSync(path.join(folder, 'LICENSE'), 'Test fixture.\n');
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({
    name: `stub-language-pack-${language}`,
    displayName: `Stub language pack (${language})`,
    publisher: 'lync-recovery-tests',
    version: '0.0.1',
    engines: { vscode: '^1.100.0' },
    categories: ['Language Packs'],
    contributes: { localizations: [{ languageId: language, languageName: language, localizedLanguageName: language, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }] },
  }, null, 2));
  const vsix = path.join(dir, `stub-language-pack-${language}.vsix`);
  execFileSync(path.join(root, 'node_modules', '.bin', 'vsce'), ['package', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: folder, stdio: 'pipe' });
  fs.rmSync(folder, { recursive: true, force: true });
  return vsix;
}
