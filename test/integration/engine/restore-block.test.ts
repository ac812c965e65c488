/**
 * Issue 12 D2: a hand-written failover block with three RESTORE LOG and the recovery in one `sql`
 * block, rehearsed with the `log-gap` fault. The lab runs a batch as SQL Server may (a failed
 * RESTORE ends only its statement, docs/lab-statements.md), so only the engine's statement-by-
 * statement execution keeps the recovery from running after the failed log restore: the run must
 * stop at the third restore with mgc still RESTORING. And lint reports the block.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { planRunbook } from '../../../src/core/recovery';
import { checkRunbook } from '../../../src/core/rules';
import { parseRunbook } from '../../../src/core/runbook';
import type { LabRestoreEvent } from '../../../src/lab/model';
import { powershellParser } from '../../unit/runbook/grammar';
import { harness, litwareEstate, restoredLogs, SAMPLES, shareLogs, type Harness } from './helpers';

const COPY_FOLDER = 'D:\\LogShipping\\mgc';

function runbook(files: readonly string[]): string {
  const restores = files.map((f) => `RESTORE LOG mgc FROM DISK = N'${COPY_FOLDER}\\${f}' WITH NORECOVERY;`).join('\n');
  return [
    '---', 'runbook: persistent-chat-failover', 'estate: ./lync-estate.yaml', 'pool: atl-gc-001.litwareinc.com', '---', '',
    '# Fail over mgc by hand', '',
    '## 1. Copy the log backups not yet copied {#copy-logs}', '', '```lync', 'copy-log-backups database=mgc', '```', '',
    '## 2. Apply the logs and recover {#restore-and-recover}', '', '```sql on=backup', 'USE master;', restores, 'RESTORE DATABASE mgc WITH RECOVERY;', '```', '',
  ].join('\n');
}

describe('RESTORE LOG ×3 and the recovery in one sql block (Persistent Chat failover)', { timeout: 240_000 }, () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('with log-gap: stops at the failed log restore, before the recovery (mgc RESTORING); lint reports the block', async () => {
    h = await harness('persistent-chat-failover');
    const lab = h.rehearsal.lab;
    const copied = fs.readdirSync(lab.pathFor(COPY_FOLDER, lab.model.instance('dal-pcbak')!.server)).sort();
    const restored = restoredLogs(h.rehearsal, 'dal-pcbak', 'mgc');
    const before = shareLogs(h.rehearsal);
    lab.faults.arm('log-gap');
    const gone = before.find((n) => !shareLogs(h!.rehearsal).includes(n))!;
    const [first, second] = copied.filter((n) => !restored.includes(n));
    const afterGap = before[before.indexOf(gone) + 1]!;
    assert.ok(first && second && second < gone && gone < afterGap, `${first}, ${second} before the missing ${gone}, then ${afterGap}`);
    const text = runbook([first, second, afterGap]);

    const parsed = parseRunbook(text, { powershell: await powershellParser() });
    const findings = checkRunbook(parsed, { estate: litwareEstate() }).filter((p) => p.rule === 'recovery-with-log-restores');
    assert.equal(findings.length, 1, 'lint reports the recovery in the block');
    assert.equal(text.split('\n')[findings[0]!.range.start.line], 'RESTORE DATABASE mgc WITH RECOVERY;');

    const recoveries: LabRestoreEvent[] = [];
    lab.model.on('restore', (e) => e.recovery && recoveries.push(e));
    const result = await h.run(planRunbook(parsed, litwareEstate(), path.join(SAMPLES, 'restore-block.runbook.md')));

    assert.equal(lab.model.instance('dal-pcbak')!.database('mgc')!.state, 'RESTORING');
    assert.deepEqual(recoveries, [], 'no recovery ran');
    assert.equal(result.outcome, 'failed');
    assert.equal(result.failure?.stepId, 'restore-and-recover');
    assert.match(result.failure!.message, new RegExp(`\\(statement 3 of 4: RESTORE LOG mgc FROM DISK = N'D:\\\\LogShipping\\\\mgc\\\\${afterGap.replace('.', '\\.')}.*4305`));
    assert.deepEqual(restoredLogs(h.rehearsal, 'dal-pcbak', 'mgc').filter((n) => !restored.includes(n)), [first, second]);
  });
});
