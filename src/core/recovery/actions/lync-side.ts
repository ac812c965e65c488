/**
 * The Lync-side built-ins: `wait-backup-sync` (§3.1, §3.2) polls Get-CsBackupServiceStatus until
 * the module is steady or final; `check-pool-state` reads Get-CsPersistentChatState.
 */
import type { BackupModule, PoolState } from '../../commands/enums';
import * as ps from '../../commands/powershell';
import { persistentChatIdentity, type Fqdn } from '../../commands/values';
import { ActionError } from '../errors';
import { moduleSyncState, poolStateOf } from '../lync-status';
import type { ActionContext } from './context';

export async function waitBackupSync(ctx: ActionContext, pool: Fqdn, module: BackupModule, timeoutMs: number): Promise<void> {
  const started = ctx.now();
  const command = ps.getBackupModuleStatus(pool);
  let last = '';
  for (;;) {
    const reply = await ctx.ports.shell.runJson(command, ctx.signal ? { signal: ctx.signal } : {});
    const state = moduleSyncState(reply, module);
    if (!state) throw new ActionError(`Get-CsBackupServiceStatus on ${pool} does not list the module ${module}.`, 'Check the module name and that the pool is paired (Get-CsPoolBackupRelationship).');
    const summary = `${module} on ${pool}: export ${state.exportStatus}, import ${state.importStatus}`;
    if (state.synced) {
      ctx.output(summary);
      return;
    }
    if (state.failed) {
      throw new ActionError(
        `${summary}: the Backup Service reports an error.`,
        'Check the Backup Service event log on both pools and their file-store shares (SMB, TCP 445); then run Invoke-CsBackupServiceSync again and this step.',
      );
    }
    if (summary !== last) ctx.progress(summary);
    last = summary;
    const elapsed = ctx.now() - started;
    if (elapsed >= timeoutMs) {
      throw new ActionError(`${module} on ${pool} did not reach SteadyState or FinalState within ${Math.round(timeoutMs / 60_000)} min (last: export ${state.exportStatus}, import ${state.importStatus}).`, 'The time grows with the amount of conference content: run this step again to keep waiting, or raise timeout=.');
    }
    await ctx.wait(Math.min(ctx.pollIntervalMs, timeoutMs - elapsed));
  }
}

export async function checkPoolState(ctx: ActionContext, pool: Fqdn, expected: PoolState): Promise<void> {
  const reply = await ctx.ports.shell.runJson(ps.getPersistentChatState(persistentChatIdentity(pool)), ctx.signal ? { signal: ctx.signal } : {});
  const state = poolStateOf(reply, pool);
  if (state === undefined) throw new ActionError(`Get-CsPersistentChatState returned no state for ${pool}.`, 'Check that the FQDN names a Persistent Chat pool of the topology.');
  if (state !== expected) throw new ActionError(`PoolState of ${pool} is ${state}, not ${expected}.`, `Run Set-CsPersistentChatState -Identity "PersistentChatServer:${pool}" -PoolState ${expected}, then this step again.`);
  ctx.output(`PoolState of ${pool} is ${state}`);
}
