import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PowerShellSession } from '../../../src/adapters/shell/session';
import * as ps from '../../../src/core/commands/powershell';
import { parseXdsIdentity } from '../../../src/core/commands/values';
import { ShellError, TimeoutError } from '../../../src/core/recovery/ports';
import type { Lab } from '../../../src/lab/lab';
import { recordingLog, shellOptions, startSampleLab } from './lab-fixture';

const POOL = parseXdsIdentity('service:atl-gc-001.litwareinc.com');
const cmd = (text: string) => text as ps.PowerShellCommand;

async function failure<T extends Error>(p: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  const e = await p.then(() => assert.fail('no error'), (x: unknown) => x);
  assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
  return e;
}

{
  describe('PowerShellSession against the lab\'s PowerShell (real node-powershell, real PowerShell, LyncLab)', { timeout: 180_000 }, () => {
    let lab: Lab;
    let shell: PowerShellSession;
    const log = recordingLog();

    before(async () => {
      lab = await startSampleLab();
      shell = new PowerShellSession(shellOptions(lab, { log }));
    });
    after(async () => {
      await shell.close();
      await lab.stop();
    });

    it('round-trips Get-CsPersistentChatState as JSON', async () => {
      const [state] = (await shell.runJson(ps.getPersistentChatState(POOL))) as { Identity?: string; PoolState?: unknown }[];
      assert.ok(state, 'one state object');
      assert.match(String(state.Identity), /atl-gc-001\.litwareinc\.com/);
      assert.equal(state.PoolState, 'Normal', 'PoolState arrives as its name (domain audit D7)');
    });

    it('changes state through a builder command and reads it back', async () => {
      await shell.runJson(ps.setPersistentChatState(POOL, 'FailedOver'));
      const text = await shell.run(cmd(`(Get-CsPersistentChatState -Identity '${POOL}').PoolState`));
      assert.equal(text, 'FailedOver');
      await shell.runJson(ps.setPersistentChatState(POOL, 'Normal'));
    });

    it("surfaces PowerShell's text for a binding error", async () => {
      // (-PoolStat would bind: PowerShell accepts any unambiguous prefix of a parameter name.)
      const e = await failure(shell.run(cmd(`Set-CsPersistentChatState -Identity '${POOL}' -PoolStatus FailedOver`)), ShellError);
      assert.equal(e.failure, 'command-failed');
      assert.match(e.message, /^Set-CsPersistentChatState : A parameter cannot be found that matches parameter name 'PoolStatus'\./);
      assert.match(e.message, /\(InvalidArgument: .*ParameterBindingException\)$/);
      assert.match(String(e.errorId), /^NamedParameterNotFound/);
      const wrapped = await failure(shell.runJson(cmd(`Set-CsPersistentChatState -Identity '${POOL}' -PoolStatus FailedOver`)), ShellError);
      assert.equal(wrapped.failure, 'command-failed');
      assert.match(wrapped.message, /PoolStatus/);
    });

    it('reports an injected cmdlet error (cmdlet-error) with its text; nothing changed', async () => {
      lab.faults.arm('cmdlet-error');
      try {
        const e = await failure(shell.runJson(ps.setPersistentChatState(POOL, 'FailedOver')), ShellError);
        assert.equal(e.failure, 'command-failed');
        assert.equal(e.outcomeUnknown, false, 'an error record says what happened');
        assert.match(e.message, /Unable to access the Central Management Store/);
      } finally {
        lab.faults.clear('cmdlet-error');
      }
      assert.equal(await shell.run(cmd(`(Get-CsPersistentChatState -Identity '${POOL}').PoolState`)), 'Normal');
    });

    it('times out a hung shell (pwsh-hang), and the next call works on a fresh shell', async () => {
      lab.faults.arm('pwsh-hang');
      try {
        const e = await failure(shell.runJson(ps.getPersistentChatState(POOL), { timeoutMs: 500 }), TimeoutError);
        assert.equal(e.timeoutMs, 500);
        assert.equal(e.outcomeUnknown, true, 'sent, never answered');
      } finally {
        lab.faults.clear('pwsh-hang');
      }
      assert.equal((await shell.runJson(ps.getPersistentChatState(POOL))).length, 1);
    });

    it('reports a crash (pwsh-crash), and the next call works on a fresh shell', async () => {
      lab.faults.arm('pwsh-crash');
      try {
        const e = await failure(shell.runJson(ps.getPersistentChatState(POOL)), ShellError);
        assert.equal(e.failure, 'crashed');
        assert.equal(e.outcomeUnknown, true, 'the shell ended mid-command');
      } finally {
        lab.faults.clear('pwsh-crash');
      }
      assert.equal((await shell.runJson(ps.getPersistentChatState(POOL))).length, 1);
      assert.ok(log.lines.every((l) => !/password/i.test(l)));
    });

    it('warmUp starts the shell ahead of the first command, which then runs on it', async (t) => {
      const started = recordingLog();
      const early = new PowerShellSession(shellOptions(lab, { log: started }));
      t.after(() => early.close());
      early.warmUp();
      // The start is queued behind nothing: it begins within this turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      const line = `shell: started ${lab.info.shell!.executable}`;
      assert.deepEqual(started.lines, [line], 'started before any command');
      assert.equal((await early.runJson(ps.getPersistentChatState(POOL))).length, 1);
      assert.deepEqual(started.lines, [line], 'the command ran on that shell');
    });

    it('close right after warmUp starts no shell', async () => {
      const started = recordingLog();
      const early = new PowerShellSession(shellOptions(lab, { log: started }));
      early.warmUp();
      await early.close();
      assert.deepEqual(started.lines, []);
    });
  });
}
