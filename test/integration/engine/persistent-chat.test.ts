/**
 * Persistent Chat failover and failback, end to end: the sample runbooks through the real mssql
 * and node-powershell adapters against the rehearsal lab; outcomes checked in the lab itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { performManualStep, rebuildFailedDatacenter } from '../../../src/cli/rehearse';
import { harness, journalText, restoredLogs, samplePlan, shareLogs, type Harness } from './helpers';

const countBy = (names: string[]) => names.reduce((m, n) => m.set(n, (m.get(n) ?? 0) + 1), new Map<string, number>());

describe('rehearsed Persistent Chat failover (sample runbook)', () => {
  let h: Harness;
  before(async () => {
    h = await harness('persistent-chat-failover');
  });
  after(() => h.stop());

  it('completes every step and leaves the lab in the failed-over state', async () => {
    const plan = await samplePlan('persistent-chat-failover.runbook.md');
    const result = await h.run(plan);
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    const model = h.rehearsal.lab.model;
    assert.equal(model.instance('dal-pcbak')!.database('mgc')!.state, 'ONLINE');
    assert.equal(model.instance('dal-pcbak')!.msdb.log_shipping_secondary_databases.length, 0);
    assert.equal(model.instance('dal-pcbakm')!.database('mgc')!.mirroring?.role, 'MIRROR');
    const pc = h.rehearsal.lync.pcPool('atl-gc-001.litwareinc.com')!;
    assert.equal(pc.poolState, 'FailedOver');
    assert.deepEqual(pc.activeServers, ['dal-pc-001.litwareinc.com', 'dal-pc-002.litwareinc.com']);
  });

  it('applied every log backup of the share exactly once (restore history)', () => {
    const restored = countBy(restoredLogs(h.rehearsal, 'dal-pcbak', 'mgc'));
    assert.deepEqual([...restored.keys()].sort(), shareLogs(h.rehearsal));
    assert.ok([...restored.values()].every((n) => n === 1), JSON.stringify([...restored]));
  });

  it('runs nothing again on a second run', async () => {
    const plan = await samplePlan('persistent-chat-failover.runbook.md');
    const before = h.rehearsal.lab.model.instance('dal-pcbak')!.msdb.restorehistory.length;
    const result = await h.run(plan);
    assert.equal(result.outcome, 'completed');
    assert.ok(result.steps.every((s) => s.outcome === 'skipped'));
    assert.equal(h.rehearsal.lab.model.instance('dal-pcbak')!.msdb.restorehistory.length, before);
  });

  it('never writes the lab password into the journal', () => {
    const password = Object.values(h.rehearsal.lab.info.instances)[0]!.password;
    const text = journalText(h);
    assert.ok(text.length > 0);
    assert.ok(!text.includes(password));
  });
});

describe('rehearsed Persistent Chat failback after the failover', () => {
  let h: Harness;
  before(async () => {
    h = await harness('persistent-chat-failover');
  });
  after(() => h.stop());

  it('returns the pool to Normal on the restored primary', async () => {
    assert.equal((await h.run(await samplePlan('persistent-chat-failover.runbook.md'))).outcome, 'completed');
    const model = h.rehearsal.lab.model;
    rebuildFailedDatacenter(h.rehearsal);
    // The failover mirrored mgc and mgccomp (the estate defines a backup mirror for both), so the
    // failback's SET PARTNER OFF on both holds: it runs end to end, no step marked done by hand.
    assert.equal(model.instance('dal-pcbak')!.database('mgccomp')!.mirroring?.role, 'PRINCIPAL');
    const plan = await samplePlan('persistent-chat-failback.runbook.md');
    const result = await h.run(plan, {
      confirm: async (request) => {
        // The rehearsal does the manual log-shipping set-up when the operator is asked for it.
        if (request.kind === 'checkpoint') performManualStep(h.rehearsal, plan, request.stepId);
        return true;
      },
    });
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    assert.equal(model.instance('dal-pcbak')!.database('mgc')!.state, 'RESTORING');
    assert.deepEqual(result.steps.filter((s) => s.outcome !== 'completed').map((s) => s.stepId), []);
    assert.equal(model.instance('dal-pcbak')!.database('mgccomp')!.mirroring, null);
    assert.equal(model.instance('atl-pcsql')!.database('mgc')!.state, 'ONLINE');
    assert.equal(model.instance('dal-pcbak')!.database('mgc')!.mirroring, null);
    const pc = h.rehearsal.lync.pcPool('atl-gc-001.litwareinc.com')!;
    assert.equal(pc.poolState, 'Normal');
    assert.deepEqual(pc.activeServers, ['atl-pc-001.litwareinc.com', 'atl-pc-002.litwareinc.com']);
  });
});
