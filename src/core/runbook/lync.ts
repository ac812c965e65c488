/** `lync` block lines: `name key=value key="quoted value"`, `#` comments and blank lines ignored. */
import type { Attribute, LyncCommand } from './model';
import { lineRange } from './lines';

/** One `key=value` / word / quoted word of a line or of a fence info string. */
interface Word {
  readonly text: string;
  readonly value: string;
  readonly start: number;
  readonly end: number;
  /** For `key=value`: where the value starts. */
  readonly eq?: number;
}

/** Splits `a key=value key="x y" "text"` into words, honouring double quotes. */
export function splitWords(s: string, from = 0): Word[] {
  const words: Word[] = [];
  let i = from;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    const start = i;
    let eq: number | undefined;
    let value = '';
    while (i < s.length && !/\s/.test(s[i]!)) {
      if (s[i] === '"') {
        const close = s.indexOf('"', i + 1);
        const end = close < 0 ? s.length : close;
        value += s.slice(i + 1, end);
        i = close < 0 ? s.length : close + 1;
        continue;
      }
      if (s[i] === '=' && eq === undefined) {
        eq = i;
        value = '';
        i++;
        continue;
      }
      value += s[i];
      i++;
    }
    words.push({ text: s.slice(start, i), value, start, end: i, ...(eq !== undefined ? { eq } : {}) });
  }
  return words;
}

/** `key=value` words of a line as attributes (line = document line of `s`, columns from `offset`). */
export function toAttribute(w: Word, line: number, offset: number): Attribute {
  const key = w.text.slice(0, w.eq! - w.start);
  return {
    key,
    value: w.value,
    keyRange: lineRange(line, offset + w.start, offset + w.eq!),
    valueRange: lineRange(line, offset + w.eq! + 1, offset + w.end),
    range: lineRange(line, offset + w.start, offset + w.end),
  };
}

/** Parses one line of a `lync` block; undefined for blank and comment lines. */
export function parseLyncLine(text: string, line: number, offset: number): LyncCommand | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const [first, ...rest] = splitWords(text);
  if (!first) return undefined;
  const attributes: Attribute[] = [];
  const positional: LyncCommand['positional'][number][] = [];
  for (const w of rest) {
    if (w.eq !== undefined) attributes.push(toAttribute(w, line, offset));
    else positional.push({ value: w.value, range: lineRange(line, offset + w.start, offset + w.end) });
  }
  const start = offset + first.start;
  return {
    name: first.text,
    nameRange: lineRange(line, start, offset + first.end),
    attributes,
    positional,
    range: lineRange(line, start, offset + text.trimEnd().length),
    text: trimmed,
  };
}
