/**
 * Rehearsal follows the runbook (issue 13 item 6): a runbook's steps get the built-in procedure's
 * checks, but about what the runbook itself does — the backup file it wrote and reads, its MOVE
 * clauses, and the order it chose where the documentation allows both (`-PoolState Normal` last).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseEstate } from '../../../src/core/estate/load';
import { planRunbook, type RunPlan } from '../../../src/core/recovery';
import { parse } from '../engine/support';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/runbooks/pc-failback-documented-order.runbook.md');
const estate = () => parseEstate(fs.readFileSync(path.join(ROOT, 'samples/litware/lync-estate.yaml'), 'utf8'), 'lync-estate.yaml').estate!;

async function plan(text: string): Promise<RunPlan> {
  return planRunbook(await parse(text), estate(), FIXTURE);
}

const checksOf = (p: RunPlan, stepId: string) => p.steps.find((s) => s.id === stepId)!.checks;

describe('procedure checks follow the runbook', () => {
  it('the backup file checked is the one the runbook writes and reads, not the procedure default', async () => {
    const p = await plan(fs.readFileSync(FIXTURE, 'utf8'));
    const written = checksOf(p, 'full-backup').after.find((c) => c.kind === 'backup-file-exists');
    assert.ok(written?.kind === 'backup-file-exists' && written.path === '\\\\atl-fs-001.litwareinc.com\\pchat-logs\\mgc_full_dallas.bak', JSON.stringify(written));
    const restore = checksOf(p, 'restore');
    assert.equal(restore.procedureStep, 'restore-primary-database');
    const read = restore.before.find((c) => c.kind === 'backup-file-exists');
    assert.ok(read?.kind === 'backup-file-exists' && read.path.endsWith('\\mgc_full_dallas.bak'), JSON.stringify(read));
    const fit = restore.before.find((c) => c.kind === 'restore-files-fit');
    assert.ok(fit?.kind === 'restore-files-fit' && fit.path.endsWith('\\mgc_full_dallas.bak') && fit.moves.length === 0 && fit.target.instanceId === 'atl-pcsql', JSON.stringify(fit));
    assert.ok(restore.before.some((c) => c.kind === 'mirroring-removed' && c.target.instanceId === 'atl-pcsql'));
  });

  it('MOVE clauses of the runbook are what the file-path check compares', async () => {
    const text = fs
      .readFileSync(FIXTURE, 'utf8')
      .replace("WITH REPLACE, RECOVERY;", "WITH MOVE N'mgc' TO N'E:\\Data\\mgc.mdf', MOVE N'mgc_log' TO N'E:\\Data\\mgc_log.ldf', REPLACE, RECOVERY;");
    const fit = checksOf(await plan(text), 'restore').before.find((c) => c.kind === 'restore-files-fit');
    assert.ok(fit?.kind === 'restore-files-fit');
    assert.deepEqual(fit.moves, [
      { logical: 'mgc', to: 'E:\\Data\\mgc.mdf' },
      { logical: 'mgc_log', to: 'E:\\Data\\mgc_log.ldf' },
    ]);
  });

  it('Normal last, as the documentation prints it: not demanded before the servers are set, verified after it runs', async () => {
    const p = await plan(fs.readFileSync(FIXTURE, 'utf8'));
    const active = checksOf(p, 'set-active');
    assert.equal(active.procedureStep, 'activate-servers');
    assert.ok(!active.before.some((c) => c.kind === 'pool-state'), JSON.stringify(active.before));
    const normal = checksOf(p, 'normal');
    assert.equal(normal.procedureStep, 'return-to-normal');
    assert.ok(normal.after.some((c) => c.kind === 'pool-state' && c.expect === 'Normal'));
    assert.deepEqual(p.steps.map((s) => s.checks.procedureStep), [
      'deactivate-servers', 'remove-mirroring', 'back-up-backup-database', 'restore-primary-database', 're-establish-log-shipping', 're-mirror-primary-database',
      're-establish-mirror-log-shipping', 'activate-servers', 'return-to-normal',
    ]);
  });

  it('Normal first (the procedure\'s order) still guards the activation', async () => {
    const p = await plan(fs.readFileSync(path.join(ROOT, 'samples/litware/persistent-chat-failback.runbook.md'), 'utf8'));
    assert.ok(checksOf(p, 'activate-atlanta').before.some((c) => c.kind === 'pool-state' && c.expect === 'Normal'));
  });

  it('the order is free only where the documentation allows it: a failover activating before FailedOver is still guarded', async () => {
    const text = fs.readFileSync(path.join(ROOT, 'samples/litware/persistent-chat-failover.runbook.md'), 'utf8');
    const p = await plan(text);
    const activate = p.steps.find((s) => s.checks.procedureStep === 'activate-servers')!;
    assert.ok(activate.checks.before.some((c) => c.kind === 'pool-state' && c.expect === 'FailedOver'));
  });
});
