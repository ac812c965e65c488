/**
 * Interruptions and lab faults during a rehearsed Persistent Chat failover: the run stops with a
 * message naming what and where, the journal says what ran, and a resumed run completes with
 * every log backup applied exactly once (the lab's restore history).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { harness, restoredLogs, samplePlan, shareLogs, type Harness } from './helpers';

const countBy = (names: string[]) => names.reduce((m, n) => m.set(n, (m.get(n) ?? 0) + 1), new Map<string, number>());

describe('resume and faults (Persistent Chat failover)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('an interruption in the middle of apply-log-backups resumes without applying anything twice', async () => {
    // A long restore lag leaves many log backups to apply.
    h = await harness('persistent-chat-failover', { timing: { restoreLagMinutes: 40 } });
    const plan = await samplePlan('persistent-chat-failover.runbook.md');
    const abort = new AbortController();
    let applied = 0;
    const first = await h.run(plan, {
      signal: abort.signal,
      onEvent: (e) => {
        if (e.type === 'output' && e.line.endsWith('applied WITH NORECOVERY') && ++applied === 3) abort.abort();
      },
    });
    assert.equal(first.outcome, 'cancelled');
    assert.equal(first.failure?.stepId, 'apply-logs');
    const db = h.rehearsal.lab.model.instance('dal-pcbak')!.database('mgc')!;
    assert.equal(db.state, 'RESTORING');

    const second = await h.run(plan);
    assert.equal(second.outcome, 'completed', JSON.stringify(second.failure));
    assert.deepEqual(second.steps.slice(0, 3).map((s) => s.outcome), ['skipped', 'skipped', 'skipped']);
    const restored = countBy(restoredLogs(h.rehearsal, 'dal-pcbak', 'mgc'));
    assert.deepEqual([...restored.keys()].sort(), shareLogs(h.rehearsal));
    assert.ok([...restored.values()].every((n) => n === 1));
    assert.equal(db.state, 'ONLINE');
  });

  it('log-gap stops before recovery, naming the missing LSN range', async () => {
    h = await harness('persistent-chat-failover', { faults: ['log-gap'] });
    const result = await h.run(await samplePlan('persistent-chat-failover.runbook.md'));
    assert.equal(result.outcome, 'failed');
    assert.equal(result.failure?.stepId, 'apply-logs');
    assert.match(result.failure!.message, /gap .*LSN \d+ up to \d+/);
    assert.match(result.failure!.hint!, /missing log backup/);
    assert.equal(h.rehearsal.lab.model.instance('dal-pcbak')!.database('mgc')!.state, 'RESTORING');
    assert.ok(!result.steps.some((s) => s.stepId === 'recover-mgc'));
  });

  it('share-unreachable stops before the copy with the warning (never overridden in rehearsal)', async () => {
    h = await harness('persistent-chat-failover', { faults: ['share-unreachable'] });
    const result = await h.run(await samplePlan('persistent-chat-failover.runbook.md'));
    assert.equal(result.outcome, 'failed');
    assert.equal(result.failure?.stepId, 'copy-logs');
    assert.match(result.failure!.message, /share/);
  });

  it('a primary that still answers stops the run before anything changes (split brain)', async () => {
    h = await harness('persistent-chat-failover');
    h.rehearsal.lab.model.setReachable('atl-pcsql', true);
    const result = await h.run(await samplePlan('persistent-chat-failover.runbook.md'));
    assert.equal(result.outcome, 'failed');
    assert.equal(result.failure?.stepId, 'capture-log-shipping');
    assert.match(result.failure!.message, /split brain/);
    assert.equal(h.rehearsal.lab.model.instance('dal-pcbak')!.msdb.log_shipping_secondary_databases.length, 1);
  });
});
