/**
 * What the engine needs to know about a runbook's own `sql` and `powershell` text without running
 * it: whether it changes state (then a live run shows it and asks first), and a signature that
 * ties a runbook step to the procedure step doing the same thing (for preconditions and
 * verification). Destructive unless proven harmless: classify-sql.ts and classify-powershell.ts
 * accept only forms known to read, and anything they do not understand asks first.
 * And about a failure: whether the action definitely failed or its outcome is unknown.
 */
import type { SqlAction, SqlStatement } from '../runbook/model';
import { sqlTextIsDestructive } from './classify-sql';
import { CancelledError, PortError } from './ports';

export { powershellIsDestructive } from './classify-powershell';

/** Whether the whole text of a `sql` block may change state (see classify-sql.ts). */
export const sqlIsDestructive = (action: SqlAction): boolean => sqlTextIsDestructive(action.text);

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
