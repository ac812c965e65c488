/**
 * The one T-SQL lexer: the checker (sql.ts) reads statements from its tokens and the sender
 * (adapters/sql/batches.ts) splits batches on its `GO` lines, so the two cannot disagree on what
 * is a comment, a string or a separator. Tested against Microsoft's ScriptDom parser
 * (test/oracles/tsql.test.ts).
 *
 * - `--` comments end at the line's end; `/* … *\/` comments nest, as in SQL Server ("Nested
 *   comments are supported", docs: /sql/t-sql/language-elements/slash-star-comment-transact-sql).
 * - `'…'` and `N'…'` strings, `[…]` and `"…"` quoted identifiers; a doubled closing character
 *   is an escaped one (`''`, `]]`, `""`).
 * - `GO` separates batches only alone on its line: blanks around it, an optional repeat count
 *   (`GO 5`, which sqlcmd and SSMS run n times; docs: /sql/t-sql/language-elements/sql-server-utilities-statements-go),
 *   an optional `;` (ScriptDom, SSMS's parser, accepts `GO;`) and an optional `--` comment; never
 *   inside a comment, string or quoted identifier that spans lines.
 */

export type SqlLexKind = 'comment' | 'string' | 'quoted' | 'semicolon' | 'variable' | 'number' | 'word' | 'punct';

export interface SqlLexToken {
  readonly kind: SqlLexKind;
  /** Offsets in the text (UTF-16 code units), end exclusive. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Strings: the content with `''` undoubled; quoted identifiers: the name; words: upper case; otherwise the text. */
  readonly value: string;
}

export interface SqlLexError {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export interface SqlLexed {
  readonly tokens: readonly SqlLexToken[];
  readonly errors: readonly SqlLexError[];
}

/** `GO` alone on its line; group 1 is the repeat count. */
export const GO_LINE = /^\s*go(?:\s+(\d+))?\s*;?\s*(?:--.*)?$/i;

/** Reads a delimited token from `open` (the index of its opening character) to its closing `close`. */
function delimited(text: string, open: number, close: string): { end: number; value: string; closed: boolean } {
  let value = '';
  let i = open + 1;
  while (i < text.length) {
    if (text[i] === close) {
      if (text[i + 1] !== close) return { end: i + 1, value, closed: true };
      value += close;
      i += 2;
    } else value += text[i++];
  }
  return { end: text.length, value, closed: false };
}

/** The end of the (nesting) block comment opened at `start`, or -1 when it never closes. */
function blockCommentEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length - 1; i++) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i++;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      i++;
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}

export function lexSql(text: string): SqlLexed {
  const tokens: SqlLexToken[] = [];
  const errors: SqlLexError[] = [];
  const push = (kind: SqlLexKind, start: number, end: number, value: string) => tokens.push({ kind, start, end, text: text.slice(start, end), value });
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const start = i;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n') i++;
      push('comment', start, i, text.slice(start, i));
    } else if (c === '/' && text[i + 1] === '*') {
      const end = blockCommentEnd(text, i);
      if (end < 0) errors.push({ message: 'Unterminated /* comment: close it with */.', start, end: text.length });
      i = end < 0 ? text.length : end;
      push('comment', start, i, text.slice(start, i));
    } else if (c === "'" || ((c === 'N' || c === 'n') && text[i + 1] === "'")) {
      const s = delimited(text, c === "'" ? i : i + 1, "'");
      if (!s.closed) errors.push({ message: "Unterminated string: close it with '.", start, end: text.length });
      i = s.end;
      push('string', start, i, s.value);
    } else if (c === '[' || c === '"') {
      const closeChar = c === '[' ? ']' : '"';
      const q = delimited(text, i, closeChar);
      if (!q.closed) errors.push({ message: `Unterminated identifier: close it with ${closeChar}.`, start, end: text.length });
      i = q.end;
      push('quoted', start, i, q.value);
    } else if (c === ';') {
      i++;
      push('semicolon', start, i, ';');
    } else if (c === '@') {
      i++;
      while (i < text.length && /[\w@#$]/.test(text[i]!)) i++;
      push('variable', start, i, text.slice(start, i));
    } else if (/[0-9]/.test(c)) {
      while (i < text.length && /[\w.]/.test(text[i]!)) i++;
      push('number', start, i, text.slice(start, i));
    } else if (/[\p{L}_#]/u.test(c)) {
      while (i < text.length && /[\p{L}\p{N}_#$]/u.test(text[i]!)) i++;
      push('word', start, i, text.slice(start, i).toUpperCase());
    } else {
      i++;
      push('punct', start, i, c);
    }
  }
  return { tokens, errors };
}

/** A `GO` line of `text` (by its offsets) and its repeat count. */
export interface GoLine {
  readonly start: number;
  /** Where the line after it starts. */
  readonly next: number;
  readonly count: number;
}

/** The lines of `text` that are batch separators: `GO` lines whose start is not inside a token. */
export function goLines(text: string, tokens: readonly SqlLexToken[] = lexSql(text).tokens): GoLine[] {
  const lines: GoLine[] = [];
  let t = 0;
  for (const m of text.matchAll(/[^\n]*(?:\n|$)/g)) {
    const start = m.index;
    const line = m[0].replace(/\r?\n$/, '');
    while (t < tokens.length && tokens[t]!.end <= start) t++;
    const inside = t < tokens.length && tokens[t]!.start < start;
    const go = inside ? null : GO_LINE.exec(line);
    if (go) lines.push({ start, next: start + m[0].length, count: go[1] === undefined ? 1 : Number(go[1]) });
    if (m[0] === '' || !m[0].endsWith('\n')) break;
  }
  return lines;
}
