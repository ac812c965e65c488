/**
 * Issue 5, lab faults on the Lync Management Shell side (docs/lab.md): `pwsh-crash`, `pwsh-hang`
 * and `cmdlet-error`, armed when the first shell step of a rehearsed Persistent Chat failover
 * starts, and `backup-sync-error`, armed when the conference restore's sync starts. The run must
 * fail naming the cmdlet (or the Backup Service module), the step and what to do; the journal
 * must say what ran; once the fault is cleared, running again completes — the failover with every
 * log backup applied exactly once, mgc ONLINE and the pool FailedOver. The shell faults run
 * through a PowerShellSession of the test's own (real node-powershell adapter, the lab's
 * stand-in) so its diagnostics show when a fresh shell starts, and so pwsh-hang can use a short
 * invocation timeout.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { rebuildFailedDatacenter } from '../../../src/cli/rehearse';
import { importModule, PowerShellSession } from '../../../src/adapters/shell';
import * as ps from '../../../src/core/commands/powershell';
import { parseFqdn, persistentChatIdentity } from '../../../src/core/commands/values';
import { armWhenStepStarts, assertFailedOverOnce, assertJournalOfFailedRun, harness, journalRecords, samplePlan, shareLogs, type Harness } from './helpers';

const RUNBOOK = 'persistent-chat-failover.runbook.md';
const POOL = 'atl-gc-001.litwareinc.com';
/** Long enough for a shell (node stand-in) to start on a loaded machine. */
const START_TIMEOUT_MS = 120_000;

interface OwnShell {
  readonly session: PowerShellSession;
  /** How many shell processes the session started so far. */
  started(): number;
}

function ownShell(h: Harness, invocationTimeoutMs?: number): OwnShell {
  const launch = h.rehearsal.lab.info.shell!;
  const log: string[] = [];
  const session = new PowerShellSession({
    executable: launch.executable,
    args: launch.args,
    env: launch.env,
    prelude: [importModule('Lync')],
    ...(invocationTimeoutMs !== undefined ? { invocationTimeoutMs } : {}),
    log: { debug: (m) => log.push(m), warn: (m) => log.push(m) },
  });
  return { session, started: () => log.filter((m) => m.startsWith('shell: started')).length };
}

/** A read-only command with a generous limit: starts the shell (prelude included) when none runs. */
const warmUp = (shell: OwnShell) => shell.session.runJson(ps.getPersistentChatState(persistentChatIdentity(parseFqdn(POOL))), { timeoutMs: START_TIMEOUT_MS });

describe('lab faults on the shell side', { timeout: 300_000 }, () => {
  let h: Harness | undefined;
  let shell: OwnShell | undefined;
  afterEach(async () => {
    await shell?.session.close();
    shell = undefined;
    await h?.stop();
    h = undefined;
  });

  it('pwsh-crash: names the cmdlet and the step; the next run starts a fresh shell and completes', async () => {
    h = await harness('persistent-chat-failover');
    shell = ownShell(h);
    const ports = { ...h.rehearsal.wiring.ports, shell: shell.session };
    const plan = await samplePlan(RUNBOOK);
    const logs = shareLogs(h.rehearsal);
    const first = await h.run(plan, { ports, onEvent: armWhenStepStarts(h, 'fail-over-pool', 'pwsh-crash') });

    assert.equal(first.outcome, 'failed');
    assert.equal(first.failure?.stepId, 'fail-over-pool');
    assert.match(
      first.failure!.message,
      /^Step fail-over-pool failed \(line \d+\) on Lync Server Management Shell \(Set-CsPersistentChatState\): The PowerShell process ended in the middle of the command \(exit code \d+\); the command may or may not have run/,
    );
    assert.match(first.failure!.hint!, /started afresh on the next run.*check first whether it took effect/);
    assert.equal(h.rehearsal.lab.model.instance('dal-pcbak')!.database('mgc')!.state, 'ONLINE');
    assert.deepEqual(first.steps.map((s) => s.outcome), ['completed', 'completed', 'completed', 'completed', 'completed', 'failed']);
    assertJournalOfFailedRun(h, first, { failedAction: true });
    assert.equal(shell.started(), 1);

    h.rehearsal.lab.faults.clear('pwsh-crash');
    const second = await h.run(plan, { ports });
    assert.equal(second.outcome, 'completed', JSON.stringify(second.failure));
    assert.equal(shell.started(), 2, 'a fresh shell after the crash');
    assertFailedOverOnce(h, logs);
  });

  it('pwsh-hang: the invocation timeout fires, naming the cmdlet; the resume runs on a fresh shell and completes', async () => {
    h = await harness('persistent-chat-failover');
    const timeoutMs = 10_000;
    shell = ownShell(h, timeoutMs);
    const ports = { ...h.rehearsal.wiring.ports, shell: shell.session };
    const plan = await samplePlan(RUNBOOK);
    const logs = shareLogs(h.rehearsal);
    await warmUp(shell);
    const first = await h.run(plan, { ports, onEvent: armWhenStepStarts(h, 'fail-over-pool', 'pwsh-hang') });

    assert.equal(first.outcome, 'failed');
    assert.equal(first.failure?.stepId, 'fail-over-pool');
    assert.equal(
      first.failure!.message.replace(/line \d+/, 'line N'),
      `Step fail-over-pool failed (line N) on Lync Server Management Shell (Set-CsPersistentChatState): The shell did not answer within ${timeoutMs} ms; it was stopped and the next command starts a new one.`,
    );
    assert.match(first.failure!.hint!, /time limit.*restarted on the next run.*may still have taken effect/);
    assertJournalOfFailedRun(h, first, { failedAction: true });
    assert.equal(shell.started(), 1);

    h.rehearsal.lab.faults.clear('pwsh-hang');
    await warmUp(shell);
    assert.equal(shell.started(), 2, 'the hung shell was replaced by a fresh one');
    const second = await h.run(plan, { ports });
    assert.equal(second.outcome, 'completed', JSON.stringify(second.failure));
    assert.equal(shell.started(), 2);
    assertFailedOverOnce(h, logs);
  });

  it('cmdlet-error: names the cmdlet, its error and the step; resume completes', async () => {
    h = await harness('persistent-chat-failover');
    const plan = await samplePlan(RUNBOOK);
    const logs = shareLogs(h.rehearsal);
    const first = await h.run(plan, { onEvent: armWhenStepStarts(h, 'fail-over-pool', 'cmdlet-error') });

    assert.equal(first.outcome, 'failed');
    assert.equal(first.failure?.stepId, 'fail-over-pool');
    assert.match(
      first.failure!.message,
      /^Step fail-over-pool failed \(line \d+\) on Lync Server Management Shell \(Set-CsPersistentChatState\): Command execution failed: Unable to access the Central Management Store\./,
    );
    assert.match(first.failure!.hint!, /Central Management Store: check that it is reachable/);
    assert.equal(h.rehearsal.lync.pcPool(POOL)!.poolState, 'Normal');
    assertJournalOfFailedRun(h, first, { failedAction: true });

    h.rehearsal.lab.faults.clear('cmdlet-error');
    const second = await h.run(plan);
    assert.equal(second.outcome, 'completed', JSON.stringify(second.failure));
    assertFailedOverOnce(h, logs);
  });

  it('backup-sync-error: wait-backup-sync fails naming the module, pool and ErrorState; the sync run again completes', async () => {
    h = await harness('conference-restore');
    rebuildFailedDatacenter(h.rehearsal);
    const plan = await samplePlan('conference-restore.runbook.md');
    const first = await h.run(plan, { onEvent: armWhenStepStarts(h, 'sync', 'backup-sync-error') });

    assert.equal(first.outcome, 'failed');
    assert.equal(first.failure?.stepId, 'wait');
    assert.match(first.failure!.message, /^Step wait failed \(line \d+\) on Lync Server Management Shell: ConfServices\.DataConf on dal-cs-001\.litwareinc\.com: export ErrorState, import \w+: the Backup Service reports an error\./);
    assert.match(first.failure!.hint!, /Backup Service event log.*run Invoke-CsBackupServiceSync again and this step/);
    assert.deepEqual(first.steps.map((s) => `${s.stepId}:${s.outcome}`), ['sync:completed', 'wait:failed']);
    assertJournalOfFailedRun(h, first, { failedAction: true });
    assert.ok(journalRecords(h).some((r) => r.type === 'action-finished' && r.stepId === 'wait' && r.outcome === 'failed' && /ErrorState/.test(r.error ?? '')));
    assert.equal(h.rehearsal.lync.fePool('atl-cs-001.litwareinc.com')!.conferenceContentLost, true);

    h.rehearsal.lab.faults.clear('backup-sync-error');
    // Clearing the fault does not end the module's ErrorState: waiting again fails the same way…
    const again = await h.run(plan);
    assert.equal(again.outcome, 'failed');
    assert.equal(again.failure?.message, first.failure!.message);
    // …so, as the hint says, the sync runs again (the admin forces its step), then the wait.
    const second = await h.run(plan, { force: new Set(['sync']) });
    assert.equal(second.outcome, 'completed', JSON.stringify(second.failure));
    const dataConf = h.rehearsal.lync.backupStatus('dal-cs-001.litwareinc.com').find((m) => m.module === 'ConfServices.DataConf')!;
    assert.ok(['SteadyState', 'FinalState'].includes(dataConf.exportStatus), dataConf.exportStatus);
    assert.equal(h.rehearsal.lync.fePool('atl-cs-001.litwareinc.com')!.conferenceContentLost, false);
  });
});
