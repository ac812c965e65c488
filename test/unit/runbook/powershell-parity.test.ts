/**
 * Readings of runbook PowerShell that PowerShell's own parser settled (test/oracles/corpus): the
 * language server must read them the same way. These run without pwsh; the oracle test checks
 * the whole corpus against pwsh itself.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { powershellParser } from './grammar';

const read = async (text: string) => {
  const r = (await powershellParser()).parse(text);
  return { errors: r.syntaxErrors.length > 0, commands: r.commands.map((c) => [c.name, ...c.parameters.map((p) => `-${p.name}=${p.value?.value ?? ''}`)].join(' ')) };
};

test('typographic quotes are quotes: “x”-PoolState binds -PoolState, ’ closes a single-quoted string', async () => {
  assert.deepEqual(await read('Set-CsPersistentChatState -Identity \u201cservice:atl-gc-001.litwareinc.com\u201d-PoolState FailedOver'), {
    errors: false,
    commands: ['Set-CsPersistentChatState -Identity=service:atl-gc-001.litwareinc.com -PoolState=FailedOver'],
  });
  assert.deepEqual(await read("Get-CsPool -Identity 'atl-cs-001.litwareinc.com\u2019"), { errors: false, commands: ['Get-CsPool -Identity=atl-cs-001.litwareinc.com'] });
});

test('a variable glued to -Name is one argument; so is --Name; a lone - is an argument', async () => {
  assert.deepEqual((await read('Set-CsPersistentChatState -Identity $pool-PoolState FailedOver')).commands, ['Set-CsPersistentChatState -Identity=$pool-PoolState']);
  assert.deepEqual((await read('Set-CsPersistentChatState -Identity ${pool}-PoolState FailedOver')).commands, ['Set-CsPersistentChatState -Identity=${pool}-PoolState']);
  assert.deepEqual((await read('Set-CsPersistentChatState -Identity x --PoolState FailedOver')).commands, ['Set-CsPersistentChatState -Identity=x']);
  assert.deepEqual(await read('Set-CsPersistentChatState -Identity x - PoolState FailedOver'), { errors: false, commands: ['Set-CsPersistentChatState -Identity=x'] });
});

test('numbers are expressions, not commands; 1MB parses', async () => {
  assert.deepEqual(await read('1..30 | ForEach-Object { Get-CsPool }'), { errors: false, commands: ['ForEach-Object', 'Get-CsPool'] });
  assert.deepEqual(await read('$limit = 512MB'), { errors: false, commands: [] });
  assert.equal((await read('"{0:N0} MB" -f ((Get-Item D:\\x).Length / 1MB)')).errors, false);
});

test('a missing closing brace, an unquoted < are syntax errors; a block of comments only is not', async () => {
  assert.equal((await read('if ($true) { Get-CsPool')).errors, true);
  assert.equal((await read('Invoke-CsBackupServiceSync -PoolFqdn <Pool2 FQDN>')).errors, true);
  assert.deepEqual(await read('# nothing to run yet\n'), { errors: false, commands: [] });
  assert.deepEqual(await read(''), { errors: false, commands: [] });
});
