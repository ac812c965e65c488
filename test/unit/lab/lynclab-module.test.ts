/** The LyncLab module text generated from the cmdlet catalogue (PowerShell itself runs it in test/integration/lab). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CMDLETS } from '../../../src/core/runbook/cmdlets';
import { lyncLabModule } from '../../../src/lab/shell/module';

const text = lyncLabModule();

/** The text of one generated function. */
function functionOf(name: string): string {
  const start = text.indexOf(`function ${name} {`);
  assert.ok(start >= 0, `no function ${name}`);
  return text.slice(start, text.indexOf('\n}\n', start));
}

test('one exported advanced function per catalogued cmdlet', () => {
  for (const c of CMDLETS) assert.match(functionOf(c.name), /\[CmdletBinding\(/);
  assert.match(text, new RegExp(`Export-ModuleMember -Function ${CMDLETS.map((c) => `'${c.name}'`).join(', ')}`));
});

test('the catalogue decides sets, mandatory, positions, enums, aliases and confirmation', () => {
  const install = functionOf('Install-CsMirrorDatabase');
  assert.match(install, /ConfirmImpact = 'High', DefaultParameterSetName = 'ByConfigured'/);
  assert.match(install, /\[Parameter\(ParameterSetName = 'ByDatabase', Mandatory = \$true\)\]\n {4}\[DatabaseType\] \$DatabaseType/);
  assert.doesNotMatch(install, /\$WhatIf|\$Confirm/, 'SupportsShouldProcess brings -WhatIf and -Confirm');
  assert.match(functionOf('Set-CsPersistentChatState'), /ConfirmImpact = 'Medium'[^\n]*\n[\s\S]*Position = 0\)\]\n {4}\[string\] \$Identity[\s\S]*ValueFromPipeline = \$true\)\]\n {4}\[object\] \$Instance[\s\S]*\[PoolState\] \$PoolState/);
  assert.match(functionOf('Invoke-CsBackupServiceSync'), /\[ValidateSet\('UserServices\.PresenceFocus', 'ConfServices\.DataConf'/);
  assert.match(functionOf('Get-CsService'), /\[Parameter\(ParameterSetName = 'ConferencingServer'\)\]\n {4}\[Alias\('ConferenceServer'\)\]/);
  assert.match(functionOf('Invoke-CsManagementServerFailover'), /\[Parameter\(ParameterSetName = 'DisasterRecovery', Mandatory = \$true\)\]\n {4}\[switch\] \$Force/);
  assert.doesNotMatch(functionOf('Invoke-CsPoolFailover'), /SkipDataVerification/, 'Skype for Business 2015 parameters are not Lync 2013\'s');
  assert.doesNotMatch(functionOf('Get-CsBackupServiceStatus'), /BackupModule/, 'undocumented parameters are not declared');
  assert.match(text, /enum PoolState \{\n {2}Normal = 0\n {2}FailedOver = 1\n\}/);
});

test('runs unchanged on Windows PowerShell 5.1: none of PowerShell 7\'s operators or blocks', () => {
  for (const token of ['??', '?.', '&&', '||', '-Parallel', 'clean {', '$PSStyle']) assert.ok(!text.includes(token), `7-only syntax: ${token}`);
  assert.doesNotMatch(text, /\) \? /, 'no ternary');
});
