/**
 * `kill-sessions` and `recover-database` (§1.3 step 4). Both are safe to run again: the sessions
 * are listed afresh, and recovery first looks at the state — an ONLINE database was recovered
 * already (by this run before a crash, or by hand), which is what the action is for.
 */
import * as tsql from '../../commands/tsql';
import { parseSpid, type DatabaseName } from '../../commands/values';
import { ActionError } from '../errors';
import { SqlError } from '../ports';
import { describeEndpoint, type SqlEndpoint } from '../targets';
import { percentOf, text, type ActionContext } from './context';

/** SQL Server: "Cannot use KILL to kill your own process." / "Process ID … is not an active process ID." */
const KILL_OWN = 6104;
const KILL_GONE = 6106;

export async function killSessions(ctx: ActionContext, database: DatabaseName, target: SqlEndpoint): Promise<void> {
  const options = ctx.signal ? { signal: ctx.signal } : {};
  // The query excludes its own session (@@SPID) and system sessions (is_user_process = 0).
  const rows = (await ctx.ports.sql.query(target.instanceId, tsql.sessionsInDatabase(database), options)).recordsets[0] ?? [];
  if (rows.length === 0) ctx.output(`no user session in ${database} on ${describeEndpoint(target)}`);
  for (const row of rows) {
    const spid = parseSpid(Number(row['session_id']));
    try {
      await ctx.ports.sql.query(target.instanceId, tsql.kill(spid), options);
      ctx.output(`KILL ${spid} (${text(row['login_name']) ?? '?'} from ${text(row['host_name']) ?? '?'}, ${text(row['program_name']) ?? '?'})`);
    } catch (e) {
      if (e instanceof SqlError && (e.number === KILL_OWN || e.number === KILL_GONE)) ctx.output(`session ${spid}: ${e.message} (skipped)`);
      else throw e;
    }
  }
}

export async function databaseStateOf(ctx: ActionContext, database: DatabaseName, target: SqlEndpoint): Promise<string | undefined> {
  const row = (await ctx.ports.sql.query(target.instanceId, tsql.databaseState(database), ctx.signal ? { signal: ctx.signal } : {})).recordsets[0]?.[0];
  return text(row?.['state_desc']);
}

export async function recoverDatabase(ctx: ActionContext, database: DatabaseName, target: SqlEndpoint): Promise<void> {
  const where = describeEndpoint(target);
  const before = await databaseStateOf(ctx, database, target);
  if (before === 'ONLINE') {
    ctx.output(`${database} on ${where} is already ONLINE: nothing to recover`);
    return;
  }
  if (before === undefined) throw new ActionError(`${database} does not exist on ${where}.`, 'Check that the runbook targets the right instance.');
  await ctx.ports.sql.query(target.instanceId, tsql.recoverDatabase(database), {
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onInfo: (message) => ctx.progress(message, percentOf(message)),
  });
  const after = await databaseStateOf(ctx, database, target);
  if (after !== 'ONLINE') throw new ActionError(`RESTORE DATABASE … WITH RECOVERY finished, but ${database} on ${where} is ${after ?? 'missing'}, not ONLINE.`, 'Look at the SQL Server error log of the instance.');
  ctx.output(`${database} on ${where} is ONLINE`);
}
