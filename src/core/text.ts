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

/** C0/C1 controls (newline, NUL, ESC…) and the Unicode line/paragraph separators. */
const isControl = (code: number): boolean => code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
const NAMED_CONTROLS: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) return true;
  return false;
}

/** The text with every control character shown as an escape (`\n`, `\u001b`): what is there, visibly, on one line. */
export function showControlCharacters(text: string): string {
  if (!hasControlCharacters(text)) return text;
  let out = '';
  for (const c of text) out += isControl(c.charCodeAt(0)) ? (NAMED_CONTROLS[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : c;
  return out;
}
