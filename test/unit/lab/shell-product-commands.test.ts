/**
 * The product's own command wrapping (src/core/commands/psjson.ts) through the stand-in: what
 * rehearsal sends must be understood exactly as a real shell would run it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getBackupModuleStatus } from '../../../src/core/commands/powershell';
import { parseWrappedJson, wrapForJson } from '../../../src/core/commands/psjson';
import { parseFqdn } from '../../../src/core/commands/values';
import { harness } from './shell-session';

const NONCE = 'abc12345';
const run = (h: ReturnType<typeof harness>, command: string) => {
  const r = h.run(wrapForJson(command, NONCE));
  assert.equal(r.err, '', 'a wrapped command never writes to stderr');
  return parseWrappedJson(r.out, NONCE);
};

describe('product commands in the stand-in', () => {
  it('returns a cmdlet’s objects as JSON between the markers', () => {
    const reply = run(harness(), `Get-CsPersistentChatState -Identity 'service:atl-gc-001.litwareinc.com'`);
    assert.deepEqual(reply, { ok: true, value: [{ Identity: 'service:PersistentChatServer:atl-gc-001.litwareinc.com', PoolState: 0 }] });
  });

  it('reports binding errors through catch with the error id and category', () => {
    const reply = run(harness(), `Set-CsPersistentChatState -Identity 'service:atl-gc-001.litwareinc.com' -PoolState Failover`);
    assert.equal(reply.ok, false);
    if (reply.ok) return;
    assert.equal(reply.error.errorId, 'CannotConvertArgumentNoMessage,Microsoft.Rtc.Management.PersistentChat.Cmdlets.SetPersistentChatStateCmdlet');
    assert.equal(reply.error.category, 'InvalidArgument');
    assert.match(reply.error.message, /^Cannot bind parameter 'PoolState'\. Cannot convert value "Failover"/);
  });

  it('reports unknown commands, Lync refusals and parse errors of the wrapped text', () => {
    const h = harness();
    const unknown = run(h, 'Get-CsPersistentChatActiveServer');
    assert.ok(!unknown.ok && unknown.error.errorId === 'CommandNotFoundException' && unknown.error.category === 'ObjectNotFound');
    const refused = run(h, `Invoke-CsBackupServiceSync -PoolFqdn nope.litwareinc.com`);
    assert.ok(!refused.ok && refused.error.errorId?.startsWith('ProcessingFailed,'));
    const parse = run(h, `Get-CsPool -Identity "atl`);
    assert.ok(!parse.ok && parse.error.errorId === 'ParseException');
  });

  it('keeps variables between wrapped lines (dot-sourced) and returns empty output as []', () => {
    const h = harness();
    assert.deepEqual(run(h, `$s = Get-CsBackupServiceStatus -PoolFqdn 'dal-cs-001.litwareinc.com'`), { ok: true, value: [] });
    const reply = run(h, `$s.BackupModules | Where-Object { $_.Identity -eq 'ConfServices.DataConf' } | Select-Object Identity, @{n='ExportStatus';e={[string]$_.ExportStatus}}`);
    assert.deepEqual(reply, { ok: true, value: [{ Identity: 'ConfServices.DataConf', ExportStatus: 'SteadyState' }] });
  });

  it('getBackupModuleStatus: one object per module, the statuses as names (never enum numbers)', () => {
    const h = harness();
    const reply = run(h, getBackupModuleStatus(parseFqdn('dal-cs-001.litwareinc.com')));
    assert.deepEqual(reply, {
      ok: true,
      value: [
        { Identity: 'UserServices.PresenceFocus', ExportStatus: 'SteadyState', ImportStatus: 'NormalState' },
        { Identity: 'ConfServices.DataConf', ExportStatus: 'SteadyState', ImportStatus: 'NormalState' },
        { Identity: 'CentralMgmt.CMSMaster', ExportStatus: 'NotInitialized', ImportStatus: 'NormalState' },
      ],
    });
    const cms = run(h, getBackupModuleStatus(parseFqdn('dal-cs-001.litwareinc.com'), 'CMS'));
    assert.ok(cms.ok && cms.value.length === 1);
  });

  it('accepts the session prelude', () => {
    const h = harness();
    assert.equal(h.ok('[Console]::OutputEncoding = [Text.Encoding]::UTF8'), '');
    assert.equal(h.ok(`Import-Module 'Lync' -ErrorAction Stop`), '');
  });

  it('runs try/catch/finally, + and [scriptblock]::Create like PowerShell', () => {
    const h = harness();
    assert.equal(h.ok(`try { Get-Nope } catch { 'caught: ' + $_.FullyQualifiedErrorId } finally { 'done' }`), 'caught: CommandNotFoundException\ndone');
    assert.equal(h.ok(`. ([scriptblock]::Create('1 + 2'))`), '3');
    assert.equal(h.ok(`@(1,2) + 3 | ConvertTo-Json -Compress`), '[1,2,3]');
  });
});
