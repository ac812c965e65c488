/**
 * The language server's diagnostics in the client's language (src/server/localize.ts): the rule's
 * catalogue line translated before the detailed message, quick-fix titles translated by their
 * verb, English untouched — and every quick-fix title the rules can produce has a known shape.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ruleMeta } from '../../../src/core/rules';
import { bundleOf, FIX_TITLE_PREFIXES, localizeFixTitle, localizeProblem } from '../../../src/server/localize';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

/** `l10n.t` over one bundle file, as @vscode/l10n does it: the translation, `{n}` filled; the key when absent. */
function translator(bundleFile: string) {
  const bundle = JSON.parse(fs.readFileSync(path.join(root, bundleFile), 'utf8')) as Record<string, string>;
  return (message: string, ...args: Array<string | number | boolean>) =>
    (bundle[message] ?? message).replace(/\{(\d+)\}/g, (whole, i: string) => (args[Number(i)] === undefined ? whole : String(args[Number(i)])));
}
const english = (message: string, ...args: Array<string | number | boolean>) => message.replace(/\{(\d+)\}/g, (w, i: string) => String(args[Number(i)] ?? w));

const problem = {
  rule: 'pool-state-missing',
  severity: 'error' as const,
  message: 'Set-CsPersistentChatState without -PoolState: add -PoolState FailedOver.',
  range: { start: { line: 51, character: 0 }, end: { line: 51, character: 10 } },
  fixes: [{ title: 'Add -PoolState FailedOver', edits: [] }, { title: 'Remove the space', edits: [] }],
};

describe('language server localisation', () => {
  it('English: the message and the fixes exactly as core wrote them', () => {
    assert.deepEqual(localizeProblem(problem, english), problem);
  });

  it('French: the rule\'s catalogue line in French, then the detail; fix verbs in French', () => {
    const t = translator('l10n/bundle.l10n.fr.json');
    const localized = localizeProblem(problem, t);
    const summary = t(ruleMeta('pool-state-missing')!.description);
    assert.notEqual(summary, ruleMeta('pool-state-missing')!.description, 'the rule has a French line');
    assert.equal(localized.message, `${summary} — ${problem.message}`);
    assert.match(localized.message, /^`Set-CsPersistentChatState` sans `-PoolState`/);
    assert.deepEqual(localized.fixes.map((f) => f.title), ['Ajouter -PoolState FailedOver', 'Supprimer l’espace']);
  });

  it('Japanese: fix titles keep what they name', () => {
    const t = translator('l10n/bundle.l10n.ja.json');
    assert.equal(localizeFixTitle('Replace with -ActiveServers', t), '-ActiveServers に置換');
    assert.equal(localizeFixTitle('Use dal-pcbak', t), 'dal-pcbak を使用');
  });

  it('a problem of an unknown rule (estate checks) keeps its message', () => {
    const t = translator('l10n/bundle.l10n.fr.json');
    assert.equal(localizeProblem({ ...problem, rule: 'estate/unknown-sql-instance', fixes: undefined }, t).message, problem.message);
  });

  it('every quick-fix title the rules write starts with a translated verb or is translated whole', () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.json'), 'utf8')) as Record<string, string>;
    const dir = path.join(root, 'src/core/rules');
    const titles = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).flatMap((f) =>
      [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/\b(?:replaceWith|insertAt)\(\s*(['`])((?:(?!\1)[^\\]|\\.)*)\1/g)].map((m) => `${f}: ${m[2]}`),
    );
    assert.ok(titles.length > 20, 'the rules were read');
    const unknown = titles.filter((entry) => {
      const title = entry.slice(entry.indexOf(': ') + 2);
      return !(title in bundle) && !FIX_TITLE_PREFIXES.some((p) => title.startsWith(p));
    });
    assert.deepEqual(unknown, []);
  });

  it('the client\'s bundle comes from initializationOptions, when it names one', () => {
    assert.equal(bundleOf({ l10nBundle: '/ext/l10n/bundle.l10n.fr.json' }), '/ext/l10n/bundle.l10n.fr.json');
    assert.equal(bundleOf({}), undefined);
    assert.equal(bundleOf(undefined), undefined);
    assert.equal(bundleOf({ l10nBundle: 42 }), undefined);
  });
});
