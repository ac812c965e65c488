/**
 * The language client's document selector and watchers against the server: every estate name the
 * server checks (`.yml` as well as `.yaml`) is sent by the client, and the manifest activates and
 * validates `.yml` estates too.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ESTATE_FILES_GLOB, RUNBOOK_FILES_GLOB } from '../../../src/core/runbook/protocol';
import { DOCUMENT_SELECTOR, WATCHED_FILES } from '../../../src/extension/language/selector';
import { isEstateUri, isRunbookUri } from '../../../src/server/runbooks';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
// VS Code glob semantics for what these patterns use: `**/` (any folders), `*` (within a name), `{a,b}`.
const globToRegExp = (glob: string) =>
  new RegExp(
    `^${glob
      .replace(/[.+^$()|[\]\\]/g, '\\$&')
      .replace(/\{([^}]*)\}/g, (_, alternatives: string) => `(?:${alternatives.split(',').join('|')})`)
      .split('**/')
      .map((part) => part.replace(/\*/g, '[^/]*'))
      .join('(?:.*/)?')}$`,
  );
const matches = (file: string, glob: string) => globToRegExp(glob).test(file);
const selected = (file: string, language: string) => DOCUMENT_SELECTOR.some((f) => f.language === language && matches(file, f.pattern));

const ESTATES = ['/w/lync-estate.yaml', '/w/lync-estate.yml', '/w/sites/dal/lync-estate.yml', '/w/dal-lync-estate.yml'];
const NOT_ESTATES = ['/w/estate.yml', '/w/lync-estate.json', '/w/lync-estate.yml.bak'];

test('the selector sends .yml and .yaml estates to the server, and only what the server treats as an estate', () => {
  for (const file of ESTATES) {
    assert.ok(selected(file, 'yaml'), file);
    assert.ok(isEstateUri(pathToFileURL(file).toString()), `the server takes ${file} as an estate`);
  }
  for (const file of NOT_ESTATES) assert.ok(!selected(file, 'yaml'), file);
  assert.ok(selected('/w/failover.runbook.md', 'markdown'));
  assert.ok(isRunbookUri(pathToFileURL('/w/failover.runbook.md').toString()));
  assert.ok(!selected('/w/README.md', 'markdown'));
});

test('the client watches the estates the server registers a watcher for', () => {
  assert.ok(WATCHED_FILES.includes(ESTATE_FILES_GLOB));
  for (const file of ESTATES) assert.ok(WATCHED_FILES.some((glob) => matches(file, glob)), file);
});

test('the manifest activates on, and validates, .yml estates as it does .yaml ones', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    activationEvents: string[];
    contributes: { yamlValidation: { fileMatch: string | string[]; url: string }[] };
  };
  for (const name of ['lync-estate.yaml', 'lync-estate.yml']) {
    assert.ok(manifest.activationEvents.includes(`workspaceContains:**/${name}`), name);
    assert.ok(manifest.contributes.yamlValidation.some((v) => [v.fileMatch].flat().includes(name) && v.url.endsWith('lync-estate.schema.json')), name);
  }
});

test('the manifest activates for runbooks, not for every Markdown file', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { activationEvents: string[] };
  assert.ok(!manifest.activationEvents.includes('onLanguage:markdown'), 'onLanguage:markdown starts the extension for every README');
  assert.ok(manifest.activationEvents.includes(`workspaceContains:${RUNBOOK_FILES_GLOB}`), RUNBOOK_FILES_GLOB);
});
