/**
 * The product in French, Simplified Chinese and Japanese: every string of the l10n bundle
 * (`npm run l10n` extracts it from the sources) and every key of package.nls.json must be
 * translated in each language, with the same placeholders, command links and setting links.
 * A failure names the file and the key. Whether the extracted bundle is current with the sources
 * is `npm run l10n:check` (a CI step: extraction parses every source file, too slow for a unit test).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const LANGUAGES = ['fr', 'zh-cn', 'ja'] as const;

const readJson = (file: string): Record<string, string> => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, string>;

/** What must survive translation unchanged: `{0}` placeholders, `(command:…)` links, `#setting#` links. */
const invariants = (text: string): string[] =>
  [...text.matchAll(/\{\d+\}|\(command:[^)]+\)|#lyncRecovery\.[\w.]+#/g)].map((m) => m[0]).sort();

/** The problems of one translation file against its source: missing, extra, empty, broken keys. */
function problems(sourceFile: string, translatedFile: string): string[] {
  const source = readJson(sourceFile);
  if (!fs.existsSync(path.join(root, translatedFile))) return [`${translatedFile}: the file is missing`];
  const translated = readJson(translatedFile);
  const found: string[] = [];
  for (const [key, text] of Object.entries(source)) {
    const t = translated[key];
    if (t === undefined) found.push(`${translatedFile}: missing ${JSON.stringify(key)}`);
    else if (typeof t !== 'string' || t.trim() === '') found.push(`${translatedFile}: empty ${JSON.stringify(key)}`);
    else if (JSON.stringify(invariants(t)) !== JSON.stringify(invariants(text))) {
      found.push(`${translatedFile}: ${JSON.stringify(key)} must keep ${invariants(text).join(' ') || 'no placeholder'}, has ${invariants(t).join(' ') || 'none'}`);
    }
  }
  for (const key of Object.keys(translated)) if (!(key in source)) found.push(`${translatedFile}: ${JSON.stringify(key)} is not in ${sourceFile} (stale)`);
  return found;
}

describe('translations', () => {
  it('the package.json manifest points VS Code at the bundles', () => {
    assert.equal((readJson('package.json') as unknown as { l10n?: string }).l10n, './l10n');
  });

  for (const language of LANGUAGES) {
    it(`l10n/bundle.l10n.${language}.json translates every string of l10n/bundle.l10n.json`, () => {
      assert.deepEqual(problems('l10n/bundle.l10n.json', `l10n/bundle.l10n.${language}.json`), []);
    });

    it(`package.nls.${language}.json translates every key of package.nls.json`, () => {
      assert.deepEqual(problems('package.nls.json', `package.nls.${language}.json`), []);
    });
  }

  it('the check names what is wrong', () => {
    const dir = fs.mkdtempSync(path.join(root, 'l10n', '.test-'));
    try {
      const rel = (f: string) => path.relative(root, path.join(dir, f));
      fs.writeFileSync(path.join(dir, 'en.json'), JSON.stringify({ 'Run {0}': 'Run {0}', '[Open](command:x.y)': '[Open](command:x.y)', Old: 'Old' }));
      fs.writeFileSync(path.join(dir, 'xx.json'), JSON.stringify({ 'Run {0}': 'Exécuter', '[Open](command:x.y)': '[Ouvrir](command:x.y)', Stale: 'Périmé' }));
      assert.deepEqual(problems(rel('en.json'), rel('xx.json')), [
        `${rel('xx.json')}: "Run {0}" must keep {0}, has none`,
        `${rel('xx.json')}: missing "Old"`,
        `${rel('xx.json')}: "Stale" is not in ${rel('en.json')} (stale)`,
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
