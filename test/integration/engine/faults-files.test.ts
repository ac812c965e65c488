/**
 * Issue 5, lab faults on the log-shipping files (docs/lab.md): `share-unreachable` and
 * `copy-disk-full`, armed when the copy step of a rehearsed Persistent Chat failover starts. The
 * run must fail naming the share / the copy folder and what to do, the journal must say what ran;
 * once the fault is cleared, running again completes with every log backup applied exactly once.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { afterEach, describe, it } from 'node:test';
import { armWhenStepStarts, assertFailedOverOnce, assertJournalOfFailedRun, harness, journalRecords, samplePlan, shareLogs, type Harness } from './helpers';

const RUNBOOK = 'persistent-chat-failover.runbook.md';
const COPY_FOLDER = 'D:\\LogShipping\\mgc';

describe('lab faults on the log-shipping files (Persistent Chat failover)', { timeout: 240_000 }, () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('share-unreachable: stops before the copy naming the share (never overridden in rehearsal); resume completes', async () => {
    h = await harness('persistent-chat-failover');
    const plan = await samplePlan(RUNBOOK);
    const logs = shareLogs(h.rehearsal);
    const first = await h.run(plan, { onEvent: armWhenStepStarts(h, 'copy-logs', 'share-unreachable') });

    assert.equal(first.outcome, 'failed');
    assert.equal(first.failure?.stepId, 'copy-logs');
    assert.match(first.failure!.message, /^Before step copy-logs: expected the share \\\\atl-fs-001\.litwareinc\.com\\pchat-logs is reachable/);
    assert.match(first.failure!.message, /cannot be reached \(ENOENT\).*check that the file server is up and this account can open the share/);
    assert.match(first.failure!.message, /Continuing loses every change after the last copied file/);
    assert.match(first.failure!.hint!, /fix what is named above and run again, or.*overrides/);
    assert.deepEqual(first.steps.map((s) => `${s.stepId}:${s.outcome}`), ['capture-log-shipping:completed', 'remove-log-shipping:completed', 'copy-logs:failed']);
    // The copy never started: nothing of it is in the journal.
    assert.ok(!journalRecords(h).some((r) => r.stepId === 'copy-logs'));
    assertJournalOfFailedRun(h, first, { failedAction: false });

    h.rehearsal.lab.faults.clear('share-unreachable');
    const second = await h.run(plan);
    assert.equal(second.outcome, 'completed', JSON.stringify(second.failure));
    assert.deepEqual(second.steps.slice(0, 2).map((s) => s.outcome), ['skipped', 'skipped']);
    assertFailedOverOnce(h, logs);
  });

  it('copy-disk-full: names the copy folder, the file and the full disk; resume copies and applies each log once', async () => {
    h = await harness('persistent-chat-failover');
    const plan = await samplePlan(RUNBOOK);
    const logs = shareLogs(h.rehearsal);
    const first = await h.run(plan, { onEvent: armWhenStepStarts(h, 'copy-logs', 'copy-disk-full') });

    assert.equal(first.outcome, 'failed');
    assert.equal(first.failure?.stepId, 'copy-logs');
    assert.match(
      first.failure!.message,
      /^Step copy-logs failed \(line \d+\) on files: log-shipping share → copy folder: The disk holding D:\\LogShipping\\mgc is full: \\\\atl-fs-001\.litwareinc\.com\\pchat-logs\\mgc_\d{14}\.trn could not be copied there\. Free space in D:\\LogShipping\\mgc/,
    );
    assert.match(first.failure!.hint!, /free space in the copy folder/);
    assert.equal(h.rehearsal.lab.model.instance('dal-pcbak')!.database('mgc')!.state, 'RESTORING');
    assertJournalOfFailedRun(h, first, { failedAction: true });
    // No temporary or partial file is left behind as a log backup.
    const server = h.rehearsal.lab.model.instance('dal-pcbak')!.server;
    const copied = fs.readdirSync(h.rehearsal.lab.pathFor(COPY_FOLDER, server));
    assert.ok(copied.every((n) => /^mgc_\d{14}\.trn$/.test(n)), copied.join(', '));

    h.rehearsal.lab.faults.clear('copy-disk-full');
    const second = await h.run(plan);
    assert.equal(second.outcome, 'completed', JSON.stringify(second.failure));
    assertFailedOverOnce(h, logs);
  });
});
