/** Conference restore, pool failover and failback: the sample runbooks against the pool-loss lab. */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { rebuildFailedDatacenter } from '../../../src/cli/rehearse';
import { harness, samplePlan, type Harness } from './helpers';

describe('rehearsed Front End procedures (pool-loss lab)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('pool failover then failback: users back home, conference content restored', async () => {
    h = await harness('pool-failover');
    const lync = h.rehearsal.lync;
    const failover = await h.run(await samplePlan('pool-failover.runbook.md'));
    assert.equal(failover.outcome, 'completed', JSON.stringify(failover.failure));
    assert.equal(lync.fePool('atl-cs-001.litwareinc.com')!.failedOver, true);
    assert.equal(lync.servingPool('atl-cs-001.litwareinc.com'), 'dal-cs-001.litwareinc.com');

    // A pool still down cannot be failed back (POOL-FB: "after the pool … is back online").
    const early = await h.run(await samplePlan('pool-failback.runbook.md'));
    assert.equal(early.outcome, 'failed');
    assert.match(early.failure!.message, /is not reachable\. Bring its Front End servers back online/);
    assert.equal(lync.fePool('atl-cs-001.litwareinc.com')!.failedOver, true);

    rebuildFailedDatacenter(h.rehearsal);
    const failback = await h.run(await samplePlan('pool-failback.runbook.md'));
    assert.equal(failback.outcome, 'completed', JSON.stringify(failback.failure));
    const atl = lync.fePool('atl-cs-001.litwareinc.com')!;
    assert.equal(atl.failedOver, false);
    assert.equal(atl.conferenceContentLost, false);
  });

  it('conference restore waits for DataConf to be in sync, with progress', async () => {
    h = await harness('conference-restore');
    rebuildFailedDatacenter(h.rehearsal);
    assert.equal(h.rehearsal.lync.fePool('atl-cs-001.litwareinc.com')!.conferenceContentLost, true);
    const result = await h.run(await samplePlan('conference-restore.runbook.md'));
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    const dataConf = h.rehearsal.lync.backupStatus('dal-cs-001.litwareinc.com').find((m) => m.module === 'ConfServices.DataConf')!;
    assert.ok(['SteadyState', 'FinalState'].includes(dataConf.exportStatus));
    assert.ok(h.events.some((e) => e.type === 'progress' && /NonSteadyState/.test(e.message)));
    assert.equal(h.rehearsal.lync.fePool('atl-cs-001.litwareinc.com')!.conferenceContentLost, false);
  });

  it('backup-sync-error fails wait-backup-sync with the ErrorState named', async () => {
    h = await harness('conference-restore', { faults: ['backup-sync-error'] });
    rebuildFailedDatacenter(h.rehearsal);
    const result = await h.run(await samplePlan('conference-restore.runbook.md'));
    assert.equal(result.outcome, 'failed');
    assert.match(result.failure!.message, /ErrorState|Backup Service/);
  });
});
