import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describePowerShellError, parsePowerShellError } from '../../../src/adapters/shell/errors';
import { importModule, remoteSession, UTF8_OUTPUT } from '../../../src/adapters/shell/prelude';
import { executableOptions } from '../../../src/adapters/shell/process';

const BINDING_ERROR = [
  "Set-CsPersistentChatState : A parameter cannot be found that matches parameter name 'PoolStat'.",
  'At line:1 char:72',
  "+ Set-CsPersistentChatState -Identity 'service:atl-pchat-001.litwareinc.com' -PoolStat ...",
  '+                                                                       ~~~~~~~~~',
  '    + CategoryInfo          : InvalidArgument: (:) [Set-CsPersistentChatState], ParameterBindingException',
  '    + FullyQualifiedErrorId : NamedParameterNotFound,Microsoft.Rtc.Management.Hadr.SetPersistentChatStateCmdlet',
  '',
].join('\r\n');

describe('PowerShell error text', () => {
  it('keeps the message and the CategoryInfo, drops the command echo', () => {
    const parsed = parsePowerShellError(BINDING_ERROR);
    assert.equal(parsed.message, "Set-CsPersistentChatState : A parameter cannot be found that matches parameter name 'PoolStat'.");
    assert.equal(parsed.category, 'InvalidArgument: (:) [Set-CsPersistentChatState], ParameterBindingException');
    assert.equal(parsed.errorId, 'NamedParameterNotFound,Microsoft.Rtc.Management.Hadr.SetPersistentChatStateCmdlet');
    assert.equal(describePowerShellError(parsed), `${parsed.message} (${parsed.category})`);
  });

  it('joins a message written over several lines and keeps the first of several errors', () => {
    const text = ['Get-CsPool : The pool', 'was not found.', 'At line:1 char:1', '    + CategoryInfo          : ObjectNotFound: (:) [Get-CsPool], Exception', '', 'Second : error', '    + CategoryInfo          : Other'].join('\n');
    const parsed = parsePowerShellError(text);
    assert.equal(parsed.message, 'Get-CsPool : The pool was not found.');
    assert.equal(parsed.category, 'ObjectNotFound: (:) [Get-CsPool], Exception');
  });

  it('falls back to the raw text when it is not in the usual shape', () => {
    assert.equal(parsePowerShellError('something odd\n').message, 'something odd');
  });
});

describe('prelude lines', () => {
  it('sets UTF-8 output', () => assert.equal(UTF8_OUTPUT, '[Console]::OutputEncoding = [Text.Encoding]::UTF8'));

  it('imports a module by a validated, quoted name', () => {
    assert.equal(importModule('Lync'), "Import-Module 'Lync' -ErrorAction Stop");
    assert.throws(() => importModule("Lync'; Remove-Item C:\\ -Recurse; '"));
    assert.throws(() => importModule('Lync\nGet-Process'));
  });

  it('opens a remote session with a quoted URI and refuses credentials or other schemes', () => {
    const line = remoteSession('https://atl-fe-001.litwareinc.com/OcsPowershell');
    assert.equal(line, "$lrSession = New-PSSession -ConnectionUri 'https://atl-fe-001.litwareinc.com/OcsPowershell' -Authentication Negotiate -ErrorAction Stop; Import-PSSession $lrSession -AllowClobber -ErrorAction Stop | Out-Null");
    assert.ok(!line.includes('\n'));
    assert.throws(() => remoteSession('file:///etc/passwd'));
    assert.throws(() => remoteSession('https://admin:pw@fe.litwareinc.com/OcsPowershell'));
    assert.throws(() => remoteSession('not a uri'));
    // A quote in the path is percent-encoded by URL parsing, so it cannot end the PowerShell string.
    assert.ok(!remoteSession("https://fe.litwareinc.com/a'b").includes("a'b"));
  });
});

describe('shell launch arguments', () => {
  it('always adds -NoProfile and -NonInteractive, after the launch arguments', () => {
    assert.deepEqual(Object.entries(executableOptions([])), [['-NoLogo', false], ['-nologo', true], ['-NoProfile', true], ['-NonInteractive', true]]);
    assert.deepEqual(Object.keys(executableOptions(['/opt/lab/shell.js'])), ['-NoLogo', '/opt/lab/shell.js', '-nologo', '-NoProfile', '-NonInteractive']);
  });

  it('refuses arguments an options object cannot carry in order', () => {
    assert.throws(() => executableOptions(['-Version', '2']), /numbers/);
    assert.throws(() => executableOptions(['a', 'a']), /repeats/);
  });
});
