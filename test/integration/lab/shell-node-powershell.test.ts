/**
 * The lab's PowerShell driven by the real node-powershell 5.0.1, launched as the product does:
 * `executable` = the launch's executable (real PowerShell), the launch's env merged over the
 * parent's, then the launch's prelude (which imports the LyncLab module).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvocationError, PowerShell } from 'node-powershell';
import { CRASH_EXIT_CODE } from '../../../src/lab/shell/calls';
import { startShellServer, type ShellLaunch, type ShellServer } from '../../../src/lab/shell/server';
import { FakeFaults, FakeSql, litwareEstate } from './shell-fakes';

const PC = 'atl-gc-001.litwareinc.com';

async function shell(launch: ShellLaunch, extra: { invocationTimeout?: number; env?: Record<string, string> } = {}): Promise<PowerShell> {
  const ps = new PowerShell({
    executable: launch.executable,
    executableOptions: { '-NoProfile': true, '-NonInteractive': true },
    spawnOptions: { env: { ...process.env, ...launch.env, ...extra.env } },
    invocationTimeout: extra.invocationTimeout,
  });
  try {
    for (const line of launch.prelude) assert.equal((await ps.invoke(line)).raw, '');
  } catch (e) {
    await ps.dispose().catch(() => undefined);
    throw e;
  }
  return ps;
}

describe('the lab\'s PowerShell with the real node-powershell', { timeout: 180_000 }, () => {
  let server: ShellServer;
  const faults = new FakeFaults();
  before(async () => {
    server = await startShellServer({ estate: litwareEstate(), sql: new FakeSql(), scenario: 'pchat-dc-loss', faults });
  });
  after(() => server.stop());

  it('is real PowerShell: it reports $PSVersionTable.PSVersion and its edition', async (t) => {
    const ps = await shell(server.launch);
    try {
      const version = JSON.parse((await ps.invoke('$PSVersionTable | Select-Object @{n="Version";e={[string]$_.PSVersion}}, PSEdition | ConvertTo-Json -Compress')).raw) as { Version: string; PSEdition: string };
      assert.match(version.Version, /^(5\.1|7)\.\d+/);
      assert.ok(['Core', 'Desktop'].includes(version.PSEdition));
      t.diagnostic(`the lab's shell: PowerShell ${version.Version} (${version.PSEdition})`);
      assert.equal((await ps.invoke('(Get-Command Set-CsPersistentChatState).Module.Name')).raw, 'LyncLab');
    } finally {
      await ps.dispose();
    }
  });

  it('runs cmdlets and returns JSON the product can parse', async () => {
    const ps = await shell(server.launch);
    try {
      await ps.invoke(`Set-CsPersistentChatState -Identity 'service:${PC}' \u2013PoolState FailedOver`);
      const r = await ps.invoke(`Get-CsPersistentChatState -Identity 'service:${PC}' | Select-Object Identity, @{n='PoolState';e={[string]$_.PoolState}} | ConvertTo-Json -Compress; 'OK-7f3a'`);
      const [json, sentinel] = r.raw.split('\n');
      assert.deepEqual(JSON.parse(json!), { Identity: `service:PersistentChatServer:${PC}`, PoolState: 'FailedOver' });
      assert.equal(sentinel, 'OK-7f3a');
      assert.equal(server.lync.pcPool(PC)?.poolState, 'FailedOver');
    } finally {
      await ps.dispose();
    }
  });

  it('surfaces parameter-binding errors as InvocationError with PowerShell text', async () => {
    const ps = await shell(server.launch);
    try {
      await assert.rejects(ps.invoke(`Set-CsPersistentChatState -Identity 'service:${PC}' -PoolState Failover`), (e: unknown) => {
        assert.ok(e instanceof InvocationError);
        assert.match(e.message, /^Set-CsPersistentChatState : Cannot process argument transformation on parameter 'PoolState'\. Cannot convert value "Failover" to type "PoolState"/);
        assert.match(e.message, /FullyQualifiedErrorId : ParameterArgumentTransformationError,Set-CsPersistentChatState/);
        return true;
      });
      // The session is still usable after an error.
      assert.equal((await ps.invoke(`'still here'`)).raw, 'still here');
    } finally {
      await ps.dispose();
    }
  });

  it('pwsh-hang: the invocation times out, and a fresh shell works', async () => {
    // node-powershell has one limit for every call, the prelude's import included: long enough for
    // PowerShell to start on a loaded machine, so only the hung cmdlet runs into it.
    const ps = await shell(server.launch, { invocationTimeout: 20_000 });
    faults.armed.add('pwsh-hang');
    try {
      await assert.rejects(ps.invoke(`Get-CsPersistentChatState`), (e: unknown) => e instanceof InvocationError);
    } finally {
      faults.armed.delete('pwsh-hang');
      await ps.dispose();
    }
    const fresh = await shell(server.launch);
    try {
      assert.match((await fresh.invoke('Get-CsPersistentChatState | ConvertTo-Json -Compress')).raw, /"PoolState":\d/);
    } finally {
      await fresh.dispose();
    }
  });

  it('pwsh-crash: the process exits mid-command and node-powershell reports a ProcessError', async () => {
    const ps = await shell(server.launch);
    faults.armed.add('pwsh-crash');
    try {
      await assert.rejects(ps.invoke(`Get-CsPool`), (e: unknown) => (e as Error).name === 'ProcessError' && (e as { exitCode?: number }).exitCode === CRASH_EXIT_CODE);
      await assert.rejects(ps.invoke(`'after'`), /invoke called after process exited/);
    } finally {
      faults.armed.delete('pwsh-crash');
      // node-powershell's dispose() rethrows the exit error of a crashed shell.
      await assert.rejects(ps.dispose(), { name: 'ProcessError' });
    }
  });

  it('refuses a shell with a wrong token: the cmdlet fails and says so', async () => {
    const ps = await shell(server.launch, { env: { LYNC_LAB_SHELL_TOKEN: 'not-the-token' } });
    try {
      await assert.rejects(ps.invoke(`Get-CsPool`), (e: unknown) => e instanceof InvocationError && /The rehearsal lab refused this shell \(invalid token\)/.test(e.message));
      assert.equal(server.lync.pcPool(PC)?.poolState, 'FailedOver');
    } finally {
      await ps.dispose();
    }
  });
});
