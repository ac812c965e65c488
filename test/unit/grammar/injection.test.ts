import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, contributedGrammars, hasScope, scopesOf, tokenizeMarkdown, type TokenizedLine } from './tokenize';

const F = '```';

async function doc(...lines: string[]): Promise<TokenizedLine[]> {
  return tokenizeMarkdown(lines.join('\n'));
}

function assertScope(line: TokenizedLine, needle: string, scope: string, occurrence = 0): void {
  const scopes = scopesOf(line, needle, occurrence);
  assert.ok(hasScope(scopes, scope), `"${needle}" in "${line.text}" should be ${scope}; has ${scopes.join(' ')}`);
}

function assertNoScope(line: TokenizedLine, needle: string, scope: string, occurrence = 0): void {
  const scopes = scopesOf(line, needle, occurrence);
  assert.ok(!hasScope(scopes, scope), `"${needle}" in "${line.text}" should not be ${scope}; has ${scopes.join(' ')}`);
}

describe('grammar contributions', () => {
  it('contributes both injections into Markdown, from files whose scopeName matches', () => {
    const grammars = contributedGrammars();
    assert.deepEqual(grammars.map((g) => g.scopeName).sort(), ['lync-runbook.markdown.injection', 'lync-runbook.powershell.injection']);
    for (const g of grammars) {
      assert.deepEqual(g.injectTo, ['text.html.markdown']);
      const grammar = JSON.parse(fs.readFileSync(path.join(ROOT, g.path), 'utf8')) as { scopeName: string; injectionSelector: string };
      assert.equal(grammar.scopeName, g.scopeName);
      assert.match(grammar.injectionSelector, /^L:/);
    }
  });

  it('maps the SQL fence content to the sql language (tsql fences included)', () => {
    const runbook = contributedGrammars().find((g) => g.scopeName === 'lync-runbook.markdown.injection');
    assert.deepEqual(runbook?.embeddedLanguages, { 'meta.embedded.block.sql': 'sql' });
  });
});

describe('Lync cmdlets in powershell fences', () => {
  it('scopes the cmdlet and its parameters, not its values', async () => {
    const lines = await doc(`${F}powershell`, 'Set-CsPersistentChatState -Identity "PersistentChatServer:pc.example.net" -PoolState FailedOver', F);
    const line = lines[1]!;
    assertScope(line, 'Set-CsPersistentChatState', 'support.function.lync.powershell');
    assertScope(line, 'Set-CsPersistentChatState', 'meta.embedded.block.powershell');
    assertScope(line, '-Identity', 'variable.parameter.lync.powershell');
    assertScope(line, '-PoolState', 'variable.parameter.lync.powershell');
    assertScope(line, '-', 'punctuation.definition.parameter.lync.powershell', 1);
    assertNoScope(line, 'FailedOver', 'variable.parameter');
    // The embedded PowerShell grammar still tokenizes the rest of the command.
    assertScope(line, '"PersistentChatServer:pc.example.net"', 'string.quoted.double.powershell');
    assertNoScope(line, 'PersistentChatServer', 'support.function.lync.powershell');
  });

  for (const verb of ['Get', 'Set', 'Install', 'Uninstall', 'Invoke', 'Import', 'Export', 'Start']) {
    it(`recognises ${verb}-Cs… cmdlets`, async () => {
      const lines = await doc(`${F}powershell`, `${verb}-CsSomething -PoolFqdn pool.example.net`, F);
      assertScope(lines[1]!, `${verb}-CsSomething`, 'support.function.lync.powershell');
      assertScope(lines[1]!, '-PoolFqdn', 'variable.parameter.lync.powershell');
    });
  }

  for (const info of ['ps1', 'pwsh', 'PowerShell']) {
    it(`works in ${info} fences`, async () => {
      const lines = await doc(`${F}${info}`, 'get-cspool -Identity pool.example.net', F);
      assertScope(lines[1]!, 'get-cspool', 'support.function.lync.powershell');
      assertScope(lines[1]!, '-Identity', 'variable.parameter.lync.powershell');
    });
  }

  it('leaves other cmdlets and what follows a pipe alone', async () => {
    const lines = await doc(
      `${F}powershell`,
      'Get-Service -Name LYNCBACKUP',
      '$status.BackupModules | Where-Object { $_.Identity -eq "ConfServices.DataConf" }',
      'Get-CsBackupServiceStatus -PoolFqdn pool.example.net | Where-Object { $_.Identity -eq "x" }',
      F,
    );
    assertNoScope(lines[1]!, 'Get-Service', 'support.function.lync.powershell');
    assertNoScope(lines[1]!, '-Name', 'variable.parameter.lync.powershell');
    assertNoScope(lines[2]!, '-eq', 'variable.parameter.lync.powershell');
    assertScope(lines[3]!, 'Get-CsBackupServiceStatus', 'support.function.lync.powershell');
    assertScope(lines[3]!, '-PoolFqdn', 'variable.parameter.lync.powershell');
    assertNoScope(lines[3]!, '-eq', 'variable.parameter.lync.powershell');
    assertNoScope(lines[3]!, 'Where-Object', 'meta.command.lync.powershell');
  });

  it('keeps the command open across a hashtable and a backtick continuation', async () => {
    const lines = await doc(
      `${F}powershell`,
      'Set-CsPersistentChatActiveServer -ActiveServers @{Replace="a.example.net","b.example.net"} -Identity global',
      'Install-CsMirrorDatabase -DatabaseType PersistentChat `',
      '    -FileShare "\\\\fs.example.net\\mirror" -Verbose',
      '-NotAParameter',
      F,
    );
    assertScope(lines[1]!, '-Identity', 'variable.parameter.lync.powershell');
    assertScope(lines[1]!, '@{', 'meta.hashtable.powershell');
    assertScope(lines[3]!, '-FileShare', 'variable.parameter.lync.powershell');
    assertScope(lines[3]!, '-Verbose', 'variable.parameter.lync.powershell');
    assertNoScope(lines[4]!, '-NotAParameter', 'variable.parameter.lync.powershell');
  });

  it('ignores cmdlet names in comments and strings', async () => {
    const lines = await doc(`${F}powershell`, '# Set-CsPersistentChatState -PoolState Normal', 'Write-Host "Run Get-CsPool -Identity x"', F);
    assertNoScope(lines[1]!, 'Set-CsPersistentChatState', 'support.function.lync.powershell');
    assertScope(lines[1]!, 'Set-CsPersistentChatState', 'comment.line.number-sign.powershell');
    assertNoScope(lines[2]!, 'Get-CsPool', 'support.function.lync.powershell');
  });

  it('flags parameters written with an en or em dash', async () => {
    const lines = await doc(
      `${F}powershell`,
      'Set-CsPersistentChatState -Identity "service:pc.example.net" \u2013PoolState FailedOver',
      'Get-Service \u2014Name LYNCBACKUP',
      F,
    );
    assertScope(lines[1]!, '\u2013', 'invalid.illegal.en-dash.lync');
    assertScope(lines[1]!, 'PoolState', 'variable.parameter.lync.powershell');
    assertNoScope(lines[1]!, '-Identity', 'invalid.illegal.en-dash.lync');
    assertScope(lines[2]!, '\u2014', 'invalid.illegal.en-dash.lync');
  });

  it('does not touch prose or unknown fences', async () => {
    const lines = await doc(
      'Run Set-CsPersistentChatState -PoolState FailedOver \u2013PoolState and on=backup here.',
      '',
      `${F}text`,
      'Set-CsPersistentChatState -PoolState FailedOver',
      'apply-log-backups database=mgc on=backup',
      F,
    );
    assertNoScope(lines[0]!, 'Set-CsPersistentChatState', 'support.function.lync.powershell');
    assertNoScope(lines[0]!, '-PoolState', 'variable.parameter');
    assertNoScope(lines[0]!, '\u2013', 'invalid.illegal');
    assertNoScope(lines[0]!, 'backup', 'entity.name.tag.target.lync');
    assertNoScope(lines[3]!, 'Set-CsPersistentChatState', 'support.function.lync.powershell');
    assertNoScope(lines[4]!, 'apply-log-backups', 'keyword.control.lync');
  });
});

describe('lync fences', () => {
  it('scopes actions, keys, operators, values and the on= target', async () => {
    const lines = await doc(`${F}lync`, 'apply-log-backups database=mgc on=backup', F, '', 'After the fence.');
    assertScope(lines[0]!, '```', 'punctuation.definition.markdown');
    assertScope(lines[0]!, 'lync', 'fenced_code.block.language.markdown');
    const line = lines[1]!;
    assertScope(line, 'apply-log-backups', 'keyword.control.lync');
    assertScope(line, 'apply-log-backups', 'markup.fenced_code.block.markdown');
    assertScope(line, 'apply-log-backups', 'meta.embedded.block.lync');
    assertScope(line, 'database', 'variable.parameter.lync');
    assertScope(line, '=', 'keyword.operator');
    assertScope(line, 'mgc', 'string');
    assertScope(line, 'on', 'variable.parameter.lync');
    assertScope(line, 'backup', 'entity.name.tag.target.lync', 1);
    assertScope(line, 'backup', 'string', 1);
    assertNoScope(line, 'log-backups', 'string');
    assertScope(lines[2]!, '```', 'punctuation.definition.markdown');
    assertNoScope(lines[4]!, 'After', 'markup.fenced_code.block.markdown');
    assertScope(lines[4]!, 'After', 'meta.paragraph.markdown');
  });

  it('scopes every built-in action line, quoted values, checkpoints and comments', async () => {
    const lines = await doc(
      '~~~lync',
      '# capture first',
      'snapshot-log-shipping database=mgc on=backup:mgccomp',
      'wait-backup-sync pool=fe.example.net module=ConfServices.DataConf timeout=30m',
      'check-pool-state pool=pc.example.net state=FailedOver',
      'confirm "Clients sign in and rooms are readable"',
      'note key="a quoted value"',
      '~~~',
    );
    assertScope(lines[1]!, '# capture first', 'comment.line.number-sign.lync');
    assertNoScope(lines[1]!, 'capture', 'keyword.control.lync');
    assertScope(lines[2]!, 'snapshot-log-shipping', 'keyword.control.lync');
    assertScope(lines[2]!, 'backup:mgccomp', 'entity.name.tag.target.lync');
    assertScope(lines[3]!, 'wait-backup-sync', 'keyword.control.lync');
    assertScope(lines[3]!, 'module', 'variable.parameter.lync');
    assertScope(lines[3]!, 'ConfServices.DataConf', 'string.unquoted.lync');
    assertScope(lines[3]!, '30m', 'string.unquoted.lync');
    assertScope(lines[4]!, 'state', 'variable.parameter.lync', 1);
    assertScope(lines[4]!, 'FailedOver', 'string.unquoted.lync');
    assertScope(lines[5]!, 'confirm', 'keyword.control.lync');
    assertScope(lines[5]!, '"Clients sign in and rooms are readable"', 'string.quoted.double.lync');
    assertNoScope(lines[5]!, 'sign', 'keyword.control.lync');
    assertScope(lines[6]!, 'key', 'variable.parameter.lync');
    assertScope(lines[6]!, '"a quoted value"', 'string.quoted.double.lync');
  });

  it('scopes the on= target of the fence info string', async () => {
    const lines = await doc(`${F}lync on=backup`, 'kill-sessions database=mgc', F);
    assertScope(lines[0]!, 'on', 'variable.parameter.lync');
    assertScope(lines[0]!, 'backup', 'entity.name.tag.target.lync');
    assertScope(lines[0]!, 'backup', 'fenced_code.block.language.attributes.markdown');
    assertScope(lines[1]!, 'kill-sessions', 'keyword.control.lync');
  });
});

describe('sql fences', () => {
  it('scopes the on= target and keeps the SQL content embedded', async () => {
    const lines = await doc(`${F}sql on=backup`, 'RESTORE DATABASE mgc WITH RECOVERY;', F, 'Prose.');
    assertScope(lines[0]!, 'sql', 'fenced_code.block.language.markdown');
    assertScope(lines[0]!, 'on', 'variable.parameter.lync');
    assertScope(lines[0]!, '=', 'keyword.operator');
    assertScope(lines[0]!, 'backup', 'entity.name.tag.target.lync');
    assertScope(lines[1]!, 'RESTORE', 'meta.embedded.block.sql');
    assertScope(lines[1]!, 'RESTORE', 'keyword.other.sql');
    assertScope(lines[1]!, 'RESTORE', 'markup.fenced_code.block.markdown');
    assertNoScope(lines[3]!, 'Prose', 'markup.fenced_code.block.markdown');
  });

  it('handles tsql, tilde fences, indented fences and store-role targets', async () => {
    const lines = await doc('~~~tsql on=backup:mgccomp', "ALTER DATABASE mgccomp SET PARTNER OFF;", '~~~', '', '  ```SQL  on=dal-pcbak', 'EXEC sp_who2;', '  ```');
    assertScope(lines[0]!, 'tsql', 'fenced_code.block.language.markdown');
    assertScope(lines[0]!, 'backup:mgccomp', 'entity.name.tag.target.lync');
    assertScope(lines[1]!, 'ALTER', 'meta.embedded.block.sql');
    assertScope(lines[4]!, 'dal-pcbak', 'entity.name.tag.target.lync');
    assertScope(lines[5]!, 'EXEC', 'keyword.other.sql');
    assertNoScope(lines[3]!, '', 'meta.embedded.block.sql');
  });

  it('does not scope other attributes of the info string as targets', async () => {
    const lines = await doc(`${F}sql title=setup on=primary`, 'SELECT 1;', F);
    assertScope(lines[0]!, 'title', 'variable.parameter.lync');
    assertScope(lines[0]!, 'setup', 'string.unquoted.lync');
    assertNoScope(lines[0]!, 'setup', 'entity.name.tag.target.lync');
    assertScope(lines[0]!, 'primary', 'entity.name.tag.target.lync');
  });
});
