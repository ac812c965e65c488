/**
 * Issue 5, lab faults on the SQL connection (docs/lab.md): `sql-disconnect-during-restore` and
 * `sql-login-fails`, each armed at the moment that exercises it during a rehearsed Persistent
 * Chat failover (the sample runbook, real mssql + node-powershell adapters). The run must fail
 * with a message naming what failed and where and a hint saying what to do; the journal must say
 * what ran; once the fault is cleared, running again with the same journal completes, with every
 * log backup applied exactly once (the lab's restore history), mgc ONLINE and the pool FailedOver.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { armWhenStepStarts, assertFailedOverOnce, assertJournalOfFailedRun, harness, journalRecords, restoredLogs, samplePlan, shareLogs, type Harness } from './helpers';

const RUNBOOK = 'persistent-chat-failover.runbook.md';

describe('lab faults on the SQL connection (Persistent Chat failover)', { timeout: 240_000 }, () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('sql-disconnect-during-restore: names the log backup cut off and the instance; resume applies each log once', async () => {
    h = await harness('persistent-chat-failover');
    const plan = await samplePlan(RUNBOOK);
    const logs = shareLogs(h.rehearsal);
    const first = await h.run(plan, { onEvent: armWhenStepStarts(h, 'apply-logs', 'sql-disconnect-during-restore') });

    assert.equal(first.outcome, 'failed');
    assert.equal(first.failure?.stepId, 'apply-logs');
    const m = /RESTORE LOG of (mgc_\d{14}\.trn) into mgc on backup dal-pcbak \(dal-pcbak-001\.litwareinc\.com\\pchat\) was cut off: Lost the connection to SQL instance 'dal-pcbak' \(127\.0\.0\.1:\d+\)/.exec(first.failure!.message);
    assert.ok(m, first.failure!.message);
    const cutOff = m[1]!;
    assert.match(first.failure!.hint!, /answers again, run this step again.*redo LSN.*nothing twice/);
    assert.equal(h.rehearsal.lab.model.instance('dal-pcbak')!.database('mgc')!.state, 'RESTORING');
    assert.ok(!restoredLogs(h.rehearsal, 'dal-pcbak', 'mgc').includes(cutOff), 'the cut-off restore was not applied');
    assert.deepEqual(first.steps.map((s) => `${s.stepId}:${s.outcome}`), ['capture-log-shipping:completed', 'remove-log-shipping:completed', 'copy-logs:completed', 'apply-logs:failed']);
    assertJournalOfFailedRun(h, first, { failedAction: true });
    assert.ok(journalRecords(h).some((r) => r.item?.endsWith(`/apply:${cutOff}`) && r.outcome === 'failed'), 'journal: the log backup being restored');

    h.rehearsal.lab.faults.clear('sql-disconnect-during-restore');
    const second = await h.run(plan);
    assert.equal(second.outcome, 'completed', JSON.stringify(second.failure));
    assert.deepEqual(second.steps.slice(0, 3).map((s) => s.outcome), ['skipped', 'skipped', 'skipped']);
    assertFailedOverOnce(h, logs);
  });

  it('sql-login-fails: names the login, the instance and Msg 18456 before anything runs; resume completes', async () => {
    h = await harness('persistent-chat-failover');
    const plan = await samplePlan(RUNBOOK);
    const logs = shareLogs(h.rehearsal);
    h.rehearsal.lab.faults.arm('sql-login-fails');
    const first = await h.run(plan);

    assert.equal(first.outcome, 'failed');
    assert.equal(first.failure?.stepId, 'capture-log-shipping');
    assert.match(first.failure!.message, /could not check that mgc on backup dal-pcbak \(dal-pcbak-001\.litwareinc\.com\\pchat\) is RESTORING: SQL Server error 18456: SQL instance 'dal-pcbak' \(127\.0\.0\.1:\d+\) refused the login of 'lab'/);
    assert.match(first.failure!.hint!, /Check the SQL login \(user, password.*\) set for dal-pcbak, then run again/);
    // Nothing was sent: the journal holds only the run's start and its failure.
    assert.deepEqual(journalRecords(h).map((r) => r.type), ['run-started', 'run-finished']);
    assertJournalOfFailedRun(h, first, { failedAction: false });
    assert.equal(h.rehearsal.lab.model.instance('dal-pcbak')!.msdb.log_shipping_secondary_databases.length, 1);

    h.rehearsal.lab.faults.clear('sql-login-fails');
    const second = await h.run(plan);
    assert.equal(second.outcome, 'completed', JSON.stringify(second.failure));
    assertFailedOverOnce(h, logs);
  });
});
