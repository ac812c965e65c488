/**
 * T-SQL tokenizer: words (identifiers and keywords, case kept), [bracketed] and "quoted"
 * identifiers, 'strings' and N'unicode strings' ('' escapes), numbers, @variables, @@globals,
 * operators; `--` and nested `/* *\/` comments are skipped. A line holding only `GO` (optionally a
 * count and a comment) becomes a `go` token: the batch separator of SSMS and sqlcmd.
 */
import { msg, SqlError } from '../model/sql-error';

export type TokenKind = 'word' | 'qident' | 'string' | 'number' | 'var' | 'sysvar' | 'op' | 'go' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier or string content (unescaped), number text, operator, variable name with its @. */
  readonly value: string;
  /** Source text of the token, for error messages. */
  readonly text: string;
  /** N'…' strings. */
  readonly unicode?: boolean;
  /** 1-based line. */
  readonly line: number;
}

// Sticky patterns: matched in place at lastIndex, without slicing the text.
const WORD = /(@@|@|#{1,2})?[\p{L}_][\p{L}\p{N}_@$#]*/uy;
const NUMBER = /(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?/y;
const SPACE = /[ \t\r\f\v]/;

const OPERATORS = ['<=', '>=', '<>', '!=', '!<', '!>', '(', ')', ',', '.', ';', '=', '<', '>', '*', '+', '-', '/', '%'];

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  const push = (kind: TokenKind, value: string, text: string, extra: Partial<Token> = {}) => out.push({ kind, value, text, line, ...extra });
  const lineStart = (pos: number) => {
    let k = pos - 1;
    while (k >= 0 && (sql[k] === ' ' || sql[k] === '\t')) k--;
    return k < 0 || sql[k] === '\n' || sql[k] === '\r';
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    if (sql.startsWith('--', i)) {
      while (i < sql.length && sql[i] !== '\n') i++;
      continue;
    }
    if (sql.startsWith('/*', i)) {
      let depth = 0;
      do {
        if (sql.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (sql.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else {
          if (sql[i] === '\n') line++;
          i++;
        }
      } while (depth > 0 && i < sql.length);
      if (depth > 0) throw new SqlError({ number: 113, class: 15, state: 1, message: "Missing end comment mark '*/'." });
      continue;
    }
    const unicode = (c === 'N' || c === 'n') && sql[i + 1] === "'";
    if (c === "'" || unicode) {
      const start = i;
      i += unicode ? 2 : 1;
      let value = '';
      for (;;) {
        if (i >= sql.length) throw new SqlError(msg.unclosedQuote(value));
        if (sql[i] === "'") {
          if (sql[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (sql[i] === '\n') line++;
        value += sql[i++];
      }
      push('string', value, sql.slice(start, i), { unicode });
      continue;
    }
    if (c === '[' || c === '"') {
      const close = c === '[' ? ']' : '"';
      const start = i++;
      let value = '';
      for (;;) {
        if (i >= sql.length) throw new SqlError({ number: 105, class: 15, state: 1, message: `Unclosed quotation mark after the character string '${value}'.` });
        if (sql[i] === close) {
          if (sql[i + 1] === close) {
            value += close;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += sql[i++];
      }
      push('qident', value, sql.slice(start, i));
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(sql);
    if (word) {
      const text = word[0];
      const kind: TokenKind = text.startsWith('@@') ? 'sysvar' : text.startsWith('@') ? 'var' : 'word';
      if (kind === 'word' && text.toUpperCase() === 'GO' && lineStart(i)) {
        const rest = /^GO[ \t]*(\d+)?[ \t]*(--[^\n]*)?(?=\r?\n|$)/i.exec(sql.slice(i));
        if (rest) {
          push('go', rest[1] ?? '1', 'GO');
          i += rest[0].length;
          continue;
        }
      }
      push(kind, text, text);
      i += text.length;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(sql);
    if (num) {
      push('number', num[0], num[0]);
      i += num[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => sql.startsWith(o, i));
    if (!op) throw new SqlError(msg.syntax(c));
    push('op', op, op);
    i += op.length;
  }
  push('eof', '', '');
  return out;
}
