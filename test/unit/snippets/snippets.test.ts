import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BACKUP_CATEGORIES, BACKUP_MODULES, DATABASE_TYPES, POOL_STATES } from '../../../src/core/commands/enums';
import { PC_DATABASES, STORE_ROLES } from '../../../src/core/estate/model';
import { DOC_SAMPLE_FQDNS } from '../../../src/core/rules/samples';
import { CMDLETS, ENUMS, LYNC_ACTIONS, RUNBOOK_KINDS, findCmdlet, isCsCmdletName, parseRunbook, parseSql, resolveParameter, type Action, type PsCommand } from '../../../src/core/runbook';
import { powershellParser } from '../runbook/grammar';
import { ROOT, choicesOf, contributedSnippetFiles, expansions, snippetsOf, type Snippet } from './files';
import { parseSnippet, render, tabstops } from './snippet-syntax';

const LYNC_2013_MODULES = ['ConfServices.DataConf', 'UserServices.PresenceFocus', 'CentralMgmt.CMSMaster'];
const TARGETS = [...STORE_ROLES, ...STORE_ROLES.map((r) => `${r}:mgccomp`)];

/** What a choice may offer, by the text in front of it. */
const VOCABULARIES: readonly { readonly after: RegExp; readonly values: readonly string[] }[] = [
  { after: /-PoolState $/, values: POOL_STATES },
  { after: /state=$/, values: POOL_STATES },
  { after: /-BackupModule $/, values: BACKUP_MODULES },
  { after: /module=$/, values: BACKUP_MODULES },
  { after: /-DatabaseType $/, values: DATABASE_TYPES },
  { after: /-Category $/, values: BACKUP_CATEGORIES },
  { after: /-NewPrincipal $/, values: ENUMS.MirrorRole },
  { after: /database=$/, values: PC_DATABASES },
  { after: /(N'|DATABASE )$/, values: PC_DATABASES },
  { after: /on=$/, values: TARGETS },
  { after: /-Identity "$/, values: ['global', 'PChatServerCollection'] },
  { after: /\.Identity -eq "$/, values: BACKUP_MODULES },
];

const SAMPLE_DOMAIN = /[\w-]+\.(?:litwareinc|litwarein|litware|contoso|vdomain|fabrikam)\.com|\.lsipt\.local|dci\.discovery\.com/i;
const ANGLE_PLACEHOLDER = /<(?![#=>])[A-Za-z*][^<>\n]{0,60}>/;

describe('snippet files', () => {
  const files = contributedSnippetFiles();

  it('are contributed for powershell, sql and markdown', () => {
    assert.deepEqual(files.map((f) => [f.language, f.path]), [
      ['powershell', './snippets/lync-powershell.code-snippets'],
      ['sql', './snippets/lync-sql.code-snippets'],
      ['markdown', './snippets/lync-runbook.code-snippets'],
    ]);
  });

  for (const file of files) {
    describe(file.path, () => {
      it('has a prefix, a body and a description in every snippet, and nothing else', () => {
        for (const [name, s] of Object.entries(file.snippets)) {
          assert.deepEqual(Object.keys(s).sort(), ['body', 'description', 'prefix'], name);
          const prefixes = typeof s.prefix === 'string' ? [s.prefix] : s.prefix;
          assert.ok(prefixes.length > 0 && prefixes.every((p) => typeof p === 'string' && p.trim() === p && p !== ''), `${name}: prefix`);
          assert.ok(typeof s.body === 'string' || (Array.isArray(s.body) && s.body.every((l) => typeof l === 'string')), `${name}: body`);
          assert.ok(typeof s.description === 'string' && s.description.length > 20, `${name}: description`);
        }
      });

      it('has bodies in valid snippet syntax with tabstops numbered from 1', () => {
        for (const snippet of snippetsOf(file.language)) {
          const stops = [...tabstops(snippet.nodes).keys()].filter((i) => i > 0).sort((a, b) => a - b);
          assert.deepEqual(stops, stops.map((_, i) => i + 1), `${snippet.name}: tabstops ${stops.join(',')}`);
          for (const [index, stop] of tabstops(snippet.nodes)) {
            if (stop.options) assert.equal(stop.defaults.length, 1, `${snippet.name}: choice $${index} used twice`);
            else assert.equal(new Set(stop.defaults).size <= 1, true, `${snippet.name}: $${index} has different defaults`);
          }
        }
      });

      it('contains no en/em dash, no sample host name and no angle-bracket placeholder', () => {
        assert.doesNotMatch(file.text, /[\u2013\u2014\u2015]/);
        for (const fqdn of DOC_SAMPLE_FQDNS) assert.ok(!file.text.toLowerCase().includes(fqdn), fqdn);
        assert.doesNotMatch(file.text, SAMPLE_DOMAIN);
        for (const snippet of snippetsOf(file.language)) {
          for (const text of expansions(snippet)) assert.doesNotMatch(text, ANGLE_PLACEHOLDER, snippet.name);
        }
      });

      it('offers only values of the domain vocabularies in choices', () => {
        for (const snippet of snippetsOf(file.language)) {
          const choices = choicesOf(snippet.nodes);
          assert.equal(choices.length, [...tabstops(snippet.nodes).values()].filter((t) => t.options).length, `${snippet.name}: nested choice`);
          for (const choice of choices) {
            const vocabulary = VOCABULARIES.find((v) => v.after.test(choice.before));
            assert.ok(vocabulary, `${snippet.name}: no vocabulary for a choice after "${choice.before}"`);
            for (const option of choice.options) assert.ok(vocabulary.values.includes(option), `${snippet.name}: ${option} after "${choice.before}"`);
          }
        }
      });
    });
  }

  it('are all listed in docs/snippets.md', () => {
    const docs = fs.readFileSync(path.join(ROOT, 'docs', 'snippets.md'), 'utf8');
    for (const file of files) {
      for (const [name, s] of Object.entries(file.snippets)) {
        const prefixes = typeof s.prefix === 'string' ? [s.prefix] : s.prefix;
        assert.ok(docs.includes(`| \`${prefixes.join('`, `')}\` | ${name} |`), `${name} is not in docs/snippets.md`);
      }
    }
  });

  it('offers exactly the enum values the procedures use', () => {
    const all = contributedSnippetFiles().flatMap((f) => snippetsOf(f.language));
    const options = (after: RegExp) => new Set(all.flatMap((s) => choicesOf(s.nodes)).filter((c) => after.test(c.before)).map((c) => c.options.join(',')));
    assert.deepEqual(options(/-PoolState $/), new Set(['FailedOver,Normal']));
    assert.deepEqual(options(/state=$/), new Set(['FailedOver,Normal']));
    assert.deepEqual(options(/-BackupModule $/), new Set([LYNC_2013_MODULES.join(',')]));
    assert.deepEqual(options(/module=$/), new Set([LYNC_2013_MODULES.join(',')]));
    assert.deepEqual(options(/-DatabaseType $/), new Set(['PersistentChat,PersistentChatCompliance']));
  });
});

/** The Lync commands of a PowerShell text, checked against the cmdlet catalogue. */
function assertKnownCommands(commands: readonly PsCommand[], where: string): void {
  for (const command of commands.filter((c) => isCsCmdletName(c.name))) {
    const spec = findCmdlet(command.name);
    assert.ok(spec, `${where}: ${command.name} is not in the cmdlet catalogue`);
    for (const p of command.parameters) {
      assert.equal(p.dash, '-', `${where}: -${p.name} dash`);
      const r = resolveParameter(spec, p.name);
      assert.ok(r.kind === 'found' || r.kind === 'common', `${where}: ${command.name} -${p.name} is ${r.kind}`);
      if (r.kind === 'found' && r.spec.values && p.value) assert.ok(r.spec.values.includes(p.value.value), `${where}: -${p.name} ${p.value.value}`);
    }
  }
}

describe('PowerShell snippets', () => {
  const snippets = snippetsOf('powershell');

  it('cover every cmdlet of the catalogue', () => {
    for (const cmdlet of CMDLETS) {
      assert.ok(snippets.some((s) => s.prefixes.includes(cmdlet.name)), `no snippet with the prefix ${cmdlet.name}`);
    }
  });

  it('parse as PowerShell with the catalogue parameters and values, in every choice', async () => {
    const parser = await powershellParser();
    for (const snippet of snippets) {
      for (const text of expansions(snippet)) {
        const parsed = parser.parse(text);
        assert.deepEqual(parsed.syntaxErrors, [], `${snippet.name}: ${text}`);
        assert.ok(parsed.commands.some((c) => snippet.prefixes.includes(c.name)), `${snippet.name}: its prefix names the command it runs`);
        assertKnownCommands(parsed.commands, snippet.name);
      }
    }
  });

  it('write PowerShell variables and UNC paths literally', () => {
    const byPrefix = (p: string) => snippets.find((s) => s.prefixes.includes(p))!;
    assert.match(render(byPrefix('lync-pc-active-clear').nodes), / -ActiveServers \$null$/);
    assert.match(render(byPrefix('lync-backup-module-check').nodes), /^\$status = Get-CsBackupServiceStatus .*\n\$status\.BackupModules \| Where-Object \{ \$_\.Identity -eq "ConfServices\.DataConf" \}/);
    assert.match(render(byPrefix('lync-mirror-install').nodes), / -FileShare "\\\\file-server\\share" /);
  });
});

describe('SQL snippets', () => {
  const snippets = snippetsOf('sql');
  const rendered = (prefix: string) => render(snippets.find((s) => s.prefixes.includes(prefix))!.nodes);
  const statements = (prefix: string) => parseSql(rendered(prefix)).statements;

  it('parse as T-SQL in every choice', () => {
    for (const snippet of snippets) {
      for (const text of expansions(snippet)) {
        const parsed = parseSql(text.replace(/\bKILL session-id\b/, 'KILL 57'));
        assert.deepEqual(parsed.syntaxErrors, [], `${snippet.name}: ${text}`);
        assert.ok(parsed.statements.length > 0, snippet.name);
      }
    }
  });

  it('remove log shipping with the named form, in master', () => {
    const [use, exec] = statements('lync-ls-remove');
    assert.equal(use?.verb, 'USE');
    assert.equal(exec?.contextDatabase?.toLowerCase(), 'master');
    assert.equal(exec?.procedure?.name, 'sp_delete_log_shipping_secondary_database');
    assert.deepEqual(exec?.args.map((a) => [a.name, a.value]), [['secondary_database', 'mgc']]);
  });

  it('restore logs WITH NORECOVERY, recover without FROM, back up and restore over with REPLACE', () => {
    assert.deepEqual(statements('lync-restore-log')[0]?.options, ['NORECOVERY']);
    const recover = statements('lync-recover')[0]!;
    assert.deepEqual([recover.object, recover.options, recover.hasSource], ['DATABASE', ['RECOVERY'], false]);
    const backup = statements('lync-backup-full')[0]!;
    assert.deepEqual([backup.verb, backup.options, backup.hasSource], ['BACKUP', ['INIT'], true]);
    const replace = statements('lync-restore-full')[0]!;
    assert.deepEqual([replace.options, replace.hasSource], [['REPLACE', 'RECOVERY'], true]);
    assert.match(rendered('lync-backup-full'), /TO DISK = N'\\\\file-server\\log-shipping-share\\mgc_failback\.bak' WITH INIT;$/);
    assert.equal(statements('lync-mirror-off')[0]?.database?.name, 'mgc');
    assert.equal(statements('lync-who')[0]?.procedure?.name, 'sp_who2');
  });

  it('include the checks of the procedures', () => {
    for (const [prefix, needle] of [
      ['lync-ls-snapshot', 'msdb.dbo.log_shipping_secondary_databases'],
      ['lync-ls-check', 'msdb.dbo.log_shipping_secondary_databases'],
      ['lync-redo-lsn', 'redo_start_lsn'],
      ['lync-db-state', 'state_desc'],
      ['lync-mirror-state', 'sys.database_mirroring'],
      ['lync-sessions', 'session_id <> @@SPID'],
      // sys.dm_exec_sessions.database_id is 2012 and later: the database comes from sys.sysprocesses.
      ['lync-sessions', 'p.dbid = DB_ID('],
      ['lync-headeronly', 'RESTORE HEADERONLY FROM DISK'],
      ['lync-restore-history', 'msdb.dbo.restorehistory'],
    ] as const) {
      assert.ok(rendered(prefix).includes(needle), prefix);
    }
  });
});

describe('runbook snippets', () => {
  const snippets = snippetsOf('markdown');
  const byPrefix = (prefix: string): Snippet => {
    const found = snippets.find((s) => s.prefixes[0] === prefix);
    assert.ok(found, prefix);
    return found;
  };
  const inRunbook = (body: string) => `---\nrunbook: custom\nestate: ./lync-estate.yaml\npool: pc.example.net\n---\n\n# Test\n\n${body}\n`;
  const describeAction = (a: Action): string => {
    const on = a.target ? ` on=${a.target.raw}` : '';
    if (a.kind === 'lync') return `lync${on}: ${a.commands.map((c) => c.name).join(', ')}`;
    if (a.kind === 'sql') return `sql${on}: ${a.statements.map((s) => s.verb).join(', ')}`;
    return `powershell: ${a.commands.map((c) => c.name).join(', ')}`;
  };

  it('have front matter for every runbook kind', async () => {
    const powershell = await powershellParser();
    for (const kind of RUNBOOK_KINDS) {
      const runbook = parseRunbook(render(byPrefix(`runbook-${kind}`).nodes), { powershell });
      assert.equal(runbook.kind, kind);
      assert.deepEqual(runbook.frontMatter?.errors, []);
      const keys = runbook.frontMatter?.entries.map((e) => e.key);
      assert.deepEqual(keys, kind === 'conference-restore' ? ['runbook', 'estate', 'pool', 'lostPool'] : ['runbook', 'estate', 'pool']);
      assert.ok(runbook.title);
    }
  });

  const STEPS: Readonly<Record<string, readonly [string, readonly string[]]>> = {
    'step-capture-log-shipping': ['capture-log-shipping', ['lync: snapshot-log-shipping']],
    'step-remove-log-shipping': ['remove-log-shipping', ['sql on=backup: EXEC']],
    'step-copy-log-backups': ['copy-log-backups', ['lync: copy-log-backups']],
    'step-apply-log-backups': ['apply-log-backups', ['lync: apply-log-backups']],
    'step-recover-database': ['recover-mgc', ['lync: kill-sessions, recover-database']],
    'step-fail-over-pool': ['fail-over-pool', ['powershell: Set-CsPersistentChatState', 'lync: check-pool-state']],
    'step-mirror-backup': ['mirror-backup', ['powershell: Install-CsMirrorDatabase']],
    'step-activate-servers': ['activate-servers', ['powershell: Set-CsPersistentChatActiveServer', 'lync: confirm']],
    'step-clear-active-servers': ['clear-active-servers', ['powershell: Set-CsPersistentChatActiveServer']],
    'step-remove-mirroring': ['remove-mirroring', ['sql on=backup: ALTER', 'sql on=backup:mgccomp: ALTER']],
    'step-backup-mgc': ['backup-mgc', ['sql on=backup: BACKUP']],
    'step-restore-primary': ['restore-primary', ['sql on=primary: RESTORE']],
    'step-reestablish-log-shipping': ['reestablish-log-shipping', ['lync: confirm']],
    'step-reactivate-servers': ['reactivate-servers', ['powershell: Set-CsPersistentChatActiveServer']],
    'step-return-to-normal': ['return-to-normal', ['powershell: Set-CsPersistentChatState', 'lync: check-pool-state']],
    'step-sync-conference-content': ['sync', ['powershell: Invoke-CsBackupServiceSync']],
    'step-wait-backup-sync': ['wait', ['lync: wait-backup-sync']],
    'step-check-backup-status': ['status', ['powershell: Get-CsBackupServiceStatus, Where-Object, Select-Object']],
    'step-check-pairing': ['check-pairing', ['powershell: Get-CsPoolBackupRelationship']],
    'step-fail-over-front-end-pool': ['fail-over-pool', ['powershell: Invoke-CsPoolFailover']],
    'step-fail-back-front-end-pool': ['fail-back-pool', ['powershell: Invoke-CsPoolFailback']],
    'step-confirm': ['operator-checkpoint', ['lync: confirm']],
  };

  it('have whole-step snippets that parse into the expected step and actions', async () => {
    const powershell = await powershellParser();
    const stepSnippets = snippets.filter((s) => s.prefixes[0]!.startsWith('step-') && !['step-powershell', 'step-sql', 'step-lync'].includes(s.prefixes[0]!));
    assert.deepEqual(stepSnippets.map((s) => s.prefixes[0]).sort(), Object.keys(STEPS).sort());
    for (const snippet of stepSnippets) {
      const [id, actions] = STEPS[snippet.prefixes[0]!]!;
      const runbook = parseRunbook(inRunbook(render(snippet.nodes)), { powershell });
      assert.equal(runbook.steps.length, 1, snippet.name);
      const step = runbook.steps[0]!;
      assert.equal(step.id, id, snippet.name);
      assert.deepEqual(step.actions.map(describeAction), actions, snippet.name);
      for (const action of step.actions) {
        if (action.kind === 'powershell') {
          assert.deepEqual(action.syntaxErrors, [], snippet.name);
          assertKnownCommands(action.commands, snippet.name);
        }
        if (action.kind === 'sql') assert.deepEqual(action.syntaxErrors, [], snippet.name);
      }
    }
  });

  it('have generic step snippets for each action language', async () => {
    const powershell = await powershellParser();
    for (const [prefix, kind] of [['step-powershell', 'powershell'], ['step-sql', 'sql'], ['step-lync', 'lync']] as const) {
      for (const text of expansions(byPrefix(prefix))) {
        const runbook = parseRunbook(inRunbook(text), { powershell });
        assert.deepEqual(runbook.steps.map((s) => [s.title, s.actions.map((a) => a.kind)]), [['Step title', [kind]]], prefix);
        if (kind === 'sql') assert.ok(runbook.steps[0]!.actions[0]!.target?.role, text);
      }
    }
  });

  it('have a line snippet for every lync built-in action, with valid keys and values', async () => {
    const powershell = await powershellParser();
    for (const spec of LYNC_ACTIONS) {
      for (const line of expansions(byPrefix(spec.name))) {
        const runbook = parseRunbook(inRunbook(`## Step\n\n\`\`\`lync\n${line}\n\`\`\``), { powershell });
        const action = runbook.steps[0]?.actions[0];
        assert.equal(action?.kind, 'lync', line);
        if (action?.kind !== 'lync') continue;
        const [command] = action.commands;
        assert.equal(command?.name, spec.name);
        const keys = spec.keys.map((k) => k.name);
        for (const a of command!.attributes) {
          assert.ok(keys.includes(a.key), `${spec.name}: ${a.key}`);
          const values = spec.keys.find((k) => k.name === a.key)?.values;
          if (values) assert.ok(values.includes(a.value), `${spec.name}: ${a.key}=${a.value}`);
        }
        for (const k of spec.keys.filter((k) => k.required)) assert.ok(command!.attributes.some((a) => a.key === k.name), `${spec.name}: ${k.name}`);
        assert.equal(command!.positional.length, spec.takesText ? 1 : 0, line);
      }
    }
  });

  it('keep PowerShell dollars literal in step snippets', () => {
    assert.match(render(byPrefix('step-clear-active-servers').nodes), /-ActiveServers \$null\n/);
    assert.doesNotThrow(() => parseSnippet(byPrefix('step-check-backup-status').body));
  });
});
