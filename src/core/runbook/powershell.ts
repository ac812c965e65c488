/**
 * PowerShell statements of a `powershell` block, parsed with web-tree-sitter and the
 * tree-sitter-powershell WASM grammar.
 *
 * The core stays pure: the WASM bytes come through the `GrammarFiles` port (the server and the CLI
 * read them next to the bundle, tests from node_modules). The grammar is loaded once per process.
 * Each block is parsed on its own and the result cached by its text, so an edit re-parses only the
 * block that changed (a full parse costs ~26 µs per line, too much for a 10,000-line runbook).
 *
 * En/em dashes: Windows PowerShell accepts `–PoolState` (U+2013) as a parameter, the grammar
 * does not. They are replaced by `-` before parsing (same UTF-16 length, so ranges hold) and the
 * parameter remembers the dash that was written, for the `en-dash-parameter` rule. Typographic
 * quotes likewise: PowerShell's tokenizer takes U+2018–U+201B as single quotes and U+201C–U+201E
 * as double quotes (its `SpecialCharacters` class), so `“x”-PoolState` binds -PoolState as
 * `"x"-PoolState` does; they become `'` and `"` before parsing.
 *
 * Where the grammar and PowerShell's own parser disagree on runbook text (the oracle corpus,
 * test/oracles/corpus), the reading is corrected here to PowerShell's: a `MISSING` token is a
 * syntax error; a number (`1..30`, `1MB`) heading a pipeline is an expression, not a command;
 * `$pool-PoolState` is one argument (a variable glued to text expands into one string), and so is
 * `--PoolState`; an argument that starts with an unquoted `<` is an error ("The '<' operator is reserved for
 * future use"). Numbers with a multiplier suffix (`1MB`) and a lone `-` argument, which the grammar
 * lacks, are retried as plain digits of the same length, like the bare list items below.
 *
 * Bare-word lists (`Select-Object Name, Id`): the grammar has no derivation for them (see
 * powershell-lists.ts). When a block does not parse, its bare list items are replaced by number
 * literals of the same length and the block parsed again; that parse is kept when it has fewer
 * errors, and the items read back as bare words from the text.
 */
import type { Node, Parser } from 'web-tree-sitter';
import type * as TreeSitter from 'web-tree-sitter';
import type { Range } from '../text';
import { formatSize } from '../text-files';
import { isSwitchParameter } from './cmdlets';
import { BoundedCache } from './bounded-cache';
import { bareListItems } from './powershell-lists';
import type { PsArgument, PsCommand, PsConstruct, PsHashEntry, PsParameter } from './model';

/** Port: where the WASM files come from. */
export interface GrammarFiles {
  /** `tree-sitter.wasm` of web-tree-sitter. */
  runtime(): Promise<Uint8Array>;
  /** `tree-sitter-powershell.wasm`. */
  powershell(): Promise<Uint8Array>;
}

/** Parsed block: ranges are relative to the block (line 0 = its first content line). */
export interface ParsedPowerShell {
  readonly commands: readonly PsCommand[];
  readonly constructs: readonly PsConstruct[];
  readonly syntaxErrors: readonly Range[];
  /** Why the block was not read (over a limit below): it has no commands then, and cannot run. */
  readonly unchecked?: string;
}

/**
 * What one block may cost. Real recovery blocks are a few dozen lines; these bounds are far above
 * them and keep a garbled or hostile block (a 1 MB random line, 500 nested `$(`) from taking
 * seconds or overflowing the stack (the tree is walked without recursion up to `maxDepth`).
 */
export const POWERSHELL_LIMITS = {
  /** Characters; the grammar's error recovery on garbled text grows faster than its size. */
  maxChars: 256 * 1024,
  /** Milliseconds per parse (a 2,000-line block of commands parses in about 50 ms). */
  maxMs: 1000,
  /** Levels of the syntax tree (each `$(…)` adds about fourteen: some 70 nested `$(` fit). */
  maxDepth: 1000,
} as const;

export interface PowerShellParser {
  parse(blockText: string): ParsedPowerShell;
}

const UNICODE_DASHES = /[\u2013\u2014\u2015]/g;
const UNICODE_SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b]/g;
const UNICODE_DOUBLE_QUOTES = /[\u201c\u201d\u201e]/g;
/** A PowerShell number literal as a pipeline's first element: `1..30 | …`, `1MB`, `0.5`. */
const NUMBER_HEAD = /^\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:[ldn]|u[lys]?|[ys])?(?:[kmgtp]b)?(?:\.\.|$)/i;
/** Numbers with a multiplier suffix, which the grammar does not know (`/ 1MB`). */
const MULTIPLIER_NUMBER = /(?<![\w$.-])\d+(?:\.\d+)?[kmgtp]b\b/gi;
const LONE_DASH = /(?<=[ \t])-(?=[ \t])/g;

/**
 * Grammar nodes that only give a block its shape (statement lists, pipelines, a command's elements,
 * operator precedence levels) or hold a literal: not reported as constructs. Commands are reported
 * as commands; a command without a plain name (`& 'x'`, `. .\x.ps1`) shows in its constructs.
 */
const STRUCTURE = new Set([
  'program', 'statement_list', 'empty_statement', 'pipeline', 'pipeline_chain', 'command', 'command_name', 'command_elements',
  'command_argument_sep', 'command_parameter', 'comment', 'logical_expression', 'bitwise_expression', 'comparison_expression',
  'additive_expression', 'multiplicative_expression', 'format_expression', 'range_expression', 'array_literal_expression',
  'unary_expression', 'string_literal', 'verbatim_string_characters', 'verbatim_here_string_characters', 'expandable_string_literal',
  'expandable_here_string_literal', 'integer_literal', 'decimal_integer_literal', 'hexadecimal_integer_literal', 'real_literal',
]);
/** Characters of blocks kept parsed: some 20 MB of results; the blocks of one runbook fit many times over. */
const CACHE_CHARS = 512 * 1024;

let language: Promise<TreeSitter.Language> | undefined;

/**
 * web-tree-sitter's CommonJS build. Its ESM build calls `createRequire(import.meta.url)`, and
 * `import.meta` is empty in the CommonJS bundles esbuild makes, so `import` would break dist/.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const treeSitter = (): typeof TreeSitter => require('web-tree-sitter') as typeof TreeSitter;

/** Loads the grammar (once per process) and returns a caching parser. */
export async function loadPowerShellParser(files: GrammarFiles): Promise<PowerShellParser> {
  const { Parser, Language } = treeSitter();
  language ??= (async () => {
    const wasmBinary = await files.runtime();
    // Emscripten module option: with the bytes given, web-tree-sitter never touches the file system.
    await Parser.init({ wasmBinary } as object);
    return Language.load(await files.powershell());
  })();
  const loaded = await language;
  const parser = new Parser();
  parser.setLanguage(loaded);
  return new CachingPowerShellParser(parser);
}

class CachingPowerShellParser implements PowerShellParser {
  private readonly cache = new BoundedCache<ParsedPowerShell>(CACHE_CHARS);

  constructor(private readonly parser: Parser) {}

  parse(blockText: string): ParsedPowerShell {
    const hit = this.cache.get(blockText);
    if (hit) return hit;
    const result = this.parseUncached(blockText);
    this.cache.set(blockText, result);
    return result;
  }

  private parseUncached(text: string): ParsedPowerShell {
    if (text.length > POWERSHELL_LIMITS.maxChars) {
      return unchecked(`This PowerShell block is ${formatSize(text.length)}; a block may be at most ${formatSize(POWERSHELL_LIMITS.maxChars)} to be checked: split it into several blocks.`);
    }
    const normalised = text.replace(UNICODE_DASHES, '-').replace(UNICODE_SINGLE_QUOTES, "'").replace(UNICODE_DOUBLE_QUOTES, '"');
    const deadline = performance.now() + POWERSHELL_LIMITS.maxMs;
    // Returning true cancels the parse (web-tree-sitter's progress callback): the parse then returns null.
    const options = { progressCallback: () => performance.now() > deadline };
    const tooSlow = () => unchecked(`This PowerShell block took over ${POWERSHELL_LIMITS.maxMs / 1000} s to parse, so it is not checked (garbled text?): fix or split it.`);
    let tree = this.parser.parse(normalised, null, options);
    if (!tree) return tooSlow();
    if (tooDeep(tree.rootNode)) {
      tree.delete();
      return unchecked('This PowerShell block is nested too deeply to be checked (dozens of sub-expressions, brackets or blocks inside one another): split it into simpler commands.');
    }
    /** Start → end of the bare words parsed as number literals. */
    const placeholders = new Map<number, number>();
    // Most blocks parse: only a failed parse pays for the second one.
    const items = tree.rootNode.hasError ? [...bareListItems(normalised), ...grammarGaps(normalised)] : [];
    if (items.length) {
      // Built in one pass: replacing item by item copies the whole block per item.
      const parts: string[] = [];
      let at = 0;
      for (const { start, end } of items) {
        parts.push(normalised.slice(at, start), '0'.repeat(end - start));
        at = end;
      }
      parts.push(normalised.slice(at));
      const retry = this.parser.parse(parts.join(''), null, options);
      if (!retry) {
        tree.delete();
        return tooSlow();
      }
      if (!tooDeep(retry.rootNode) && errorWeight(retry.rootNode) < errorWeight(tree.rootNode)) {
        tree.delete();
        tree = retry;
        for (const { start, end } of items) placeholders.set(start, end);
      } else retry.delete();
    }
    const source: Source = { text: normalised, original: text, placeholders };
    try {
      // The grammar has no derivation for a program of only blanks and comments; PowerShell parses it.
      const root = tree.rootNode;
      if (root.isError && root.namedChildren.every((c) => !c || c.type === 'comment' || textOf(c, source).trim() === '')) return { commands: [], constructs: [], syntaxErrors: [] };
      const commands: PsCommand[] = [];
      const constructs: PsConstruct[] = [];
      const syntaxErrors: Range[] = [];
      // Depth-first, in document order, without recursion.
      const pending: Node[] = [tree.rootNode];
      for (let node = pending.pop(); node; node = pending.pop()) {
        if (node.type === 'command' || (node.isError && node.children.some((c) => c?.type === 'command_name'))) {
          const command = toCommand(node, source);
          if (command) commands.push(command);
        }
        if (!STRUCTURE.has(node.type)) constructs.push({ type: node.type, text: textOf(node, source), range: rangeOf(node) });
        if (node.isError || node.isMissing) syntaxErrors.push(rangeOf(node));
        // A missing `}` or `)` is an anonymous node: namedChildren would never show it.
        for (const child of node.children) if (child && !child.isNamed && child.isMissing) syntaxErrors.push(rangeOf(child));
        if (node.type === 'generic_token' && textOf(node, source).startsWith('<') && !source.placeholders.has(node.startIndex)) syntaxErrors.push(rangeOf(node));
        const children = node.namedChildren;
        for (let i = children.length - 1; i >= 0; i--) if (children[i]) pending.push(children[i]!);
      }
      commands.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
      return { commands, constructs, syntaxErrors: withoutNested(syntaxErrors) };
    } finally {
      tree.delete();
    }
  }
}

/**
 * Text the grammar has no derivation for, retried as digits: numbers with a multiplier suffix
 * (`1MB`) and a lone `-` between blanks, which PowerShell passes as a plain argument.
 */
function grammarGaps(text: string): { start: number; end: number }[] {
  return [...text.matchAll(MULTIPLIER_NUMBER), ...text.matchAll(LONE_DASH)].map((m) => ({ start: m.index, end: m.index + m[0].length })).sort((a, b) => a.start - b.start);
}

const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);

/** One error, one report: a missing token inside an error that covers it says nothing more. */
function withoutNested(errors: Range[]): Range[] {
  return errors.filter((e, i) => !errors.some((o, j) => j !== i && (before(o.start, e.start) && before(e.end, o.end)) && !(before(e.start, o.start) && before(o.end, e.end))));
}

const unchecked = (reason: string): ParsedPowerShell => ({ commands: [], constructs: [], syntaxErrors: [], unchecked: reason });

/** Whether the tree is deeper than `POWERSHELL_LIMITS.maxDepth`: walked with a cursor, not recursion. */
function tooDeep(root: Node): boolean {
  const cursor = root.walk();
  try {
    let depth = 0;
    for (;;) {
      if (cursor.gotoFirstChild()) {
        if (++depth > POWERSHELL_LIMITS.maxDepth) return true;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return false;
        depth--;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** How much of a tree did not parse: the length of its ERROR nodes (at least 1 each) and its MISSING nodes. */
function errorWeight(node: Node): number {
  if (node.isError) return Math.max(1, node.endIndex - node.startIndex);
  if (node.isMissing) return 1;
  if (!node.hasError) return 0;
  let weight = 0;
  for (const child of node.children) if (child) weight += errorWeight(child);
  return weight;
}

/** The text a tree was read from, without the placeholders of bare list items. */
interface Source {
  /** The parsed text before placeholders (dashes normalised): node offsets index it. */
  readonly text: string;
  /** The block as written. */
  readonly original: string;
  readonly placeholders: ReadonlyMap<number, number>;
}

const textOf = (node: Node, source: Source): string => source.text.slice(node.startIndex, node.endIndex);

const rangeOf = (node: Node): Range => ({
  start: { line: node.startPosition.row, character: node.startPosition.column },
  end: { line: node.endPosition.row, character: node.endPosition.column },
});

function toCommand(node: Node, source: Source): PsCommand | undefined {
  const nameNode = node.children.find((c) => c?.type === 'command_name');
  if (!nameNode) return undefined;
  const name = textOf(nameNode, source);
  if (NUMBER_HEAD.test(name)) return undefined;
  // In an ERROR node the elements are direct children; in a command they sit in command_elements.
  const elementsNode = node.children.find((c) => c?.type === 'command_elements');
  const elements: Node[][] = [];
  for (const c of elementsNode ? elementsNode.children : node.children) {
    if (!c || c === nameNode || c.type === 'command_argument_sep' || c.type === 'comment' || (c.isError && textOf(c, source).trim() === '')) continue;
    // `a , b` is one array argument in PowerShell; the grammar reads `a` and a unary `, b`.
    const previous = elements.at(-1);
    if (previous && !isParameter(c, source) && !isParameter(previous[0]!, source) && textOf(c, source).startsWith(',')) previous.push(c);
    // `$pool-PoolState`: a variable glued to more text is one expandable string to PowerShell.
    else if (previous && isVariable(previous.at(-1)!) && previous.at(-1)!.endIndex === c.startIndex) previous.push(c);
    else elements.push([c]);
  }
  const parameters: PsParameter[] = [];
  const positional: PsArgument[] = [];
  for (let i = 0; i < elements.length; i++) {
    const el = elements[i]![0]!;
    if (!isParameter(el, source) || elements[i]!.length > 1) {
      positional.push(toArguments(elements[i]!, source));
      continue;
    }
    const written = textOf(el, source);
    const colon = written.endsWith(':');
    const paramName = written.slice(1, colon ? -1 : undefined);
    const next = elements[i + 1];
    // `-Switch` takes no value unless written `-Switch:$false`.
    const takesValue = next !== undefined && !isParameter(next[0]!, source) && (colon || !isSwitchParameter(name, paramName));
    parameters.push({
      name: paramName,
      dash: source.original.charAt(el.startIndex),
      range: rangeOf(el),
      ...(takesValue ? { value: toArguments(next, source) } : {}),
    });
    if (takesValue) i++;
  }
  return { name, nameRange: rangeOf(nameNode), parameters, positional, range: rangeOf(node), text: textOf(node, source) };
}

/** `-Name`, but not `--Name`: PowerShell reads a word starting with two dashes as an argument. */
const isParameter = (node: Node, source: Source): boolean => node.type === 'command_parameter' && !textOf(node, source).startsWith('--');

/** A plain `$name` or `${name}` (the grammar wraps a lone argument in one-child expressions). */
function isVariable(node: Node): boolean {
  let n: Node | null = node;
  while (n && (n.type === 'array_literal_expression' || n.type === 'unary_expression') && n.namedChildCount === 1) n = n.namedChild(0);
  return n?.type === 'variable';
}

/** One argument from the nodes of `a , b` (one node but for a comma after a space) or of `$pool-PoolState`. */
function toArguments(nodes: readonly Node[], source: Source): PsArgument {
  if (nodes.length === 1) return toArgument(nodes[0]!, source);
  const first = nodes[0]!;
  const last = nodes.at(-1)!;
  const text = source.text.slice(first.startIndex, last.endIndex);
  if (isVariable(first) && !textOf(nodes[1]!, source).startsWith(',')) return { kind: 'expression', text, value: text, range: { start: rangeOf(first).start, end: rangeOf(last).end } };
  const items = nodes.map((n) => toArgument(n, source)).flatMap((a) => (a.kind === 'array' ? (a.items ?? []) : [a]));
  return { kind: 'array', text, value: text, range: { start: rangeOf(first).start, end: rangeOf(last).end }, items };
}

function toArgument(node: Node, source: Source): PsArgument {
  const named = node.namedChildren.filter((c): c is Node => !!c);
  if ((node.type === 'array_literal_expression' || node.type === 'unary_expression') && named.length === 1) return toArgument(named[0]!, source);
  const text = textOf(node, source);
  const base = { text, range: rangeOf(node) };
  if (source.placeholders.get(node.startIndex) === node.endIndex) return { ...base, kind: 'bare', value: text };
  switch (node.type) {
    case 'array_literal_expression':
      return { ...base, kind: 'array', value: text, items: named.map((n) => toArgument(n, source)) };
    case 'expression_with_unary_operator':
      // `,x`: an array of one item.
      if (text.startsWith(',') && named.length === 1) return { ...base, kind: 'array', value: text, items: [toArgument(named[0]!, source)] };
      return { ...base, kind: 'expression', value: text };
    case 'string_literal':
      return { ...base, kind: 'string', value: unquote(text) };
    case 'generic_token':
    case 'command_parameter':
      return { ...base, kind: 'bare', value: text };
    case 'variable':
      return { ...base, kind: 'variable', value: text };
    case 'hash_literal_expression':
      return { ...base, kind: 'hashtable', value: text, entries: hashEntries(node, source) };
    default:
      return { ...base, kind: 'expression', value: text };
  }
}

function hashEntries(node: Node, source: Source): PsHashEntry[] {
  const entries: PsHashEntry[] = [];
  for (const entry of node.descendantsOfType('hash_entry')) {
    if (!entry) continue;
    const key = entry.namedChildren.find((c) => c?.type === 'key_expression');
    const valueNode = entry.namedChildren.find((c) => c?.type === 'pipeline');
    const literal = valueNode?.descendantsOfType('array_literal_expression')[0];
    const values = literal ? [toArgument(literal, source)].flatMap((a) => (a.kind === 'array' ? (a.items ?? []) : [a])) : [];
    entries.push({ key: key ? textOf(key, source) : '', values });
  }
  return entries;
}

/** `"x"`, `'x'`, `@"…"@` → x (with `''` un-doubled in single-quoted strings). */
function unquote(text: string): string {
  const here = /^@(["'])\r?\n([\s\S]*?)\r?\n\1@$/.exec(text);
  if (here) return here[2]!;
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.endsWith(text[0]!)) {
    const inner = text.slice(1, -1);
    return text[0] === "'" ? inner.replace(/''/g, "'") : inner;
  }
  return text;
}
