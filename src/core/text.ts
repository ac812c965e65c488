/** Positions and ranges shared by every layer: 0-based lines and UTF-16 columns, as in LSP. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export type Severity = 'error' | 'warning' | 'info';

/** A problem found in a file: estate checks and runbook rules both produce these. */
export interface Problem {
  /** Stable rule or check id, e.g. `estate/unknown-sql-instance`. */
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  /** The file the problem is in, when it is not the file being checked (e.g. the estate of a runbook). */
  readonly file?: string;
}
