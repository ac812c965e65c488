/**
 * A fast reader for the subset of YAML that estate files use: block mappings and sequences,
 * one-line flow collections, plain and one-line quoted scalars, comments. The `yaml` package
 * needs 350–500 ms for a 500-pool estate on a 2-core machine; this reader needs about 10 ms.
 *
 * It returns `undefined` as soon as it meets anything outside the subset (anchors, tags, block
 * scalars, multi-line scalars or flow collections, escapes, directives, tabs, duplicate keys,
 * anything malformed): the loader then reads the text with the `yaml` package, which gives the
 * same tree or the syntax errors. So this reader never has to report an error, only decline.
 */
import { resolvePlainScalar, type YamlMap, type YamlNode, type YamlPair, type YamlScalar, type YamlSeq } from './yaml-tree';

const SPACE = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const COMMA = 44;
const QUOTE = 39;
const DQUOTE = 34;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;

class OutsideSubset extends Error {}

function decline(): never {
  throw new OutsideSubset();
}

/** Characters that cannot start a plain scalar (YAML c-indicator), besides `-?:` handled apart. */
const NOT_PLAIN_START = new Set([...',[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));
const FLOW_END = new Set([COMMA, RBRACE, RBRACKET, LBRACE, LBRACKET]);
/** Estates nest six levels deep; far deeper text is left to the `yaml` package and its errors. */
const MAX_DEPTH = 64;

/**
 * Reads `text` as the estate subset of YAML: the tree (`null` for a document without content),
 * or `undefined` when the text is outside the subset.
 */
export function readYamlSubset(text: string): YamlNode | null | undefined {
  if (text.includes('\t') || /\r(?!\n)/.test(text) || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    return new SubsetReader(text).readDocument();
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}

class SubsetReader {
  /** Start offset, end offset (before `\r\n`) and indentation of every line holding content. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly indents: number[] = [];
  private line = 0;
  private depth = 0;

  constructor(private readonly text: string) {
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      const next = end === -1 ? text.length + 1 : end + 1;
      if (end === -1) end = text.length;
      if (end > start && text.charCodeAt(end - 1) === 13) end--;
      let indent = start;
      while (indent < end && text.charCodeAt(indent) === SPACE) indent++;
      if (indent < end && text.charCodeAt(indent) !== HASH) {
        if (indent === start && /^(?:---|\.\.\.|%)/.test(text.slice(start, start + 3))) decline();
        this.starts.push(start);
        this.ends.push(end);
        this.indents.push(indent - start);
      }
      start = next;
    }
  }

  readDocument(): YamlNode | null {
    if (this.starts.length === 0) return null;
    const root = this.readBlockNode(this.starts[0] + this.indents[0]);
    if (this.line < this.starts.length) decline();
    return root;
  }

  private column(offset: number): number {
    return offset - this.starts[this.line];
  }

  /** The indentation of the current line, or -1 past the last line. */
  private currentIndent(): number {
    return this.line < this.starts.length ? this.indents[this.line] : -1;
  }

  /** A node starting at `offset` on the current line, continuing on later lines if it is a block collection. */
  private readBlockNode(offset: number): YamlNode {
    if (++this.depth > MAX_DEPTH) decline();
    const node = this.readBlockNodeAt(offset);
    this.depth--;
    return node;
  }

  private readBlockNodeAt(offset: number): YamlNode {
    const code = this.text.charCodeAt(offset);
    if (code === DASH && this.isBlank(offset + 1)) return this.readBlockSeq(this.column(offset));
    if (this.startsMapEntry(offset)) return this.readBlockMap(this.column(offset));
    const node = this.readInlineValue(offset, this.ends[this.line]);
    this.finishLine(node.end);
    return node;
  }

  private isBlank(offset: number): boolean {
    return offset >= this.ends[this.line] || this.text.charCodeAt(offset) === SPACE;
  }

  /** Whether a plain key followed by `: ` (or `:` at the end of the line) starts at `offset`. */
  private startsMapEntry(offset: number): boolean {
    const code = this.text.charCodeAt(offset);
    if (code === LBRACE || code === LBRACKET || code === QUOTE || code === DQUOTE) return false;
    return this.keyEnd(offset) !== -1;
  }

  /** End of the plain key starting at `offset`, or -1 when the line holds no `key:`. */
  private keyEnd(offset: number): number {
    const end = this.ends[this.line];
    for (let i = offset; i < end; i++) {
      const code = this.text.charCodeAt(i);
      if (code === HASH && this.text.charCodeAt(i - 1) === SPACE) return -1;
      if (code === COLON && (i + 1 === end || this.text.charCodeAt(i + 1) === SPACE)) return i;
    }
    return -1;
  }

  private readBlockMap(indent: number): YamlMap {
    const pairs: YamlPair[] = [];
    const keys = new Set<string>();
    const start = this.starts[this.line] + indent;
    let end = start;
    // The first entry may share its line with a sequence dash: `- key: value`.
    for (let first = true; first || this.currentIndent() === indent; first = false) {
      const keyStart = this.starts[this.line] + indent;
      const colon = this.keyEnd(keyStart);
      if (colon === -1) decline();
      let keyEnd = colon;
      while (this.text.charCodeAt(keyEnd - 1) === SPACE) keyEnd--;
      const key = this.plainScalar(keyStart, keyEnd, false);
      if (keys.has(String(key.value))) decline();
      keys.add(String(key.value));
      const value = this.readValueAfterIndicator(colon + 1, indent, true);
      pairs.push({ key, value });
      end = Math.max(key.end, value.end);
    }
    if (this.currentIndent() > indent) decline();
    return { kind: 'map', pairs, start, end };
  }

  private readBlockSeq(indent: number): YamlSeq {
    const items: YamlNode[] = [];
    const start = this.starts[this.line] + indent;
    let end = start;
    for (let first = true; first || this.currentIndent() === indent; first = false) {
      const dash = this.starts[this.line] + indent;
      if (this.text.charCodeAt(dash) !== DASH || !this.isBlank(dash + 1)) break;
      const item = this.readValueAfterIndicator(dash + 1, indent, false);
      items.push(item);
      end = Math.max(dash + 1, item.end);
    }
    if (this.currentIndent() > indent) decline();
    return { kind: 'seq', items, start, end };
  }

  /**
   * The value after a mapping's `:` or a sequence's `-` at `indent`: on the same line, on the
   * following more indented lines, a sequence at the same indent (mapping values only), or empty.
   */
  private readValueAfterIndicator(offset: number, indent: number, inMap: boolean): YamlNode {
    const lineEnd = this.ends[this.line];
    let i = offset;
    while (i < lineEnd && this.text.charCodeAt(i) === SPACE) i++;
    if (i < lineEnd && this.text.charCodeAt(i) !== HASH) {
      if (inMap) {
        const node = this.readInlineValue(i, lineEnd);
        this.finishLine(node.end);
        if (this.currentIndent() > indent) decline();
        return node;
      }
      return this.readBlockNode(i);
    }
    this.line++;
    const next = this.currentIndent();
    const empty: YamlScalar = { kind: 'scalar', value: null, start: i, end: i };
    if (next > indent) return this.readBlockNode(this.starts[this.line] + next);
    if (inMap && next === indent) {
      const dash = this.starts[this.line] + next;
      if (this.text.charCodeAt(dash) === DASH && this.isBlank(dash + 1)) return this.readBlockSeq(indent);
    }
    return empty;
  }

  /** After a value that ends at `offset`: only spaces and a comment may follow; moves to the next line. */
  private finishLine(offset: number): void {
    const end = this.ends[this.line];
    let i = offset;
    while (i < end && this.text.charCodeAt(i) === SPACE) i++;
    if (i < end && !(this.text.charCodeAt(i) === HASH && i > offset)) decline();
    this.line++;
  }

  /** A scalar or flow collection starting at `offset` and ending on this line. */
  private readInlineValue(offset: number, lineEnd: number): YamlNode {
    const code = this.text.charCodeAt(offset);
    if (code === LBRACE || code === LBRACKET) return this.readFlow(offset, lineEnd);
    if (code === QUOTE || code === DQUOTE) return this.quotedScalar(offset, lineEnd);
    let end = lineEnd;
    for (let i = offset; i < lineEnd; i++) {
      const c = this.text.charCodeAt(i);
      if (c === HASH && this.text.charCodeAt(i - 1) === SPACE) {
        end = i;
        break;
      }
      // `a: b: c` is an error for YAML; let the full parser say so.
      if (c === COLON && (i + 1 === lineEnd || this.text.charCodeAt(i + 1) === SPACE)) decline();
    }
    while (end > offset && this.text.charCodeAt(end - 1) === SPACE) end--;
    return this.plainScalar(offset, end, false);
  }

  private plainScalar(start: number, end: number, inFlow: boolean): YamlScalar {
    const first = this.text.charCodeAt(start);
    if (end <= start || NOT_PLAIN_START.has(first)) decline();
    if ((first === DASH || first === 63 /* ? */ || first === COLON) && (end === start + 1 || this.text.charCodeAt(start + 1) === SPACE)) decline();
    if (inFlow && first === DASH && FLOW_END.has(this.text.charCodeAt(start + 1))) decline();
    return { kind: 'scalar', value: resolvePlainScalar(this.text.slice(start, end)), start, end };
  }

  private quotedScalar(start: number, lineEnd: number): YamlScalar {
    const quote = this.text.charCodeAt(start);
    let value = '';
    let from = start + 1;
    for (let i = from; i < lineEnd; i++) {
      const c = this.text.charCodeAt(i);
      if (quote === DQUOTE && c === BACKSLASH) decline();
      if (c !== quote) continue;
      value += this.text.slice(from, i);
      if (quote === QUOTE && this.text.charCodeAt(i + 1) === QUOTE) {
        value += "'";
        from = ++i + 1;
        continue;
      }
      return { kind: 'scalar', value, start, end: i + 1 };
    }
    return decline();
  }

  /** A flow mapping or sequence that closes on the same line. */
  private readFlow(start: number, lineEnd: number): YamlMap | YamlSeq {
    if (++this.depth > MAX_DEPTH) decline();
    const isMap = this.text.charCodeAt(start) === LBRACE;
    const close = isMap ? RBRACE : RBRACKET;
    const pairs: YamlPair[] = [];
    const items: YamlNode[] = [];
    const keys = new Set<string>();
    let i = this.skipSpaces(start + 1, lineEnd);
    while (this.text.charCodeAt(i) !== close) {
      if (isMap) {
        const key = this.flowScalar(i, lineEnd);
        if (key.kind !== 'scalar' || keys.has(String(key.value)) || this.text.charCodeAt(key.end) !== COLON) decline();
        keys.add(String(key.value));
        i = this.skipSpaces(key.end + 1, lineEnd);
        const next = this.text.charCodeAt(i);
        const value: YamlNode =
          next === COMMA || next === close
            ? { kind: 'scalar', value: null, start: i, end: i }
            : i > key.end + 1
              ? this.flowScalar(i, lineEnd)
              : decline();
        pairs.push({ key, value });
        i = this.skipSpaces(value.end, lineEnd);
      } else {
        const item = this.flowScalar(i, lineEnd);
        items.push(item);
        i = this.skipSpaces(item.end, lineEnd);
        if (this.text.charCodeAt(i) === COLON) decline();
      }
      const next = this.text.charCodeAt(i);
      if (next === COMMA) i = this.skipSpaces(i + 1, lineEnd);
      else if (next !== close) decline();
    }
    const end = i + 1;
    this.depth--;
    return isMap ? { kind: 'map', pairs, start, end } : { kind: 'seq', items, start, end };
  }

  /** A value inside a flow collection: a nested collection, a quoted or a plain scalar. */
  private flowScalar(start: number, lineEnd: number): YamlNode {
    if (start >= lineEnd) decline();
    const code = this.text.charCodeAt(start);
    if (code === LBRACE || code === LBRACKET) return this.readFlow(start, lineEnd);
    if (code === QUOTE || code === DQUOTE) return this.quotedScalar(start, lineEnd);
    let end = start;
    while (end < lineEnd) {
      const c = this.text.charCodeAt(end);
      if (FLOW_END.has(c)) break;
      if (c === HASH && this.text.charCodeAt(end - 1) === SPACE) decline();
      if (c === COLON) {
        const after = this.text.charCodeAt(end + 1);
        if (end + 1 === lineEnd || after === SPACE || FLOW_END.has(after)) break;
      }
      end++;
    }
    while (end > start && this.text.charCodeAt(end - 1) === SPACE) end--;
    return this.plainScalar(start, end, true);
  }

  private skipSpaces(offset: number, lineEnd: number): number {
    let i = offset;
    while (i < lineEnd && this.text.charCodeAt(i) === SPACE) i++;
    if (i >= lineEnd) decline();
    return i;
  }
}
