/**
 * Issue 12 (versions, R2): the sample Persistent Chat failover and failback, through the real
 * mssql and node-powershell adapters, against a lab whose every SQL instance is SQL Server 2008 R2,
 * 2012 or 2014 (estate `sqlVersion`). And `kill-sessions` on 2008 R2, where
 * `sys.dm_exec_sessions.database_id` does not exist, ends a real client's session.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sql from 'mssql';
import { performManualStep, rebuildFailedDatacenter } from '../../../src/cli/rehearse';
import { tsql } from '../../../src/core/commands';
import type { SqlVersion } from '../../../src/core/estate/model';
import { planRunbook } from '../../../src/core/recovery';
import { parseRunbook } from '../../../src/core/runbook';
import { powershellParser } from '../../unit/runbook/grammar';
import { litwareEstate } from '../../unit/lab/fixtures';
import { poolConfig } from '../lab/lab-fixture';
import { harness, restoredLogs, SAMPLES, samplePlan, shareLogs, type Harness } from './helpers';

// A custom runbook: no procedure step, so no precondition about mgc's state around the action.
const KILL_RUNBOOK = [
  '---', 'runbook: custom', 'estate: ./lync-estate.yaml', 'pool: atl-gc-001.litwareinc.com', '---', '',
  '# End the sessions in mgccomp', '',
  '## 1. End the sessions {#end-sessions}', '', '```lync', 'kill-sessions database=mgccomp on=backup', '```', '',
].join('\n');

for (const version of ['2008R2', '2012', '2014'] as const satisfies readonly SqlVersion[]) {
  describe(`SQL Server ${version}: the sample failover and failback rehearse to completion`, { timeout: 300_000 }, () => {
    let h: Harness;
    const estate = litwareEstate(version);
    before(async () => {
      h = await harness('persistent-chat-failover', {}, estate);
    });
    after(() => h.stop());

    if (version === '2008R2') {
      it('kill-sessions ends a real client session in mgccomp', async () => {
        const lab = h.rehearsal.lab;
        const client = new sql.ConnectionPool({ ...poolConfig(lab, 'dal-pcbak'), database: 'mgccomp' });
        client.on('error', () => undefined);
        await client.connect();
        try {
          const spid = Number((await client.request().query('SELECT @@SPID AS spid')).recordset[0].spid);
          assert.ok(lab.model.instance('dal-pcbak')!.sessions.some((s) => s.spid === spid && s.database === 'mgccomp'));
          const parsed = parseRunbook(KILL_RUNBOOK, { powershell: await powershellParser() });
          const result = await h.run(planRunbook(parsed, estate, path.join(SAMPLES, 'kill-sessions.runbook.md')));
          assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
          assert.ok(!lab.model.instance('dal-pcbak')!.sessions.some((s) => s.spid === spid), `session ${spid} still open`);
        } finally {
          await client.close();
        }
      });
    }

    it('fails over: every log backup applied once, mgc ONLINE on the backup', async () => {
      const answer = await h.rehearsal.wiring.ports.sql.query('dal-pcbak', tsql.serverIdentity());
      assert.equal(tsql.majorVersionOf(String(answer.recordsets[0]![0]!['product_version'])), { '2008R2': 10, '2012': 11, '2014': 12 }[version]);
      const result = await h.run(await samplePlan('persistent-chat-failover.runbook.md', estate));
      assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
      assert.deepEqual([...new Set(restoredLogs(h.rehearsal, 'dal-pcbak', 'mgc'))].sort(), shareLogs(h.rehearsal));
      assert.equal(h.rehearsal.lab.model.instance('dal-pcbak')!.database('mgc')!.state, 'ONLINE');
    });

    it('fails back: the pool Normal again, no step marked done by hand', async () => {
      rebuildFailedDatacenter(h.rehearsal);
      const plan = await samplePlan('persistent-chat-failback.runbook.md', estate);
      const result = await h.run(plan, {
        confirm: async (request) => {
          if (request.kind === 'checkpoint') performManualStep(h.rehearsal, plan, request.stepId);
          return true;
        },
      });
      assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
      assert.deepEqual(result.steps.filter((s) => s.outcome !== 'completed').map((s) => s.stepId), []);
      assert.equal(h.rehearsal.lab.model.instance('atl-pcsql')!.database('mgc')!.state, 'ONLINE');
      assert.equal(h.rehearsal.lync.pcPool('atl-gc-001.litwareinc.com')!.poolState, 'Normal');
    });
  });
}
