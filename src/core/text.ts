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

/**
 * Characters that a terminal, a dialog or an editor acts on or hides instead of showing, so that
 * what a person reads differs from what is sent: C0 controls but tab and line feed (a carriage
 * return only when it does not end a line), DEL and C1 controls (ESC and CSI start terminal escape
 * sequences), bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069,
 * U+061C, U+200E/U+200F), zero-width and invisible characters (U+200B–U+200D, U+2060–U+2064,
 * U+FEFF, U+00AD, U+180E), line and paragraph separators (U+2028/U+2029) and Unicode tag
 * characters (U+E0000–U+E007F).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]|\r(?!\n)/gu;

/** `\x1b` for a character below U+0100, `\u202e` otherwise, `\u{e0041}` beyond the BMP. */
function escapeOne(c: string): string {
  const code = c.codePointAt(0)!;
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/**
 * `text` with every hidden character (see HIDDEN) written as its escape, e.g. ESC as `\x1b` and a
 * right-to-left override as `\u202e`: what every prompt, dialog, tree label, report and log line
 * shows of runbook or estate text, so that what a person approves is what is sent. Line feeds,
 * CR LF line ends and tabs stay as they are.
 */
export function showHidden(text: string): string {
  return text.replace(HIDDEN, escapeOne);
}

const ONE_HIDDEN = new RegExp(HIDDEN.source, 'u');

/** Whether `text` holds a hidden character (see HIDDEN). */
export const hasHiddenCharacters = (text: string): boolean => ONE_HIDDEN.test(text);

/** Where `text` holds hidden characters: offsets and the escape each would be shown as. */
export function hiddenCharacters(text: string): { readonly offset: number; readonly length: number; readonly shown: string }[] {
  return [...text.matchAll(HIDDEN)].map((m) => ({ offset: m.index, length: m[0].length, shown: escapeOne(m[0]) }));
}

const LINE_CONTROLS: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Whether a value (an estate id, name or path) holds a hidden character, a line break or a tab. */
export const hasControlCharacters = (text: string): boolean => /[\n\r\t]/.test(text) || hasHiddenCharacters(text);

/** A value shown on one line: showHidden, with line feeds, carriage returns and tabs escaped too (`\n`, `\r`, `\t`). */
export function showControlCharacters(text: string): string {
  return showHidden(text).replace(/[\n\r\t]/g, (c) => LINE_CONTROLS[c]!);
}
