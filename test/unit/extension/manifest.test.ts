/**
 * package.json against the code and the docs: manifest strings through package.nls.json (no
 * missing and no unused keys), every setting documented, every command classified for
 * Restricted Mode (src/extension/commands/policy.ts), the settings that name executables or
 * connections restricted, and the menus consistent.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { COMMAND_POLICIES, commandPolicy, needsTrust } from '../../../src/extension/commands/policy';
import { poolArgument } from '../../../src/extension/guided/model';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

interface MenuEntry {
  readonly command?: string;
  readonly submenu?: string;
  readonly when?: string;
  readonly group?: string;
}

interface Manifest {
  readonly capabilities: { readonly untrustedWorkspaces: { readonly supported: string; readonly restrictedConfigurations?: readonly string[] } };
  readonly contributes: {
    readonly commands: readonly { readonly command: string; readonly title: string; readonly category?: string }[];
    readonly submenus?: readonly { readonly id: string; readonly label: string }[];
    readonly menus: Readonly<Record<string, readonly MenuEntry[]>>;
    readonly configuration: readonly { readonly id: string; readonly title: string; readonly properties: Readonly<Record<string, unknown>> }[];
  };
}

const manifest = readJson('package.json') as Manifest;
const nls = readJson('package.nls.json') as Record<string, string>;
const contributed = manifest.contributes.commands.map((c) => c.command);
/** Every setting, across the titled sections of `contributes.configuration`. */
const settings: Readonly<Record<string, unknown>> = Object.assign({}, ...manifest.contributes.configuration.map((s) => s.properties));

/** Manifest fields VS Code shows to the user (and localises through `%key%`). */
const USER_VISIBLE = new Set([
  'title', 'shortTitle', 'category', 'name', 'label', 'description', 'markdownDescription', 'contextualTitle', 'contents',
  'enumDescriptions', 'markdownEnumDescriptions', 'deprecationMessage', 'markdownDeprecationMessage', 'altText',
]);

/** Every string of the localised parts of the manifest, with the key it sits under and its path. */
function* strings(value: unknown, key = '', where = ''): Generator<{ key: string; where: string; text: string }> {
  if (typeof value === 'string') yield { key, where, text: value };
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, key, `${where}[${i}]`);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, k, `${where}.${k}`);
}

const localised = [...strings(manifest.contributes, '', 'contributes'), ...strings(manifest.capabilities, '', 'capabilities')];

describe('package.json and package.nls.json', () => {
  it('every %key% in package.json exists in package.nls.json', () => {
    const missing = localised.flatMap((s) => {
      const m = /^%(.+)%$/.exec(s.text);
      return m && !(m[1]! in nls) ? [`${s.where}: ${s.text}`] : [];
    });
    assert.deepEqual(missing, []);
  });

  it('every key of package.nls.json is used by package.json', () => {
    const used = new Set(localised.flatMap((s) => /^%(.+)%$/.exec(s.text)?.[1] ?? []));
    assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), []);
  });

  it('no user-visible manifest string is a literal', () => {
    // A problem matcher's `name` is an identifier (`$lync-runbook` in tasks.json), not text.
    const literals = localised.filter((s) => USER_VISIBLE.has(s.key) && !/^%.+%$/.test(s.text) && !/\.problemMatchers\[\d+\]\.name$/.test(s.where)).map((s) => `${s.where}: ${s.text}`);
    assert.deepEqual(literals, []);
  });

  it('package.nls.json has no empty message', () => {
    assert.deepEqual(Object.entries(nls).filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k), []);
  });
});

describe('settings', () => {
  it('are grouped in titled sections, none empty, each id unique', () => {
    const sections = manifest.contributes.configuration;
    assert.ok(Array.isArray(sections) && sections.length > 1, 'contributes.configuration is an array of sections');
    for (const s of sections) {
      assert.match(s.title, /^%configuration\.section\..+\.title%$/, s.id);
      assert.ok(Object.keys(s.properties).length > 0, `${s.id} has settings`);
    }
    assert.equal(new Set(sections.map((s) => s.id)).size, sections.length);
  });
});

describe('settings are documented', () => {
  const docs = fs.readFileSync(path.join(root, 'docs', 'configuration.md'), 'utf8');
  it('every contributes.configuration property appears in docs/configuration.md', () => {
    const undocumented = Object.keys(settings).filter((id) => !docs.includes(`\`${id}\``));
    assert.deepEqual(undocumented, []);
  });
});

describe('Restricted Mode: the command table', () => {
  it('every contributed command has a trust policy', () => {
    assert.deepEqual(contributed.filter((id) => commandPolicy(id) === undefined), []);
  });

  it('the table names only contributed commands', () => {
    assert.deepEqual(Object.keys(COMMAND_POLICIES).filter((id) => !contributed.includes(id)), []);
  });

  it('exactly the commands that connect or execute need trust', () => {
    const guarded = contributed.filter((id) => needsTrust(id) && !id.startsWith('lyncRecovery.step.'));
    assert.deepEqual(guarded.sort(), [
      'lyncRecovery.failBackFrontEndPool',
      'lyncRecovery.failBackPersistentChat',
      'lyncRecovery.failOverFrontEndPool',
      'lyncRecovery.failOverPersistentChat',
      'lyncRecovery.refreshAllStatus',
      'lyncRecovery.refreshStatus',
      'lyncRecovery.rehearseRunbook',
      'lyncRecovery.restoreConferenceContent',
      'lyncRecovery.retryStep',
      'lyncRecovery.runRemaining',
      'lyncRecovery.runStep',
      'lyncRecovery.testConnections',
    ]);
    const steps = contributed.filter((id) => id.startsWith('lyncRecovery.step.'));
    assert.ok(steps.length > 0);
    assert.deepEqual(steps.filter((id) => !needsTrust(id)), [], 'every per-step command runs a step');
  });

  it('checking and viewing stay available', () => {
    for (const id of ['lyncRecovery.dryRunStep', 'lyncRecovery.dryRunRunbook', 'lyncRecovery.showSteps', 'lyncRecovery.exportRecoveryReport', 'lyncRecovery.openEstate', 'lyncRecovery.restartLanguageServer', 'lyncRecovery.stopRehearsal', 'lyncRecovery.forgetPassword']) {
      assert.equal(needsTrust(id), false, id);
    }
  });

  it('an unclassified id is an error, not a silent pass', () => {
    assert.equal(commandPolicy('lyncRecovery.somethingNew'), undefined);
    assert.throws(() => needsTrust('lyncRecovery.somethingNew'), /no trust policy/);
    assert.equal(commandPolicy('toString'), undefined);
  });

  it('untrusted workspaces are supported in a limited way', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('settings that name executables, connections or folders are restricted', () => {
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [];
    for (const id of [
      'lyncRecovery.estate',
      'lyncRecovery.sql.connections',
      'lyncRecovery.shell.executable',
      'lyncRecovery.shell.mode',
      'lyncRecovery.shell.module',
      'lyncRecovery.shell.remoteUri',
      'lyncRecovery.shell.prelude',
      'lyncRecovery.journal.directory',
    ]) {
      assert.ok(restricted.includes(id), `${id} is restricted`);
    }
    const properties = Object.keys(settings);
    assert.deepEqual(restricted.filter((id) => !properties.includes(id)), [], 'restricted settings exist');
  });
});

describe('menus', () => {
  const menus = manifest.contributes.menus;
  const submenus = (manifest.contributes.submenus ?? []).map((s) => s.id);

  it('every menu entry names a contributed command or submenu', () => {
    const bad = Object.entries(menus).flatMap(([menu, entries]) =>
      entries.filter((e) => (e.command ? !contributed.includes(e.command) : !e.submenu || !submenus.includes(e.submenu))).map((e) => `${menu}: ${e.command ?? e.submenu}`),
    );
    assert.deepEqual(bad, []);
    for (const id of submenus) assert.ok(menus[id]?.length, `submenu ${id} has entries`);
  });

  it('commands that only work on a row are hidden from the command palette', () => {
    const hidden = new Set((menus.commandPalette ?? []).filter((e) => e.when === 'false').map((e) => e.command));
    for (const id of ['lyncRecovery.revealInEstate', 'lyncRecovery.copyFqdn', 'lyncRecovery.refreshStatus']) assert.ok(hidden.has(id), id);
  });

  it('the per-step commands stay out of the command palette; the guided procedures need a loaded estate', () => {
    const when = new Map((menus.commandPalette ?? []).map((e) => [e.command, e.when]));
    const steps = contributed.filter((id) => id.startsWith('lyncRecovery.step.'));
    assert.ok(steps.length > 0);
    assert.deepEqual(steps.filter((id) => when.get(id) !== 'false'), []);
    for (const id of ['lyncRecovery.failOverPersistentChat', 'lyncRecovery.failBackPersistentChat', 'lyncRecovery.restoreConferenceContent', 'lyncRecovery.failOverFrontEndPool', 'lyncRecovery.failBackFrontEndPool', 'lyncRecovery.newRunbookFromProcedure']) {
      assert.equal(when.get(id), 'lyncRecovery.estateState == loaded', id);
    }
  });

  it('inline actions on rows stay few', () => {
    const inline = (menus['view/item/context'] ?? []).filter((e) => e.group?.startsWith('inline'));
    assert.deepEqual(inline.map((e) => e.command), ['lyncRecovery.refreshStatus']);
  });

  /** The `viewItem` regular expressions of a menu entry's `when`. */
  const viewItemPatterns = (when: string | undefined): RegExp[] => [...(when ?? '').matchAll(/viewItem =~ \/(.+?)\/(?=\s|$)/g)].map((m) => new RegExp(m[1]!));
  const matches = (entry: MenuEntry, contextValue: string) => viewItemPatterns(entry.when).every((re) => re.test(contextValue));
  const procedureEntries = menus['lyncRecovery.runProcedure'] ?? [];
  const procedureMenu = (contextValue: string) => procedureEntries.filter((e) => matches(e, contextValue)).map((e) => e.command);
  const submenuShown = (contextValue: string) =>
    (menus['view/item/context'] ?? []).some((e) => e.submenu === 'lyncRecovery.runProcedure' && matches(e, contextValue));

  it('"Run Procedure" on a Persistent Chat pool row offers its failover and failback', () => {
    const row = 'pool;kind=persistent-chat;fqdn;source;live;status=ok;';
    assert.ok(submenuShown(row));
    assert.deepEqual(procedureMenu(row), ['lyncRecovery.failOverPersistentChat', 'lyncRecovery.failBackPersistentChat']);
  });

  it('"Run Procedure" on a Front End pool row offers the pool failover, failback and conference restore', () => {
    const row = 'pool;kind=front-end;fqdn;source;live;';
    assert.ok(submenuShown(row));
    assert.deepEqual(procedureMenu(row), ['lyncRecovery.failOverFrontEndPool', 'lyncRecovery.failBackFrontEndPool', 'lyncRecovery.restoreConferenceContent']);
  });

  it('"Run Procedure" is not on other rows', () => {
    for (const row of ['server;active;fqdn;source;', 'pairing;fqdn;source;', 'store;db=mgc;role=primary;source;live;', 'site;source;']) {
      assert.equal(submenuShown(row), false, row);
    }
  });

  it('the guided commands take the pool row they are run on, an FQDN, or ask', () => {
    assert.equal(poolArgument({ contextValue: 'pool;kind=front-end;fqdn;source;', fqdn: 'fe01.litwareinc.com' }), 'fe01.litwareinc.com');
    assert.equal(poolArgument('pc01.litwareinc.com'), 'pc01.litwareinc.com');
    assert.equal(poolArgument({ contextValue: 'pairing;fqdn;source;', fqdn: 'fe02.litwareinc.com' }), undefined, 'a pairing row names the backup pool: ask');
    assert.equal(poolArgument(undefined), undefined);
    assert.equal(poolArgument(''), undefined);
    assert.equal(poolArgument(42), undefined);
  });
});
