/**
 * `back-up-tail-log` (domain reference §1.5(a)): SQL Server's own log-shipping failover starts,
 * "if the primary database is accessible", with a tail-log backup WITH NORECOVERY, which "leaves
 * the database in the restoring state and therefore unavailable to users" (sql-docs
 * `fail-over-to-a-log-shipping-secondary-sql-server.md` step 3). Written to the log-shipping share
 * as `<db>_tail.trn`, it is copied and applied with the other log backups (it sorts after the
 * timestamped names). Safe to run again: a primary that does not answer has no tail to take (said,
 * not failed: the usual disaster), and a RESTORING database has had its tail taken already.
 */
import * as tsql from '../../commands/tsql';
import { joinPath, parseFileName, parseUncPath, type DatabaseName } from '../../commands/values';
import { ActionError } from '../errors';
import { ConnectionError, SqlError } from '../ports';
import { describeEndpoint, type SqlEndpoint } from '../targets';
import { percentOf, type ActionContext } from './context';
import { databaseStateOf } from './database';

/** SQL Server: "Exclusive access could not be obtained because the database is in use." */
const EXCLUSIVE_ACCESS = 3101;

export async function backUpTailLog(ctx: ActionContext, database: DatabaseName, target: SqlEndpoint): Promise<void> {
  const where = describeEndpoint(target);
  let state: string | undefined;
  try {
    state = await databaseStateOf(ctx, database, target);
  } catch (e) {
    if (!(e instanceof ConnectionError)) throw e;
    ctx.output(`${where} does not answer: no tail-log backup can be taken; transactions after its last log backup are lost.`);
    return;
  }
  if (state === undefined) throw new ActionError(`${database} does not exist on ${where}.`, 'Check that the step targets the primary instance (on=primary).');
  if (state === 'RESTORING') {
    ctx.output(`${database} on ${where} is RESTORING: its tail-log backup was taken already.`);
    return;
  }
  const share = ctx.plan.pool?.logShipping?.share;
  if (!share) throw new ActionError(`The log-shipping share of ${database} is not known.`, 'Declare logShipping.share for the pool in the estate.');
  const file = joinPath(parseUncPath(share), parseFileName(`${database}_tail.trn`));
  try {
    await ctx.ports.sql.query(target.instanceId, tsql.backupLogTail(database, file), {
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onInfo: (message) => ctx.progress(message, percentOf(message)),
    });
  } catch (e) {
    if (e instanceof SqlError && e.number === EXCLUSIVE_ACCESS) {
      throw new ActionError(
        `Sessions still use ${database} on ${where}: BACKUP LOG … WITH NORECOVERY needs exclusive access.`,
        `Stop the Persistent Chat servers (Set-CsPersistentChatActiveServer -ActiveServers $null) or end the sessions (kill-sessions database=${database} on=primary), then run again.`,
      );
    }
    throw e;
  }
  ctx.output(`tail of the log of ${database} backed up to ${file}; ${database} on ${where} is RESTORING`);
}
