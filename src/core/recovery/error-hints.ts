/**
 * "What to do" chosen by the error itself, when the error names a cause the step's own advice
 * (`onFailure`) would misread: a step's advice is written for the step's logic failing, not for a
 * missing shell, a store that does not answer, or work that is already done.
 */
import { howToMarkDone } from './errors';
import { ShellError, SqlError } from './ports';

/**
 * Msg 32014 "Database %s does not exist as log shipping secondary": the text SQL Server returns
 * when sp_delete_log_shipping_secondary_database names a database with no secondary metadata
 * (the message text; sp_delete_log_shipping_secondary_database (Transact-SQL),
 * https://learn.microsoft.com/sql/relational-databases/system-stored-procedures/sp-delete-log-shipping-secondary-database-transact-sql).
 */
const NOT_LOG_SHIPPING_SECONDARY = 32014;

/**
 * The Lync cmdlets' error when the Central Management Store's database does not answer.
 * Assumption: the wording is the one the Lync Server 2013 cmdlets write ("Command execution failed:
 * Unable to access the Central Management Store"); the lab writes the same text.
 */
const CMS_UNREACHABLE = /Unable to access the Central Management Store/i;

/** The hint the error calls for, or undefined when the step's own advice applies. */
export function errorHint(error: unknown, stepId: string): string | undefined {
  if (error instanceof SqlError && error.number === NOT_LOG_SHIPPING_SECONDARY) {
    return `Log shipping is already removed for this database on this instance (an earlier run, or someone by hand, removed it): check that msdb.dbo.log_shipping_secondary_databases no longer lists it, then mark the step done (${howToMarkDone(stepId)}).`;
  }
  if (error instanceof ShellError) {
    switch (error.failure) {
      case 'not-found':
        return 'Install PowerShell or point the product at it: the Lync cmdlets need Windows PowerShell 5.1 on a machine with the Lync Server administrative tools (lyncRecovery.shell.executable, empty = powershell.exe), or remote PowerShell to a Front End ("lyncRecovery.shell.mode": "remote" with lyncRecovery.shell.remoteUri). Then run again: completed actions are skipped.';
      case 'prelude-failed':
        return 'PowerShell started but its start-up failed (module import, remote session or a lyncRecovery.shell.prelude line): Lync: Test Connections shows PowerShell\'s message; fix that, then run again.';
      case 'command-failed':
        if (CMS_UNREACHABLE.test(error.message)) {
          return 'The Central Management Store does not answer: check that the SQL instance holding it (the back end of the pool that hosts it) is up and reachable; if that pool is lost, fail the store over first (Invoke-CsManagementServerFailover). Then run again: completed actions are skipped.';
        }
        return undefined;
      default:
        return undefined;
    }
  }
  return undefined;
}
