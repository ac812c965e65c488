/**
 * Issue 12 (R4, L4): log shipping prunes the share and the copy folder on their own retention
 * periods, so the two folders differ although nothing is missing. The failover's copy step checks
 * by LSN: it passes when every log backup the backup database still needs is in the copy folder,
 * and fails, naming the file, when one of those is missing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { afterEach, describe, it } from 'node:test';
import { harness, samplePlan, shareLogs, type Harness } from './helpers';

const COPY_FOLDER = 'D:\\LogShipping\\mgc';
/** Shorter than the rehearsal's hour of log shipping, and different from each other. */
const RETENTION = { backupRetentionMinutes: 45, fileRetentionMinutes: 20 };

describe('copy verification against log-shipping retention', { timeout: 240_000 }, () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  const copyFolder = (x: Harness) => {
    const lab = x.rehearsal.lab;
    return lab.pathFor(COPY_FOLDER, lab.model.instance('dal-pcbak')!.server);
  };

  it('passes when the folders differ only by retention: the failover completes', async () => {
    h = await harness('persistent-chat-failover', { timing: RETENTION });
    const copied = fs.readdirSync(copyFolder(h));
    const pruned = shareLogs(h.rehearsal).filter((n) => !copied.includes(n));
    assert.ok(pruned.length > 0, 'retention removed from the copy folder files the share still has');
    const result = await h.run(await samplePlan('persistent-chat-failover.runbook.md'));
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    assert.equal(h.rehearsal.lab.model.instance('dal-pcbak')!.database('mgc')!.state, 'ONLINE');
  });

  it('fails, naming the file, when a log backup beyond the redo LSN is missing from the copy folder', async () => {
    h = await harness('persistent-chat-failover', { timing: RETENTION });
    const secondary = h.rehearsal.lab.model.instance('dal-pcbak')!;
    const restored = secondary.msdb.log_shipping_secondary_databases[0]!.last_restored_file!.split('\\').pop()!;
    // Copied but not yet restored: the copy step will not copy it again (it is not newer than last_copied_file).
    const victim = fs.readdirSync(copyFolder(h)).sort().find((n) => n > restored)!;
    assert.ok(victim, 'a copied, unrestored log backup');
    fs.rmSync(`${copyFolder(h)}/${victim}`);
    const result = await h.run(await samplePlan('persistent-chat-failover.runbook.md'));
    assert.equal(result.outcome, 'failed');
    assert.equal(result.failure!.stepId, 'copy-logs', 'the sample runbook step that copies the log backups');
    assert.match(result.failure!.message, new RegExp(`missing from .*needed beyond redo LSN \\d+ of mgc: ${victim}`));
    assert.equal(secondary.database('mgc')!.state, 'RESTORING');
  });
});
