/**
 * "What to do" follows the error, not the step: a declined command is "not run" (no remedy), a
 * missing PowerShell is about installing it, Msg 32014 means the work is already done, and a
 * Central Management Store that does not answer is about that store — whatever the step's own
 * advice says (reliability report F17; UX walk-through, "What to do does not match the error").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRunbook, type RunOptions } from '../../../src/core/recovery';
import { errorHint } from '../../../src/core/recovery/error-hints';
import { ShellError, SqlError, type SqlRow } from '../../../src/core/recovery/ports';
import { FakeShell, FakeSql, MemoryJournal, ports, type SentSql } from '../engine/fakes';
import { FENCE, plan, runbookText } from '../engine/support';

const POOL = 'atl-gc-001.litwareinc.com';
const PC_FAILOVER = { runbook: 'persistent-chat-failover', estate: './lync-estate.yaml', pool: POOL };
/** The procedure's fail-over-pool step: its advice is about the Central Management Store. */
const FAIL_OVER = runbookText(`## Fail the pool over {#fail-over-pool}\n${FENCE}powershell\nSet-CsPersistentChatState -Identity "PersistentChatServer:${POOL}" -PoolState FailedOver\n${FENCE}`, PC_FAILOVER);
const REMOVE = runbookText(`## Remove log shipping {#remove}\n${FENCE}sql on=backup\nEXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = N'mgc';\n${FENCE}`);

const onlineSql = () => new FakeSql((s: SentSql): SqlRow[] => (/state_desc/.test(s.text) ? [{ name: 'mgc', state_desc: 'ONLINE' }] : []));
const NOT_SECONDARY = () => new SqlError('Database mgc does not exist as log shipping secondary.', 'dal-pcbak', [{ number: 32014, class: 16, state: 1, message: 'Database mgc does not exist as log shipping secondary.' }]);
const CMS_DOWN = () => new ShellError('Command execution failed: Unable to access the Central Management Store.', 'PowerShell (pwsh)', 'command-failed');
const NO_PWSH = () => new ShellError("PowerShell not found: set lyncRecovery.shell.executable (tried 'pwsh').", 'PowerShell', 'not-found');

const options = (sql: FakeSql, shell: FakeShell, confirm = true): RunOptions => ({ ports: ports(sql, shell), journal: new MemoryJournal(), mode: 'rehearsal', confirm: async () => confirm });

describe('what to do, chosen by the error', () => {
  it('a declined destructive command is "not run": nothing sent, no remedy', async () => {
    const sql = new FakeSql(() => []);
    const result = await runRunbook(await plan(REMOVE), options(sql, new FakeShell(), false));
    assert.equal(result.outcome, 'cancelled');
    assert.equal(sql.sent.length, 0);
    assert.match(result.failure!.message, /^Step remove not run \(line \d+\): Declined: EXEC master\.dbo\.sp_delete_log_shipping_secondary_database .* was not sent\.$/);
    assert.match(result.failure!.hint!, /^Nothing was sent\./);
  });

  it('PowerShell missing: how to install or point at PowerShell, not the step\'s advice', async () => {
    const shell = new FakeShell(() => {
      throw NO_PWSH();
    });
    const result = await runRunbook(await plan(FAIL_OVER), options(onlineSql(), shell));
    assert.equal(result.outcome, 'failed');
    assert.match(result.failure!.hint!, /Install PowerShell .*Windows PowerShell 5\.1.*lyncRecovery\.shell\.executable.*lyncRecovery\.shell\.mode/);
    assert.doesNotMatch(result.failure!.hint!, /identity names the Persistent Chat pool/);
  });

  it('the Central Management Store does not answer: check the store (or fail it over), whatever the step', async () => {
    const shell = new FakeShell((command) => {
      if (command.startsWith('Set-')) throw CMS_DOWN();
      return [{ Identity: `PersistentChatServer:${POOL}`, PoolState: 'Normal' }];
    });
    const result = await runRunbook(await plan(FAIL_OVER), options(onlineSql(), shell));
    assert.match(result.failure!.hint!, /Central Management Store does not answer.*Invoke-CsManagementServerFailover/);
    assert.equal(errorHint(CMS_DOWN(), 'start-conference-sync')?.includes('RTCUniversalServerAdmins'), false);
  });

  it('Msg 32014: log shipping is already removed, so the step can be marked done (not a sysadmin problem)', async () => {
    const sql = new FakeSql(() => {
      throw NOT_SECONDARY();
    });
    const result = await runRunbook(await plan(REMOVE), options(sql, new FakeShell()));
    assert.equal(result.outcome, 'failed');
    assert.match(result.failure!.hint!, /already removed.*log_shipping_secondary_databases.*mark the step done \(.*lync-runbook mark done remove/);
    assert.doesNotMatch(result.failure!.hint!, /sysadmin/);
  });

  it('other errors keep the step\'s advice', () => {
    assert.equal(errorHint(new ShellError('Access is denied.', 'PowerShell', 'command-failed'), 'x'), undefined);
    assert.equal(errorHint(new SqlError('Invalid object name', 'dal-pcbak', [{ number: 208, class: 16, state: 1, message: 'Invalid object name' }]), 'x'), undefined);
  });
});
