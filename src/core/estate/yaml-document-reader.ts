/**
 * Reads any YAML text with the `yaml` package and turns its document into the loader's tree, with
 * the package's syntax errors and warnings. Used when the subset reader declines the text.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { ScalarValue, YamlIssue, YamlNode } from './yaml-tree';

/** Nodes that aliases may add in all, so that a few aliases cannot expand into millions of nodes. */
export const MAX_ALIAS_EXPANSION = 100_000;

export interface YamlDocumentReading {
  /** The content; `null` when the document is empty, absent when it has errors. */
  readonly tree?: YamlNode | null;
  readonly issues: readonly YamlIssue[];
}

export function readYamlDocument(text: string): YamlDocumentReading {
  try {
    return read(text);
  } catch (error) {
    // The yaml package recurses: text nested thousands of levels deep exhausts the stack.
    const message = `The YAML could not be read (${error instanceof Error ? error.message : String(error)}); an estate nests only a few levels deep.`;
    return { issues: [{ message, severity: 'error', start: 0, end: 0 }] };
  }
}

function read(text: string): YamlDocumentReading {
  const doc = parseDocument(text, { prettyErrors: false, keepSourceTokens: false, uniqueKeys: true });
  const issues: YamlIssue[] = [
    ...doc.errors.map((e) => ({ message: e.message, severity: 'error' as const, start: e.pos[0], end: e.pos[1] })),
    ...doc.warnings.map((w) => ({ message: w.message, severity: 'warning' as const, start: w.pos[0], end: w.pos[1] })),
  ];
  if (doc.errors.length > 0) return { issues };
  const converter = new TreeConverter();
  const tree = doc.contents ? converter.convert(doc.contents, 0) : null;
  if (converter.aliasExpansion > MAX_ALIAS_EXPANSION) {
    const message = `Aliases in this file expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} nodes; write the values out instead.`;
    return { issues: [...issues, { message, severity: 'error', start: 0, end: 0 }] };
  }
  return { tree, issues };
}

class TreeConverter {
  private readonly converted = new Map<unknown, YamlNode>();
  private readonly inProgress = new Set<unknown>();
  private readonly sizes = new Map<unknown, number>();
  /**
   * The anchors met so far, by name: an alias names the nearest anchor before it, and nodes are
   * converted in document order. (`alias.resolve(doc)` walks the whole document per alias, which
   * made flat aliases quadratic: 20,000 took minutes.)
   */
  private readonly anchors = new Map<string, unknown>();
  /** What each alias met so far refers to, for `sizeOf`. */
  private readonly aliasTargets = new Map<unknown, unknown>();
  aliasExpansion = 0;

  /** `fallback` is where a missing node (`{ key }`'s value) is placed. */
  convert(node: unknown, fallback: number): YamlNode {
    const [start, valueEnd] = (node as Node | null)?.range ?? [fallback, fallback];
    const anchor = (node as Node | null)?.anchor;
    if (anchor !== undefined) this.anchors.set(anchor, node);
    if (isAlias(node)) {
      const target = this.anchors.get(node.source);
      this.aliasTargets.set(node, target);
      const converted = this.converted.get(target);
      // An alias to an unknown anchor or to its own ancestor keeps its place, not a value.
      if (!converted || this.inProgress.has(target)) return { kind: 'scalar', value: null, start, end: valueEnd };
      this.aliasExpansion += this.sizeOf(target);
      return converted;
    }
    let result: YamlNode;
    if (isMap(node) || isSeq(node)) {
      this.inProgress.add(node);
      this.converted.set(node, { kind: 'scalar', value: null, start, end: start });
      if (isMap(node)) {
        const pairs = node.items.map((pair) => {
          const key = this.convert(pair.key, start);
          return { key, value: this.convert(pair.value, key.end) };
        });
        const end = node.flow ? valueEnd : pairs.reduce((max, pair) => Math.max(max, pair.key.end, pair.value.end), start);
        result = { kind: 'map', pairs, start, end };
      } else {
        const items = node.items.map((item) => this.convert(item, start + 1));
        result = { kind: 'seq', items, start, end: node.flow ? valueEnd : items.reduce((max, item) => Math.max(max, item.end), start) };
      }
      this.inProgress.delete(node);
    } else {
      result = { kind: 'scalar', value: isScalar(node) ? toScalarValue(node.value) : null, start, end: valueEnd };
    }
    this.converted.set(node, result);
    return result;
  }

  private sizeOf(node: unknown): number {
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    this.sizes.set(node, 1); // a cycle counts once
    let size = 1;
    if (isAlias(node)) size = this.sizeOf(this.aliasTargets.get(node));
    else if (isMap(node)) for (const pair of node.items) size += this.sizeOf(pair.key) + this.sizeOf(pair.value);
    else if (isSeq(node)) for (const item of node.items) size += this.sizeOf(item);
    this.sizes.set(node, size);
    return size;
  }
}

function toScalarValue(value: unknown): ScalarValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  return String(value);
}
