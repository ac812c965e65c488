/**
 * What the engine needs to know about a runbook's own `sql` and `powershell` text without running
 * it: whether it changes state (then a live run shows it and asks first), and a signature that
 * ties a runbook step to the procedure step doing the same thing (for preconditions and
 * verification). Read-only is an allow-list: anything not known to be a read asks first.
 * And about a failure: whether the action definitely failed or its outcome is unknown.
 */
import type { PowerShellAction, SqlAction, SqlStatement } from '../runbook/model';
import { CancelledError, PortError } from './ports';

/** Verbs of statements that only read. */
const READ_VERBS = new Set(['SELECT', 'USE', 'PRINT', 'DECLARE', 'SET', 'WAITFOR']);
/** RESTORE forms that only read the backup media. */
const READ_RESTORES = new Set(['HEADERONLY', 'FILELISTONLY', 'LABELONLY', 'VERIFYONLY']);
/** Procedures that only report. */
const READ_PROCEDURES = new Set(['sp_who', 'sp_who2', 'sp_helpdb', 'sp_help', 'sp_helpfile', 'sp_spaceused', 'sp_readerrorlog']);
/** BACKUP writes a new file, never the database: not destructive (the procedures agree). */
const NON_DESTRUCTIVE_WRITES = new Set(['BACKUP']);

function statementIsSafe(s: SqlStatement): boolean {
  if (READ_VERBS.has(s.verb) || NON_DESTRUCTIVE_WRITES.has(s.verb)) return true;
  if (s.verb === 'RESTORE') return s.object !== undefined && READ_RESTORES.has(s.object.split(/\s+/).pop()!.toUpperCase());
  if (s.verb === 'EXEC') return s.procedure !== undefined && READ_PROCEDURES.has(s.procedure.name);
  return false;
}

export function sqlIsDestructive(action: SqlAction): boolean {
  return action.statements.length === 0 || action.syntaxErrors.length > 0 || !action.statements.every(statementIsSafe);
}

/** PowerShell verbs that only read or shape output. */
const READ_CMDLET_VERBS = new Set(['get', 'test', 'select', 'where', 'foreach', 'sort', 'measure', 'format', 'out', 'convertto', 'write', 'import']);
const READ_ALIASES = new Set(['%', '?', 'where', 'select', 'foreach', 'echo']);

export function powershellIsDestructive(action: PowerShellAction): boolean {
  const statements = action.text.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (statements.length > 0 && action.commands.length === 0) return true;
  return action.commands.some((c) => {
    const name = c.name.toLowerCase();
    return !READ_ALIASES.has(name) && !READ_CMDLET_VERBS.has(name.split('-')[0]!);
  });
}

/** `sql:exec:sp_delete_log_shipping_secondary_database`, `sql:restore:database`, `sql:alter`… */
export function sqlSignature(s: SqlStatement): string {
  if (s.verb === 'EXEC') return `sql:exec:${s.procedure?.name ?? ''}`;
  return `sql:${s.verb.toLowerCase()}${s.object ? `:${s.object.split(/\s+/).pop()!.toLowerCase()}` : ''}`;
}

export const powershellSignature = (cmdlet: string): string => `ps:${cmdlet.toLowerCase()}`;
export const lyncSignature = (name: string): string => `lync:${name.toLowerCase()}`;

// ---------------------------------------------------------------------------------------------
// Failures

/**
 * How an action that threw ended, for the journal and the next run:
 * - `cancelled`: the operator stopped it (left "started": the next run verifies it);
 * - `outcome-unknown`: it had been sent when the transport failed (time limit, shell ended,
 *   connection lost mid-request), so it may or may not have taken effect: journaled as
 *   interrupted, and verified (or confirmed) before it is sent again;
 * - `failed`: a definite failure — refused before sending, or an answer saying it failed.
 */
export type FailureClass = 'cancelled' | 'outcome-unknown' | 'failed';

export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof CancelledError) return 'cancelled';
  // A built-in may wrap the port error in its own explanation (`ActionError`, `cause`).
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof PortError && e.outcomeUnknown) return 'outcome-unknown';
  }
  return 'failed';
}
