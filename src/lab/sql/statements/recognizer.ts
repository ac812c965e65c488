import type { Runnable } from '../context';
import type { Parser } from '../parser';

/**
 * One statement form the lab understands. `matches` looks at the tokens where a statement
 * starts (without consuming); `compile` parses the statement (raising SQL Server's syntax errors)
 * and returns what runs it. The engine tries the recognizers in order.
 */
export interface Recognizer {
  /** Stable id, used in docs/lab-statements.md and the tests. */
  readonly id: string;
  matches(p: Parser, batchStart: boolean): boolean;
  compile(p: Parser): Runnable;
}
