/**
 * Issue 13 items 1 and 2, rehearsed: a pool failover of the pool that hosts the Central Management
 * Store, in the lab scenario where the CMS is lost with the pool (`cms-pool-loss`), fails the CMS
 * over first and verifies it, re-points the Edge next hop, then fails the users over; without the
 * CMS failover the users' failover is refused before anything is sent. Real PowerShell (LyncLab)
 * and the lab's SQL Server.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Estate } from '../../../src/core/estate/model';
import { planProcedure } from '../../../src/core/recovery';
import { ShellError } from '../../../src/core/recovery/ports';
import { parseRunbook } from '../../../src/core/runbook';
import { powershellParser } from '../../unit/runbook/grammar';
import { harness, litwareEstate, samplePlan, SAMPLES, type Harness } from './helpers';

const ATL = 'atl-cs-001.litwareinc.com';
const DAL = 'dal-cs-001.litwareinc.com';
const EDGE = 'atl-edge-001.litwareinc.com';

/** The sample estate with the CMS on the Atlanta pool, both Back Ends declared, and an Edge pool using Atlanta as next hop. */
function cmsEstate(): Estate {
  const estate = litwareEstate();
  return {
    ...estate,
    centralManagementStore: ATL,
    pools: estate.pools.map((p) =>
      p.fqdn === ATL ? { ...p, backEnd: 'atl-sql', edgeNextHopFor: [EDGE] } : p.fqdn === DAL ? { ...p, backEnd: 'dal-sql' } : p,
    ),
  };
}

describe('CMS lost with its pool (cms-pool-loss lab)', { timeout: 300_000 }, () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('the generated pool failover fails the CMS over and verifies it, re-points the Edge, then fails the users over', async () => {
    h = await harness('pool-failover', { scenario: 'cms-pool-loss' }, cmsEstate());
    const lync = h.rehearsal.lync;
    assert.equal(lync.cmsPool, undefined, 'the CMS is lost with its pool');
    const parser = await powershellParser();
    const plan = planProcedure('pool-failover', cmsEstate(), ATL, { runbookPath: `${SAMPLES}/generated-pool-failover.runbook.md`, parse: (text) => parseRunbook(text, { powershell: parser }) });
    const result = await h.run(plan);
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    assert.equal(lync.cmsPool, DAL);
    assert.equal(lync.servingPool(ATL), DAL);
    const done = h.events.flatMap((e) => (e.type === 'step-finished' && e.outcome === 'completed' ? [e.stepId] : []));
    assert.deepEqual(done, ['check-pairing', 'fail-over-cms', 'repoint-edge-next-hop', 'fail-over-pool']);
    // The CMS was verified before the users moved: by its status, then by the mirror state.
    const checks = h.events.flatMap((e) => (e.type === 'check' && e.stepId === 'fail-over-cms' && e.phase === 'after' ? [`${e.ok} ${e.detail}`] : []));
    assert.deepEqual(checks, ['true the Central Management Store answers: active master dal-fe-001.litwareinc.com', `true the CMS database of ${DAL} has a principal`]);
  });

  it('without the CMS failover, the users\' failover is refused before it is sent, saying what to do', async () => {
    h = await harness('pool-failover', { scenario: 'cms-pool-loss' }, cmsEstate());
    const result = await h.run(await samplePlan('pool-failover.runbook.md', cmsEstate()));
    assert.equal(result.outcome, 'failed');
    assert.match(result.failure!.message, /Central Management Store has no active master.*Invoke-CsManagementServerFailover/s);
    assert.equal(h.rehearsal.lync.fePool(ATL)!.failedOver, false);
  });

  it('the lab refuses, as documented, to fail over an Edge next hop, and every CMS write while the CMS is down', async () => {
    h = await harness('pool-failover', { scenario: 'cms-pool-loss' }, cmsEstate());
    const shell = h.rehearsal.wiring.ports.shell;
    const refused = async (command: string) => {
      const e = await shell.runJson(command as never).then(() => undefined, (x: unknown) => x);
      assert.ok(e instanceof ShellError, `${command} should fail`);
      return e.message;
    };
    assert.match(await refused(`Set-CsPersistentChatState -Identity 'PersistentChatServer:atl-gc-001.litwareinc.com' -PoolState FailedOver`), /Unable to access the Central Management Store/);
    assert.match(await refused(`Invoke-CsPoolFailOver -PoolFqdn '${ATL}' -DisasterMode`), /Central Management store is not yet fully failed over/);
    // The failover page's parameter names cannot bind (domain audit R3).
    assert.match(await refused(`Invoke-CsManagementServerFailover -MirrorSqlServerFqdn 'dal-sql-001.litwareinc.com' -Force`), /A parameter cannot be found that matches parameter name 'MirrorSqlServerFqdn'/);
    await shell.runJson(`Invoke-CsManagementServerFailover -BackupSqlServerFqdn 'dal-sql-001.litwareinc.com' -BackupSqlInstanceName 'rtc' -Force` as never);
    assert.match(await refused(`Invoke-CsPoolFailOver -PoolFqdn '${ATL}' -DisasterMode`), /This Front-end pool "atl-cs-001\.litwareinc\.com" is specified in topology as the next hop for the Edge server\./);
  });
});
