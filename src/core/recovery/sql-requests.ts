/**
 * How a runbook `sql` block that changes state is sent: one statement per request, stopping at
 * the first error. SQL Server decides per message whether a failed statement ends its batch
 * (domain reference §6.11), and a failed `RESTORE LOG` may not: a `RESTORE DATABASE … WITH
 * RECOVERY` later in the same batch would still run and end the log chain for good (issue 12 D2).
 * Each statement goes with the block's last `USE` before it, written as in the block: a pooled
 * connection need not be the one an earlier request ran on. A block whose meaning spans
 * statements — variables, control flow, a transaction — cannot be cut into requests, so it is
 * refused with what to do instead.
 */
import type { SqlAction } from '../runbook/model';

export interface SqlRequest {
  /** The runbook's statement, as written (for messages). */
  readonly statement: string;
  /** What is sent: the statement, after the `USE` it runs under. */
  readonly text: string;
}

/** Words that tie statements together: a variable, a control-flow block, a transaction. */
const SPANNING_WORDS = new Set(['DECLARE', 'IF', 'WHILE', 'GOTO', 'RETURN', 'BEGIN', 'COMMIT', 'ROLLBACK']);

export type SqlRequests = { readonly requests: readonly SqlRequest[] } | { readonly problem: string };

export function statementRequests(action: SqlAction): SqlRequests {
  if (action.syntaxErrors.length > 0) {
    return { problem: `this sql block changes state and does not parse (${action.syntaxErrors[0]!.message}): fix it before it can run.` };
  }
  const spanning = [...new Set(action.statements.flatMap((s) => s.tokens.filter((t) => t.kind === 'word' && SPANNING_WORDS.has(t.value.toUpperCase())).map((t) => t.value.toUpperCase())))];
  if (spanning.length > 0) {
    return {
      problem:
        `this sql block changes state and uses ${spanning.join(', ')}: a block that changes state runs one statement per request, stopping at the first error ` +
        '(docs/engine.md), and a variable, a control-flow block or a transaction does not carry from one request to the next. ' +
        'Write each statement with literal values (one per line), or move the logic into a stored procedure and EXEC it.',
    };
  }
  const requests: SqlRequest[] = [];
  let use: string | undefined;
  for (const s of action.statements) {
    const text = s.text.trim();
    if (s.verb === 'USE') use = text;
    else requests.push({ statement: text, text: use ? `${use};\n${text}` : text });
  }
  return { requests };
}
