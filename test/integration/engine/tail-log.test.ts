/**
 * Issue 12 item 5: when the primary instance still answers, the Persistent Chat failover first
 * takes the tail-log backup WITH NORECOVERY, as SQL Server's log-shipping failover does, and the
 * tail reaches the backup database with the other log backups (asserted from the lab).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { planProcedure } from '../../../src/core/recovery';
import { parseRunbook } from '../../../src/core/runbook';
import { advanceLsn } from '../../../src/lab/model/lsn';
import { LOG_BLOCKS_PER_MINUTE } from '../../../src/lab/model/operations';
import { powershellParser } from '../../unit/runbook/grammar';
import { harness, litwareEstate, restoredLogs, type Harness } from './helpers';

describe('rehearsed failover while the primary instance still answers', () => {
  let h: Harness;
  before(async () => {
    h = await harness('persistent-chat-failover');
  });
  after(() => h.stop());

  it('backs up the tail of the log first, then applies it on the backup', async () => {
    const model = h.rehearsal.lab.model;
    // Only the front ends and the primary's mirror were lost: the primary instance answers, not mirrored any more.
    model.setReachable('atl-pcsql', true);
    model.setMirroring('atl-pcsql', 'mgc', null);
    // Users wrote to mgc after its last log backup: the tail this failover must not lose. (Without
    // it the tail is empty whenever the lab's clock stops on a backup-job minute — its start is the
    // wall clock — and an empty tail has nothing to apply.)
    const mgc = model.instance('atl-pcsql')!.database('mgc')!;
    mgc.logEnd = advanceLsn(mgc.logEnd, LOG_BLOCKS_PER_MINUTE);
    const powershell = await powershellParser();
    const plan = planProcedure('persistent-chat-failover', litwareEstate(), 'atl-gc-001.litwareinc.com', {
      runbookPath: path.join(h.journalDir, 'failover.runbook.md'),
      parse: (text) => parseRunbook(text, { powershell }),
    });
    assert.equal(plan.steps[0]!.id, 'back-up-tail-log');

    // The Persistent Chat service still has a session in mgc: NORECOVERY needs exclusive access.
    const first = await h.run(plan);
    assert.equal(first.outcome, 'failed');
    assert.equal(first.failure!.stepId, 'back-up-tail-log');
    assert.match(first.failure!.message, /Sessions still use mgc on .*atl-pcsql/);
    assert.match(first.failure!.hint ?? '', /kill-sessions database=mgc on=primary/);
    assert.equal(model.instance('atl-pcsql')!.database('mgc')!.state, 'ONLINE');

    const primary = model.instance('atl-pcsql')!;
    for (const s of primary.sessions) if (!s.system) primary.closeSession(s.spid);
    const result = await h.run(plan);
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    assert.equal(primary.database('mgc')!.state, 'RESTORING');
    assert.equal(model.instance('dal-pcbak')!.database('mgc')!.state, 'ONLINE');
    const applied = restoredLogs(h.rehearsal, 'dal-pcbak', 'mgc');
    assert.equal(applied.at(-1), 'mgc_tail.trn');
    // The split-brain guard saw the primary answer with mgc RESTORING, and let the failover go on.
    const guard = h.events.find((e) => e.type === 'check' && e.check.kind === 'instance-unreachable' && e.check.target.role === 'primary' && e.ok);
    assert.ok(guard?.type === 'check' && /answers, but mgc is RESTORING/.test(guard.detail), JSON.stringify(guard));
  });
});
