/**
 * `snapshot-log-shipping`: the log-shipping metadata of the secondary (§6.1) — folders, last
 * copied and restored files, jobs — kept in the journal before sp_delete_log_shipping_secondary_database
 * deletes it; copy-log-backups and apply-log-backups read it back.
 */
import * as tsql from '../../commands/tsql';
import type { DatabaseName } from '../../commands/values';
import { describeEndpoint, type SqlEndpoint } from '../targets';
import { text, type ActionContext } from './context';

export interface LogShippingSnapshot {
  readonly database: string;
  readonly instanceId: string;
  /** False when the instance has no log-shipping configuration for the database (already removed). */
  readonly configured: boolean;
  readonly primaryServer?: string;
  readonly primaryDatabase?: string;
  readonly sourceDirectory?: string;
  readonly destinationDirectory?: string;
  readonly lastCopiedFile?: string;
  readonly lastRestoredFile?: string;
  readonly copyJob?: string;
  readonly restoreJob?: string;
}

export const snapshotDataName = (database: string): string => `log-shipping:${database.toLowerCase()}`;

export async function snapshotLogShipping(ctx: ActionContext, database: DatabaseName, target: SqlEndpoint): Promise<void> {
  const result = await ctx.ports.sql.query(target.instanceId, tsql.logShippingSnapshot(database), ctx.signal ? { signal: ctx.signal } : {});
  const row = result.recordsets[0]?.[0];
  const optional = (key: string, column: string) => {
    const value = text(row?.[column]);
    return value === undefined ? {} : { [key]: value };
  };
  const snapshot: LogShippingSnapshot = {
    database,
    instanceId: target.instanceId,
    configured: row !== undefined,
    ...optional('primaryServer', 'primary_server'),
    ...optional('primaryDatabase', 'primary_database'),
    ...optional('sourceDirectory', 'backup_source_directory'),
    ...optional('destinationDirectory', 'backup_destination_directory'),
    ...optional('lastCopiedFile', 'last_copied_file'),
    ...optional('lastRestoredFile', 'last_restored_file'),
    ...optional('copyJob', 'copy_job'),
    ...optional('restoreJob', 'restore_job'),
  };
  await ctx.recordData(snapshotDataName(database), snapshot);
  if (!row) {
    ctx.emit({ type: 'warning', stepId: ctx.stepId, message: `${describeEndpoint(target)} has no log-shipping configuration for ${database} (already removed?): copy and apply will use the estate's logShipping folders.` });
    return;
  }
  ctx.output(`primary ${snapshot.primaryServer ?? '?'} / ${snapshot.primaryDatabase ?? '?'}; share ${snapshot.sourceDirectory ?? '?'} → ${snapshot.destinationDirectory ?? '?'}`);
  ctx.output(`last copied ${snapshot.lastCopiedFile ?? '(none)'}; last restored ${snapshot.lastRestoredFile ?? '(none)'}; jobs ${snapshot.copyJob ?? '?'}, ${snapshot.restoreJob ?? '?'}`);
}
