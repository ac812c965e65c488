/**
 * Issue 5, lab faults on the Lync Management Shell side (docs/lab.md): `pwsh-crash`, `pwsh-hang`
 * and `cmdlet-error`, armed when the first shell step of a rehearsed Persistent Chat failover
 * starts, and `backup-sync-error`, armed when the conference restore's sync starts. The run must
 * stop naming the cmdlet (or the Backup Service module), the step and what to do; the journal
 * must say what ran; once the fault is cleared, running again completes — the failover with every
 * log backup applied exactly once, mgc ONLINE and the pool FailedOver. A crash or hang while a
 * command was being sent leaves its outcome unknown: the step is interrupted, and the next run
 * verifies it (PoolState) before anything is sent again — a command that took effect is not sent
 * twice. The shell faults run through a PowerShellSession of the test's own (real node-powershell
 * adapter, the lab's stand-in) so its diagnostics show when a fresh shell starts, and so
 * pwsh-hang can use a short invocation timeout.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { rebuildFailedDatacenter } from '../../../src/cli/rehearse';
import { PowerShellSession } from '../../../src/adapters/shell';
import * as ps from '../../../src/core/commands/powershell';
import { parseFqdn, persistentChatIdentity } from '../../../src/core/commands/values';
import { planRunbook, type ConfirmRequest, type EnginePorts, type RunEvent, type RunPlan } from '../../../src/core/recovery';
import { parseRunbook } from '../../../src/core/runbook';
import { powershellParser } from '../../unit/runbook/grammar';
import { armWhenStepStarts, assertFailedOverOnce, assertJournalOfFailedRun, harness, journalRecords, litwareEstate, samplePlan, SAMPLES, shareLogs, type Harness } from './helpers';

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
    prelude: launch.prelude,
    ...(invocationTimeoutMs !== undefined ? { invocationTimeoutMs } : {}),
    log: { debug: (m) => log.push(m), warn: (m) => log.push(m) },
  });
  return { session, started: () => log.filter((m) => m.startsWith('shell: started')).length };
}

/** A read-only command with a generous limit: starts the shell (prelude included) when none runs. */
const warmUp = (shell: OwnShell) => shell.session.runJson(ps.getPersistentChatState(persistentChatIdentity(parseFqdn(POOL))), { timeoutMs: START_TIMEOUT_MS });

/** The fail-over-pool step stopped with its outcome unknown, and the journal says so. */
function assertInterruptedFailOver(h: Harness, result: Awaited<ReturnType<Harness['run']>>, cause: RegExp): void {
  assert.equal(result.outcome, 'failed');
  assert.equal(result.failure?.stepId, 'fail-over-pool');
  assert.equal(result.failure?.outcomeUnknown, true);
  const message = /^Step fail-over-pool was interrupted \(line \d+\) on Lync Server Management Shell \(Set-CsPersistentChatState\) and its outcome is unknown: (.*)$/.exec(result.failure!.message);
  assert.ok(message, result.failure!.message);
  assert.match(message[1]!, cause);
  assert.match(result.failure!.hint!, /fresh shell.*verification is checked first.*not sent again.*asked before it is sent again/);
  assert.deepEqual(result.steps.map((s) => s.outcome), ['completed', 'completed', 'completed', 'completed', 'completed', 'interrupted']);
  assertJournalOfFailedRun(h, result, { failedAction: false });
  const finished = journalRecords(h).filter((r) => r.type === 'action-finished' && r.stepId === 'fail-over-pool');
  assert.deepEqual(finished.map((r) => r.outcome), ['interrupted'], 'journal: interrupted, not failed');
  assert.match(finished[0]!.error ?? '', cause);
}

/** Runs `plan` again, recording what the engine asked and which actions it started. */
async function resume(h: Harness, plan: RunPlan, ports: EnginePorts) {
  const asked: ConfirmRequest[] = [];
  const events: RunEvent[] = [];
  const result = await h.run(plan, { ports, confirm: async (r) => (asked.push(r), true), onEvent: (e) => events.push(e) });
  return { result, asked, events, started: events.flatMap((e) => (e.type === 'action-started' ? [e.stepId] : [])) };
}

/**
 * The sample failover with its fail-over-pool line reading the state back in the same command
 * (`Set-CsPersistentChatState …; Get-CsPersistentChatState …`), planned under its own path (its
 * own journal).
 */
async function setThenGetPlan(): Promise<RunPlan> {
  const identity = `"PersistentChatServer:${POOL}"`;
  const set = `Set-CsPersistentChatState -Identity ${identity} -PoolState FailedOver`;
  const text = fs.readFileSync(path.join(SAMPLES, RUNBOOK), 'utf8');
  assert.ok(text.includes(`${set}\n`), 'the sample fails the pool over with this line');
  const edited = text.replace(`${set}\n`, `${set}; Get-CsPersistentChatState -Identity ${identity}\n`);
  return planRunbook(parseRunbook(edited, { powershell: await powershellParser() }), litwareEstate(), path.join(SAMPLES, 'set-then-get.runbook.md'));
}

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

    assertInterruptedFailOver(h, first, /^The PowerShell process ended in the middle of the command \(exit code \d+\); the command may or may not have run/);
    assert.equal(h.rehearsal.lab.model.instance('dal-pcbak')!.database('mgc')!.state, 'ONLINE');
    assert.equal(shell.started(), 1);

    h.rehearsal.lab.faults.clear('pwsh-crash');
    // The stand-in crashed before the cmdlet ran: the verification sees Normal, so the operator is asked.
    const second = await resume(h, plan, ports);
    assert.equal(second.result.outcome, 'completed', JSON.stringify(second.result.failure));
    const interrupted = second.asked.filter((r) => r.kind === 'interrupted');
    assert.equal(interrupted.length, 1);
    assert.match(interrupted[0]!.kind === 'interrupted' ? (interrupted[0]!.detail ?? '') : '', /last run: The PowerShell process ended.*\n.*PoolState Normal, expected FailedOver/s);
    assert.deepEqual([...new Set(second.started)], ['fail-over-pool', 'mirror-backup', 'activate-dallas'], 'completed steps are not run again');
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

    assertInterruptedFailOver(h, first, new RegExp(`^The shell did not answer within ${timeoutMs} ms; it was stopped and the next command starts a new one\\.$`));
    assert.equal(shell.started(), 1);

    h.rehearsal.lab.faults.clear('pwsh-hang');
    await warmUp(shell);
    assert.equal(shell.started(), 2, 'the hung shell was replaced by a fresh one');
    const second = await resume(h, plan, ports);
    assert.equal(second.result.outcome, 'completed', JSON.stringify(second.result.failure));
    assert.deepEqual(second.asked.filter((r) => r.kind === 'interrupted').map((r) => r.stepId), ['fail-over-pool'], 'the hang hit before the cmdlet ran: verification fails, the operator decides');
    assert.deepEqual([...new Set(second.started)], ['fail-over-pool', 'mirror-backup', 'activate-dallas'], 'completed steps are not run again');
    assert.equal(shell.started(), 2);
    assertFailedOverOnce(h, logs);
  });

  // The lab's pwsh-* faults fire before a Lync cmdlet runs. To lose the reply of a command that
  // took effect, the fault is armed the moment the lab's pool state changes, and the runbook line
  // reads the state back in the same command (Set…; Get…): the Get hits the fault.
  for (const fault of ['pwsh-hang', 'pwsh-crash'] as const) {
    it(`${fault} after Set-CsPersistentChatState took effect: the resumed run verifies it and does not send it again`, async () => {
      h = await harness('persistent-chat-failover');
      const timeoutMs = 10_000;
      const own = ownShell(h, timeoutMs);
      shell = own;
      const ports = { ...h.rehearsal.wiring.ports, shell: own.session };
      const plan = await setThenGetPlan();
      const logs = shareLogs(h.rehearsal);
      const lync = h.rehearsal.lync;
      const setPoolState = lync.setPoolState.bind(lync);
      let sets = 0;
      let armOnSet = true;
      lync.setPoolState = (pool, state) => {
        setPoolState(pool, state);
        sets++;
        if (armOnSet && state === 'FailedOver') h!.rehearsal.lab.faults.arm(fault);
      };
      await warmUp(own);
      const first = await h.run(plan, { ports });

      assertInterruptedFailOver(h, first, fault === 'pwsh-hang' ? /^The shell did not answer within 10000 ms/ : /^The PowerShell process ended in the middle of the command/);
      assert.equal(h.rehearsal.lync.pcPool(POOL)!.poolState, 'FailedOver', 'the command took effect; its reply was lost');
      assert.equal(sets, 1);

      armOnSet = false;
      h.rehearsal.lab.faults.clear(fault);
      await warmUp(own);
      const second = await resume(h, plan, ports);
      assert.equal(second.result.outcome, 'completed', JSON.stringify(second.result.failure));
      assert.equal(sets, 1, 'Set-CsPersistentChatState was not sent again');
      assert.deepEqual(second.asked.filter((r) => r.kind === 'interrupted'), [], 'the verification decided; nobody was asked');
      assert.ok(second.events.some((e) => e.type === 'action-skipped' && e.stepId === 'fail-over-pool' && /interrupted earlier, verified complete \(PoolState FailedOver\)/.test(e.reason)));
      assert.deepEqual(second.result.steps.slice(0, 5).map((s) => s.outcome), ['skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
      const finished = journalRecords(h).filter((r) => r.type === 'action-finished' && r.stepId === 'fail-over-pool' && r.item === undefined);
      assert.deepEqual(finished.map((r) => r.outcome), ['interrupted', 'ok', 'ok'], 'interrupted, then verified complete; then check-pool-state');
      assertFailedOverOnce(h, logs);
    });
  }

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
    assert.match(first.failure!.hint!, /Central Management Store does not answer: check that the SQL instance holding it/);
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
