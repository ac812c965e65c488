/**
 * Persistent Chat failover and failback, end to end: the sample runbooks through the real mssql
 * and node-powershell adapters against the rehearsal lab; outcomes checked in the lab itself.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { performManualStep, rebuildFailedDatacenter } from '../../../src/cli/rehearse';
import { planProcedure, planRunbook, type RunPlan, type RunResult } from '../../../src/core/recovery';
import { parseRunbook } from '../../../src/core/runbook';
import { powershellParser } from '../../unit/runbook/grammar';
import { harness, journalText, litwareEstate, restoredLogs, samplePlan, shareLogs, type Harness } from './helpers';

const FIXTURES = path.resolve(__dirname, '../../fixtures/runbooks');
const PC = 'atl-gc-001.litwareinc.com';

/** Runs a failback plan; at each checkpoint the lab does what the admin does by hand. */
const runFailback = (h: Harness, plan: RunPlan): Promise<RunResult> =>
  h.run(plan, {
    confirm: async (request) => {
      if (request.kind === 'checkpoint') performManualStep(h.rehearsal, plan, request.stepId);
      return true;
    },
  });

/** The failover sample, then the primary data center comes back rebuilt: where every failback starts. */
async function failedOverAndRebuilt(h: Harness): Promise<void> {
  const failover = await h.run(await samplePlan('persistent-chat-failover.runbook.md'));
  assert.equal(failover.outcome, 'completed', JSON.stringify(failover.failure));
  rebuildFailedDatacenter(h.rehearsal);
}

/** What the whole failback leaves behind (domain reference §2.2 step 5, §2.3), read from the lab. */
function assertWholeFailback(h: Harness): void {
  const model = h.rehearsal.lab.model;
  assert.equal(model.instance('atl-pcsql')!.database('mgc')!.state, 'ONLINE');
  assert.equal(model.instance('atl-pcsql')!.database('mgc')!.mirroring?.role, 'PRINCIPAL');
  assert.equal(model.instance('atl-pcsqlm')!.database('mgc')!.mirroring?.role, 'MIRROR');
  assert.equal(model.instance('atl-pcsql')!.msdb.log_shipping_primary_databases.length, 1);
  assert.equal(model.instance('atl-pcsqlm')!.msdb.log_shipping_primary_databases.length, 1);
  assert.equal(model.instance('dal-pcbak')!.msdb.log_shipping_secondary_databases.length, 1);
  assert.equal(model.instance('dal-pcbak')!.database('mgc')!.state, 'RESTORING');
  const pc = h.rehearsal.lync.pcPool(PC)!;
  assert.equal(pc.poolState, 'Normal');
  assert.deepEqual(pc.activeServers, ['atl-pc-001.litwareinc.com', 'atl-pc-002.litwareinc.com']);
}

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
    assertWholeFailback(h);
  });
});

describe('rehearsal follows the runbook: a failback written in the documentation\'s own order', () => {
  let h: Harness;
  before(async () => {
    h = await harness('persistent-chat-failover');
  });
  after(() => h.stop());

  it('its own backup file and Normal last: completes, every step verified against what it did', async () => {
    await failedOverAndRebuilt(h);
    h.events.length = 0;
    const file = path.join(FIXTURES, 'pc-failback-documented-order.runbook.md');
    const plan = planRunbook(parseRunbook(fs.readFileSync(file, 'utf8'), { powershell: await powershellParser() }), litwareEstate(), file);
    const result = await runFailback(h, plan);
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    assert.deepEqual(result.steps.map((s) => `${s.stepId}:${s.outcome}`), [
      'clear:completed', 'unmirror:completed', 'full-backup:completed', 'restore:completed', 'ls-primary:completed', 'mirror-primary:completed',
      'ls-mirror:completed', 'set-active:completed', 'normal:completed',
    ]);
    // The backup check looked for the file the runbook wrote, and found it.
    const checked = h.events.filter((e) => e.type === 'check' && e.check.kind === 'backup-file-exists');
    assert.ok(checked.length > 0 && checked.every((e) => e.type === 'check' && e.ok && /mgc_full_dallas\.bak exists/.test(e.detail)), JSON.stringify(checked));
    // Normal was verified after the step that sets it, not demanded before the servers were set.
    const poolState = h.events.filter((e) => e.type === 'check' && e.check.kind === 'pool-state').map((e) => e.type === 'check' && e.stepId);
    assert.deepEqual(poolState, ['normal']);
    assertWholeFailback(h);
  });
});

describe('rehearsed failback generated from the procedure, with the guards before the restore over the primary (R7)', () => {
  let h: Harness;
  before(async () => {
    h = await harness('persistent-chat-failover');
  });
  after(() => h.stop());

  const generated = async () => {
    const powershell = await powershellParser();
    return planProcedure('persistent-chat-failback', litwareEstate(), PC, { runbookPath: path.join(h.journalDir, 'generated-failback.runbook.md'), parse: (text) => parseRunbook(text, { powershell }) });
  };
  const restoresOnPrimary = () => h.rehearsal.lab.model.instance('atl-pcsql')!.msdb.restorehistory.length;

  it('a primary mgc still mirrored stops the run before the restore, naming it', async () => {
    await failedOverAndRebuilt(h);
    const model = h.rehearsal.lab.model;
    // Topology Builder re-created the mirror with the rebuilt store.
    model.setMirroring('atl-pcsql', 'mgc', 'atl-pcsqlm');
    const result = await runFailback(h, await generated());
    assert.equal(result.outcome, 'failed');
    assert.equal(result.failure!.stepId, 'restore-primary-database');
    assert.match(result.failure!.message, /^Before step restore-primary-database: expected mgc on atl-pcsql .* is not mirrored; found: mgc is still mirrored \(PRINCIPAL\)/);
    assert.equal(restoresOnPrimary(), 0);
    model.setMirroring('atl-pcsql', 'mgc', null);
  });

  it('different file paths on the primary: RESTORE FILELISTONLY is read and the MOVE clauses offered', async () => {
    const primary = h.rehearsal.lab.model.instance('atl-pcsql')!;
    const folder = primary.dataFolder;
    primary.dataFolder = 'E:\\MSSQL\\Data';
    const result = await runFailback(h, await generated());
    assert.equal(result.outcome, 'failed');
    assert.equal(result.failure!.stepId, 'restore-primary-database');
    assert.match(result.failure!.message, /the paths differ \(mgc would go to D:\\SQLData\\pchat\\mgc\.mdf, where mgc on atl-pcsql keeps it at E:\\MSSQL\\Data\\mgc\.mdf/);
    assert.match(result.failure!.message, /restore with MOVE instead — RESTORE DATABASE \[mgc\] FROM DISK = N'\\\\atl-fs-001\.litwareinc\.com\\pchat-logs\\mgc_failback\.bak' WITH MOVE N'mgc' TO N'E:\\MSSQL\\Data\\mgc\.mdf', MOVE N'mgc_log' TO N'E:\\MSSQL\\Data\\mgc_log\.ldf', REPLACE, RECOVERY;/);
    assert.equal(restoresOnPrimary(), 0);
    primary.dataFolder = folder;
  });

  it('with the guards met, the generated failback completes: the whole design is back', async () => {
    const result = await runFailback(h, await generated());
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    assertWholeFailback(h);
  });
});
