/**
 * Independent, deliberately small tokenizers used to check the builders' output from the outside:
 * they model how T-SQL and PowerShell split text into literals and everything else.
 */

export interface SqlToken {
  readonly kind: 'string' | 'identifier' | 'comment' | 'semicolon' | 'word' | 'other';
  /** For strings and identifiers: the decoded content. */
  readonly value: string;
}

/** T-SQL: `N'…'`/`'…'` with `''`, `[…]` with `]]`, line and block comments, `;`. */
export function sqlTokens(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || ((c === 'N' || c === 'n') && text[i + 1] === "'")) {
      i += c === "'" ? 1 : 2;
      let value = '';
      for (;;) {
        if (i >= text.length) throw new Error(`unterminated string in ${text}`);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ kind: 'string', value });
    } else if (c === '[') {
      i++;
      let value = '';
      for (;;) {
        if (i >= text.length) throw new Error(`unterminated identifier in ${text}`);
        if (text[i] === ']') {
          if (text[i + 1] === ']') {
            value += ']';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ kind: 'identifier', value });
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      tokens.push({ kind: 'comment', value: text.slice(i, end < 0 ? undefined : end) });
      i = end < 0 ? text.length : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      tokens.push({ kind: 'comment', value: text.slice(i, end < 0 ? undefined : end + 2) });
      i = end < 0 ? text.length : end + 2;
    } else if (c === ';') {
      tokens.push({ kind: 'semicolon', value: ';' });
      i++;
    } else if (/[A-Za-z0-9_@#$.]/.test(c)) {
      let value = '';
      while (i < text.length && /[A-Za-z0-9_@#$.]/.test(text[i]!)) value += text[i++];
      tokens.push({ kind: 'word', value });
    } else {
      tokens.push({ kind: 'other', value: c });
      i++;
    }
  }
  return tokens;
}

/** Statements of a T-SQL text: token lists split at `;` (empty ones dropped). */
export function sqlStatements(text: string): SqlToken[][] {
  const statements: SqlToken[][] = [[]];
  for (const t of sqlTokens(text)) {
    if (t.kind === 'semicolon') statements.push([]);
    else statements[statements.length - 1]!.push(t);
  }
  return statements.filter((s) => s.length > 0);
}

export interface PsToken {
  readonly kind: 'single-quoted' | 'bare';
  readonly value: string;
}

const PS_SINGLE = /['\u2018\u2019\u201a\u201b]/;

/**
 * PowerShell: single-quoted strings where any of the four single-quote characters closes the
 * string and any two in a row stand for the second (the tokenizer's rule); everything else is
 * returned as bare text, character runs between strings.
 */
export function psTokens(text: string): PsToken[] {
  const tokens: PsToken[] = [];
  let i = 0;
  let bare = '';
  while (i < text.length) {
    const c = text[i]!;
    if (PS_SINGLE.test(c)) {
      if (bare) tokens.push({ kind: 'bare', value: bare });
      bare = '';
      i++;
      let value = '';
      for (;;) {
        if (i >= text.length) throw new Error(`unterminated string in ${text}`);
        const q = text[i]!;
        if (PS_SINGLE.test(q)) {
          if (i + 1 < text.length && PS_SINGLE.test(text[i + 1]!)) {
            value += text[i + 1];
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += q;
        i++;
      }
      tokens.push({ kind: 'single-quoted', value });
    } else {
      bare += c;
      i++;
    }
  }
  if (bare) tokens.push({ kind: 'bare', value: bare });
  return tokens;
}
