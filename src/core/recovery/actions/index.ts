/** Runs one built-in `lync` action. */
import { DeclinedError } from '../errors';
import type { ActionContext } from './context';
import { applyLogBackups } from './apply';
import { copyLogBackups } from './copy';
import { killSessions, recoverDatabase } from './database';
import { checkPoolState, waitBackupSync } from './lync-side';
import { snapshotLogShipping } from './snapshot';
import { backUpTailLog } from './tail-log';

export async function runLyncAction(ctx: ActionContext): Promise<void> {
  const { call, target } = ctx.command;
  switch (call.name) {
    case 'back-up-tail-log':
      return backUpTailLog(ctx, call.database, target!);
    case 'snapshot-log-shipping':
      return snapshotLogShipping(ctx, call.database, target!);
    case 'copy-log-backups':
      return copyLogBackups(ctx, call.database);
    case 'apply-log-backups':
      return applyLogBackups(ctx, call.database, target!);
    case 'kill-sessions':
      return killSessions(ctx, call.database, target!);
    case 'recover-database':
      return recoverDatabase(ctx, call.database, target!);
    case 'wait-backup-sync':
      return waitBackupSync(ctx, call.pool, call.module, call.timeoutMs);
    case 'check-pool-state':
      return checkPoolState(ctx, call.pool, call.state);
    case 'confirm':
      if (!(await ctx.checkpoint(call.text))) throw new DeclinedError(`Not confirmed: ${call.text}`);
      return;
  }
}

export type { ActionContext } from './context';
export { snapshotDataName, type LogShippingSnapshot } from './snapshot';
export { databaseStateOf } from './database';
