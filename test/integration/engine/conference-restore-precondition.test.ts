/**
 * The conference restore's precondition against the real lab (pool-loss) through the real
 * adapters (node-powershell and the stand-in): on a fresh lab the lost pool is down and the run
 * stops before anything is sent; the documented order — failover, failback, then the restore
 * (domain reference §3.4) — passes it and completes.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { rebuildFailedDatacenter } from '../../../src/cli/rehearse';
import { planProcedure, runStep, type RunOptions, type RunPlan, type RunResult } from '../../../src/core/recovery';
import type { ShellSession } from '../../../src/core/recovery/ports';
import { parseRunbook } from '../../../src/core/runbook';
import { powershellParser } from '../../unit/runbook/grammar';
import { harness, journalRecords, litwareEstate, samplePlan, type Harness } from './helpers';

const LOST = 'atl-cs-001.litwareinc.com';
const PARTNER = 'dal-cs-001.litwareinc.com';

/** The harness's shell, recording every command that reaches it. */
function recordingShell(shell: ShellSession, sent: string[]): ShellSession {
  return {
    run: (command, options) => (sent.push(command), shell.run(command, options)),
    runJson: (command, options) => (sent.push(command), shell.runJson(command, options)),
    close: () => shell.close(),
  };
}

function recorded(h: Harness): { sent: string[]; options: Partial<RunOptions> } {
  const sent: string[] = [];
  const ports = h.rehearsal.wiring.ports;
  return { sent, options: { ports: { ...ports, shell: recordingShell(ports.shell, sent) } } };
}

/** Runs one step the way the harness runs a runbook (its journal, auto-confirmations, lab clock). */
async function runOneStep(h: Harness, plan: RunPlan, stepId: string): Promise<RunResult> {
  const journal = await h.journals.open(plan.runbookPath);
  try {
    return await runStep(plan, stepId, { ports: h.rehearsal.wiring.ports, journal, mode: 'rehearsal', confirm: async () => true, onEvent: (e) => h.events.push(e), pollIntervalMs: 1000, wait: async (ms) => h.rehearsal.lync.clock.advance(ms) });
  } finally {
    await journal.close();
  }
}

const dataConfOf = (h: Harness, pool: string) => h.rehearsal.lync.backupStatus(pool).find((m) => m.module === 'ConfServices.DataConf')!.exportStatus;

function assertStoppedAtPrecondition(result: RunResult, stepId: string): void {
  assert.equal(result.outcome, 'failed');
  assert.equal(result.failure?.stepId, stepId);
  const message = result.failure!.message;
  assert.match(message, new RegExp(`^Before step ${stepId}: expected atl-cs-001\\.litwareinc\\.com answers again`));
  // What was seen, read from the lab through the real shell: the cmdlet's own words.
  assert.match(message, /atl-cs-001\.litwareinc\.com does not answer — Get-CsBackupServiceStatus -PoolFqdn atl-cs-001\.litwareinc\.com: Unable to contact the Backup Service on pool/);
  assert.match(message, /still down, or failed over to dal-cs-001\.litwareinc\.com/);
  assert.match(message, /Fail the pool back first \(Lync: Fail Back Front End Pool…, or Invoke-CsPoolFailBack -PoolFqdn atl-cs-001\.litwareinc\.com\), then run the conference restore again/);
  assert.doesNotMatch(message, /ErrorState|event log/);
}

describe('conference restore precondition: the lost pool answers again (pool-loss lab)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('on a fresh pool-loss lab the run stops at the precondition and nothing is sent', async () => {
    h = await harness('conference-restore');
    const sample = recorded(h);
    const result = await h.run(await samplePlan('conference-restore.runbook.md'), sample.options);
    assertStoppedAtPrecondition(result, 'sync');
    // Only the check's read reached the shell; no action was started or journaled.
    assert.deepEqual(sample.sent.map((c) => c.split(' |')[0]), [`Get-CsBackupServiceStatus -PoolFqdn '${LOST}'`]);
    assert.ok(!journalRecords(h).some((r) => r.type === 'action-started'), 'an action was journaled');
    assert.ok(!h.events.some((e) => e.type === 'action-started'));

    // The guided command's path (the built-in procedure, rendered and planned) stops at its first step.
    const powershell = await powershellParser();
    const builtIn = planProcedure('conference-restore', litwareEstate(), LOST, { runbookPath: path.join(h.journalDir, 'conference-restore.runbook.md'), parse: (text) => parseRunbook(text, { powershell }) });
    const guided = recorded(h);
    assertStoppedAtPrecondition(await h.run(builtIn, guided.options), 'check-pairing');
    assert.deepEqual(guided.sent.map((c) => c.split(' |')[0]), [`Get-CsBackupServiceStatus -PoolFqdn '${LOST}'`]);

    // The lab agrees: no sync was started on the partner (one would show NonSteadyState), the lost pool is untouched.
    assert.equal(dataConfOf(h, PARTNER), 'ErrorState');
    const atl = h.rehearsal.lync.fePool(LOST)!;
    assert.deepEqual({ reachable: atl.reachable, failedOver: atl.failedOver, lost: atl.conferenceContentLost }, { reachable: false, failedOver: false, lost: true });
  });

  it('after failover and failback the same runbook passes the precondition and completes', async () => {
    h = await harness('conference-restore');
    const restore = await samplePlan('conference-restore.runbook.md');

    const failover = await h.run(await samplePlan('pool-failover.runbook.md'));
    assert.equal(failover.outcome, 'completed', JSON.stringify(failover.failure));
    // Failed over but not failed back: the pool is still down, the restore still refuses.
    assertStoppedAtPrecondition(await h.run(restore), 'sync');

    // The lost pool is rebuilt before it is failed back (the lab refuses a failback of a pool still down).
    rebuildFailedDatacenter(h.rehearsal);
    const failback = await runOneStep(h, await samplePlan('pool-failback.runbook.md'), 'fail-back');
    assert.equal(failback.outcome, 'completed', JSON.stringify(failback.failure));
    assert.equal(h.rehearsal.lync.fePool(LOST)!.conferenceContentLost, true);

    h.events.length = 0;
    const result = await h.run(restore);
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    assert.deepEqual(result.steps.map((s) => `${s.stepId}:${s.outcome}`), ['sync:completed', 'wait:completed', 'status:completed']);
    const check = h.events.find((e) => e.type === 'check' && e.check.kind === 'pool-answers');
    assert.ok(check?.type === 'check' && check.ok && check.stepId === 'sync', JSON.stringify(check));
    assert.match(check.detail, /^atl-cs-001\.litwareinc\.com answers \(Backup Service: /);
    assert.ok(['SteadyState', 'FinalState'].includes(dataConfOf(h, PARTNER)));
    assert.equal(h.rehearsal.lync.fePool(LOST)!.conferenceContentLost, false);
  });
});
