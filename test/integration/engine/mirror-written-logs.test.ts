/**
 * Issue 12 D1: the primary's mgc failed over to its mirror 10 minutes before the data center was
 * lost (lab scenario `pchat-dc-loss-after-mirror-failover`), so the share holds log backups written
 * by both servers (domain reference §1.5(b)). The rehearsed failover must apply every one of them,
 * from both writers, exactly once and in LSN order; with one mirror-written file missing it must
 * stop before recovery, naming that gap.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { readBackupFile } from '../../../src/lab/model';
import { assertFailedOverOnce, harness, restoredLogs, samplePlan, shareLogs, type Harness } from './helpers';

const RUNBOOK = 'persistent-chat-failover.runbook.md';
const SHARE = '\\\\atl-fs-001.litwareinc.com\\pchat-logs';
const PRIMARY = 'ATL-PCSQL-001\\PCHAT';
const MIRROR = 'ATL-PCSQLM-001\\PCHAT';

/** Each log backup on the share with the server that wrote it and its LSNs, read from the lab's files. */
function shareSets(h: Harness) {
  const dir = h.rehearsal.lab.pathFor(SHARE);
  return shareLogs(h.rehearsal).map((name) => ({ name, ...readBackupFile(path.join(dir, name))[0]! }));
}

/** The log restores recorded in the backup instance's msdb, in the order they happened. */
function restoresInOrder(h: Harness) {
  const msdb = h.rehearsal.lab.model.instance('dal-pcbak')!.msdb;
  return msdb.restorehistory
    .filter((r) => r.restore_type === 'L' && r.destination_database_name === 'mgc')
    .map((r) => msdb.backupset.find((b) => b.backup_set_id === r.backup_set_id)!);
}

describe('log backups written by the primary\'s mirror (Persistent Chat failover)', { timeout: 240_000 }, () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('applies every log backup, from both writers, exactly once, in LSN order', async () => {
    h = await harness('persistent-chat-failover', { scenario: 'pchat-dc-loss-after-mirror-failover' });
    const sets = shareSets(h);
    assert.ok(sets.some((s) => s.server === MIRROR) && sets.some((s) => s.server === PRIMARY), 'the share holds files of both writers');
    const before = restoredLogs(h.rehearsal, 'dal-pcbak', 'mgc').length;

    const result = await h.run(await samplePlan(RUNBOOK));

    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    assertFailedOverOnce(h, sets.map((s) => s.name));
    const restores = restoresInOrder(h);
    for (let k = 1; k < restores.length; k++) assert.equal(restores[k]!.first_lsn, restores[k - 1]!.last_lsn, 'each restore continues the previous one');
    const byTheRun = restores.slice(before);
    assert.deepEqual(new Set(byTheRun.map((r) => r.server_name)), new Set([PRIMARY, MIRROR]), 'the run applied files of both writers');
    assert.ok(!h.events.some((e) => e.type === 'warning' && /not applied/.test(e.message)), 'no file was set aside');
  });

  it('with one mirror-written file missing: stops before recovery naming the gap, mgc still RESTORING', async () => {
    h = await harness('persistent-chat-failover', { scenario: 'pchat-dc-loss-after-mirror-failover' });
    const sets = shareSets(h);
    const gone = sets.find((s) => s.server === MIRROR)!;
    const following = sets[sets.indexOf(gone) + 1]!;
    assert.equal(following.server, MIRROR, 'a later mirror-written file stays');
    fs.rmSync(path.join(h.rehearsal.lab.pathFor(SHARE), gone.name));

    const result = await h.run(await samplePlan(RUNBOOK));

    assert.equal(result.outcome, 'failed');
    assert.equal(result.failure?.stepId, 'apply-logs');
    assert.equal(h.rehearsal.lab.model.instance('dal-pcbak')!.database('mgc')!.state, 'RESTORING');
    assert.ok(!result.steps.some((s) => s.stepId === 'recover-mgc'));
    const m = /Log chain gap for mgc on backup dal-pcbak \(.*\): no log backup holds LSN (\d+) up to (\d+) — missing between (mgc_\d{14}\.trn) and (mgc_\d{14}\.trn)/.exec(result.failure!.message);
    assert.ok(m, result.failure!.message);
    assert.deepEqual([m[1], m[2], m[4]], [gone.firstLsn.toString(), gone.lastLsn.toString(), following.name]);
    assert.ok(!restoredLogs(h.rehearsal, 'dal-pcbak', 'mgc').includes(following.name));
  });
});
