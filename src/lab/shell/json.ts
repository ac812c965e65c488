/**
 * `ConvertTo-Json` as Windows PowerShell 5.1 does it, quirks included, so the product's parser
 * is tested against what a real Lync Management Shell prints:
 * - default `-Depth 2`: anything deeper becomes its `ToString()` text (often just a type name);
 * - enums are numbers, dates are `"\/Date(ms)\/"`;
 * - JavaScriptSerializer escaping (`'` → `\u0027`, `<` `>` `&` as `\u003c` `\u003e` `\u0026`);
 * - the 5.1 pretty printer: 4-space indent, two spaces after `:`, nested values aligned under
 *   their key.
 * Unwrapping a one-element array is the pipeline's doing (ConvertTo-Json collects its input).
 */
import { PsDate, PsEnum, PsHashtable, PsObject, PsScriptBlock, toPsString, type PsValue } from './values';

export function convertToJson(value: PsValue, depth = 2, compress = false): string {
  const compact = serialize(value, 0, depth);
  return compress ? compact : prettyPrint(compact);
}

function serialize(v: PsValue, level: number, maxDepth: number): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : quote(String(v));
  if (v instanceof PsEnum) return String(v.value);
  if (v instanceof PsDate) return `"\\/Date(${v.ms})\\/"`;
  if (v instanceof PsScriptBlock) return quote(v.text);
  if (level > maxDepth) return quote(toPsString(v));
  if (Array.isArray(v)) return `[${v.map((x) => serialize(x, level + 1, maxDepth)).join(',')}]`;
  const entries = v instanceof PsHashtable || v instanceof PsObject ? v.entries() : [];
  return `{${entries.map(([k, x]) => `${quote(k)}:${serialize(x, level + 1, maxDepth)}`).join(',')}}`;
}

function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || ch === "'" || ch === '<' || ch === '>' || ch === '&') out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Port of 5.1's ConvertToJsonCommand.ConvertToPrettyJsonString (its output shape, not its code). */
function prettyPrint(json: string): string {
  if (!json.startsWith('{') && !json.startsWith('[')) return json;
  const out: string[] = [json[0]];
  const state = { i: 1 };
  if (json[0] === '{') dict(json, state, out, '', 0);
  else list(json, state, out, '', 0);
  return out.join('');
}

const NL = '\r\n';

function readQuoted(json: string, state: { i: number }, out: string[]): number {
  const start = state.i;
  for (let i = state.i; i < json.length; i++) {
    out.push(json[i]);
    if (json[i] === '"') {
      let j = i;
      let escaped = false;
      while (j > 0 && json[--j] === '\\') escaped = !escaped;
      if (!escaped) {
        state.i = i;
        return i - start + 2;
      }
    }
  }
  throw new Error('unterminated string in JSON');
}

function list(json: string, state: { i: number }, out: string[], pad: string, spaces: number): void {
  out.push(NL);
  const newPad = pad + ' '.repeat(spaces) + '    ';
  let head = true;
  for (; state.i < json.length; state.i++) {
    const c = json[state.i];
    if (c === '{' || c === '[') {
      out.push(newPad, c);
      state.i++;
      if (c === '{') dict(json, state, out, newPad, 0);
      else list(json, state, out, newPad, 0);
      head = false;
    } else if (c === ']') {
      out.push(NL, pad, ' '.repeat(spaces), c);
      return;
    } else if (c === '"') {
      if (head) out.push(newPad);
      out.push(c);
      state.i++;
      readQuoted(json, state, out);
      head = false;
    } else if (c === ',') {
      out.push(c, NL);
      head = true;
    } else {
      if (head) out.push(newPad);
      out.push(c);
      head = false;
    }
  }
}

function dict(json: string, state: { i: number }, out: string[], pad: string, spaces: number): void {
  out.push(NL);
  const newPad = pad + ' '.repeat(spaces) + '    ';
  let head = true;
  let beforeColon = true;
  let keySpaces = 0;
  for (; state.i < json.length; state.i++) {
    const c = json[state.i];
    if (c === '{' || c === '[') {
      out.push(c);
      state.i++;
      if (c === '{') dict(json, state, out, newPad, keySpaces);
      else list(json, state, out, newPad, keySpaces);
      head = false;
    } else if (c === '}') {
      out.push(NL, pad, ' '.repeat(spaces), c);
      return;
    } else if (c === '"') {
      if (head) out.push(newPad);
      out.push(c);
      state.i++;
      const len = readQuoted(json, state, out);
      if (beforeColon) keySpaces += len;
      head = false;
    } else if (c === ':') {
      out.push(':  ');
      keySpaces += 3;
      head = false;
      beforeColon = false;
    } else if (c === ',') {
      out.push(c, NL);
      head = true;
      beforeColon = true;
      keySpaces = 0;
    } else {
      if (head) out.push(newPad);
      out.push(c);
      if (beforeColon) keySpaces++;
      head = false;
    }
  }
}
