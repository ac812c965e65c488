/**
 * Splits a T-SQL script on `GO` separators the way sqlcmd and SSMS do: `GO` alone on its line
 * (any case, surrounding blanks, an optional repeat count, an optional `--` comment), and never
 * inside a string literal, a quoted identifier or a block comment. `GO` is not T-SQL: sending it
 * to the server is a syntax error, so runbook `sql` blocks are split here and sent one batch at
 * a time. The lexer is the checker's (core/runbook/sql-lexer.ts), so what the editor shows as one
 * batch is what is sent as one.
 */
import { goLines } from '../../core/runbook/sql-lexer';

/** The batches of `script`, in order, without blank ones; a `GO n` repeats its batch n times. */
export function splitBatches(script: string): string[] {
  const batches: string[] = [];
  let from = 0;
  const flush = (to: number, times: number) => {
    const text = script.slice(from, to).replace(/\r\n/g, '\n').trim();
    if (text !== '') for (let n = 0; n < times; n++) batches.push(text);
  };
  for (const go of goLines(script)) {
    flush(go.start, go.count);
    from = go.next;
  }
  flush(script.length, 1);
  return batches;
}
