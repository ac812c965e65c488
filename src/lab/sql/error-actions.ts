/**
 * What a failing statement does to the rest of its batch. SQL Server's "error action" depends on
 * the message: "Statement abort will abort the current statement … Batch aborts will terminate
 * the batch" (MSDN SQL Programmability blog, 2006; domain reference §6.11). Microsoft publishes no
 * table of actions per message, so this list is the lab's, and docs/lab-statements.md says which
 * entries are verified and which assumed:
 * - statement abort (the batch goes on) for every error not listed below — among them RESTORE's
 *   4305/4326/3117/3201/3241… and their 3013 [assumption: common DBA experience, §6.11]. A
 *   rehearsal must not certify a script that relies on the server skipping a later statement;
 * - batch abort for conversion errors and for name-resolution errors (in SQL Server the latter
 *   are compile errors that stop the batch, or all of it, from running) and for a failed `USE`
 *   [assumption: a batch meant for another database does not run on in the wrong one].
 */
import type { SqlError } from '../model/sql-error';

const BATCH_ABORT = new Set([
  // conversion: "Conversion failed when converting …", arithmetic overflow
  245, 8114, 8115,
  // name resolution: invalid object, column, ambiguous column, unbound identifier, GROUP BY, undeclared variable, unknown function
  208, 207, 209, 4104, 8120, 137, 195,
  // USE: no such database, database RESTORING
  911, 927,
  // the lab's own internal error
  50000,
]);

export type ErrorAction = 'statement' | 'batch';

export function errorAction(error: SqlError): ErrorAction {
  return BATCH_ABORT.has(error.number) ? 'batch' : 'statement';
}
