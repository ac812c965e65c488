/**
 * What arming a data fault does to the lab's files (faults.ts documents the behaviour). The
 * connection-level faults (`sql-login-fails`, `sql-no-tls12`, `sql-disconnect-during-restore`) and `copy-disk-full`
 * are checked where they act; the faults here change files once, when armed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FaultChange } from '../faults';
import { damageBackupFile } from './backup-file';
import type { LabModel } from './lab-model';
import type { LogShippingLink } from './log-shipping';
import { labShareRoot } from './paths';

/** Log backups not yet copied (on the share), else copied but not restored (in the copy folder), oldest first. */
function pendingFiles(link: LogShippingLink): string[] {
  const secondary = link.secondary.msdb.log_shipping_secondary.find((r) => r.secondary_id === link.secondaryId);
  const lastCopied = secondary?.last_copied_file?.split('\\').pop() ?? '';
  const onShare = link.logBackupsIn(link.shareDir).filter((n) => n > lastCopied).map((n) => path.join(link.shareDir, n));
  if (onShare.length) return onShare;
  const restored = link.secondary.msdb.log_shipping_secondary_databases.find((r) => r.secondary_id === link.secondaryId)?.last_restored_file?.split('\\').pop() ?? '';
  return link.logBackupsIn(link.copyDir).filter((n) => n > restored).map((n) => path.join(link.copyDir, n));
}

function offlinePath(model: LabModel, shareRoot: string): string {
  return path.join(model.root, 'offline', path.relative(model.root, shareRoot));
}

function moveShares(model: LabModel, offline: boolean): void {
  for (const link of model.logShipping) {
    const online = labShareRoot(link.share, model.root);
    const [from, to] = offline ? [online, offlinePath(model, online)] : [offlinePath(model, online), online];
    if (!fs.existsSync(from) || fs.existsSync(to)) continue;
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(from, to);
  }
}

export function applyFaultChange(model: LabModel, change: FaultChange): void {
  switch (change.name) {
    case 'log-gap':
      if (change.armed) for (const link of model.logShipping) {
        const victim = pendingFiles(link)[0];
        if (victim) fs.rmSync(victim);
      }
      return;
    case 'log-corrupt':
      if (change.armed) for (const link of model.logShipping) {
        const victim = pendingFiles(link).at(-1);
        if (victim) damageBackupFile(victim);
      }
      return;
    case 'share-unreachable':
      moveShares(model, change.armed);
      return;
    default:
      return;
  }
}

/** Applies the currently armed faults and follows later changes; returns the unsubscribe function. */
export function wireFaultEffects(model: LabModel): () => void {
  for (const name of model.faults.armed) applyFaultChange(model, { name, armed: true });
  const listener = (change: FaultChange) => applyFaultChange(model, change);
  model.faults.on('change', listener);
  return () => model.faults.off('change', listener);
}
