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
 * parameter remembers the dash that was written, for the `en-dash-parameter` rule.
 */
import type { Node, Parser } from 'web-tree-sitter';
import type * as TreeSitter from 'web-tree-sitter';
import type { Range } from '../text';
import { isSwitchParameter } from './cmdlets';
import type { PsArgument, PsCommand, PsHashEntry, PsParameter } from './model';

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
  readonly syntaxErrors: readonly Range[];
}

export interface PowerShellParser {
  parse(blockText: string): ParsedPowerShell;
}

const UNICODE_DASHES = /[\u2013\u2014\u2015]/g;
const CACHE_LIMIT = 20_000;

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
  private readonly cache = new Map<string, ParsedPowerShell>();

  constructor(private readonly parser: Parser) {}

  parse(blockText: string): ParsedPowerShell {
    const hit = this.cache.get(blockText);
    if (hit) return hit;
    const result = this.parseUncached(blockText);
    // Blocks rarely repeat across many edits; a full reset keeps memory bounded without LRU book-keeping.
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(blockText, result);
    return result;
  }

  private parseUncached(text: string): ParsedPowerShell {
    const normalised = text.replace(UNICODE_DASHES, '-');
    const tree = this.parser.parse(normalised);
    if (!tree) return { commands: [], syntaxErrors: [] };
    try {
      const commands: PsCommand[] = [];
      const syntaxErrors: Range[] = [];
      const visit = (node: Node): void => {
        if (node.type === 'command' || (node.isError && node.children.some((c) => c?.type === 'command_name'))) {
          const command = toCommand(node, text);
          if (command) commands.push(command);
        }
        if (node.isError || node.isMissing) syntaxErrors.push(rangeOf(node));
        for (const child of node.namedChildren) if (child) visit(child);
      };
      visit(tree.rootNode);
      commands.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
      return { commands, syntaxErrors };
    } finally {
      tree.delete();
    }
  }
}

const rangeOf = (node: Node): Range => ({
  start: { line: node.startPosition.row, character: node.startPosition.column },
  end: { line: node.endPosition.row, character: node.endPosition.column },
});

function toCommand(node: Node, original: string): PsCommand | undefined {
  const nameNode = node.children.find((c) => c?.type === 'command_name');
  if (!nameNode) return undefined;
  const name = nameNode.text;
  // In an ERROR node the elements are direct children; in a command they sit in command_elements.
  const elementsNode = node.children.find((c) => c?.type === 'command_elements');
  const elements = (elementsNode ? elementsNode.children : node.children).filter(
    (c): c is Node => !!c && c !== nameNode && c.type !== 'command_argument_sep' && c.type !== 'comment' && !(c.isError && c.text.trim() === ''),
  );
  const parameters: PsParameter[] = [];
  const positional: PsArgument[] = [];
  for (let i = 0; i < elements.length; i++) {
    const el = elements[i]!;
    if (el.type !== 'command_parameter') {
      positional.push(toArgument(el));
      continue;
    }
    const written = el.text;
    const colon = written.endsWith(':');
    const paramName = written.slice(1, colon ? -1 : undefined);
    const next = elements[i + 1];
    // `-Switch` takes no value unless written `-Switch:$false`.
    const takesValue = next !== undefined && next.type !== 'command_parameter' && (colon || !isSwitchParameter(name, paramName));
    parameters.push({
      name: paramName,
      dash: original.charAt(el.startIndex),
      range: rangeOf(el),
      ...(takesValue ? { value: toArgument(next) } : {}),
    });
    if (takesValue) i++;
  }
  return { name, nameRange: rangeOf(nameNode), parameters, positional, range: rangeOf(node), text: node.text };
}

function toArgument(node: Node): PsArgument {
  const named = node.namedChildren.filter((c): c is Node => !!c);
  if ((node.type === 'array_literal_expression' || node.type === 'unary_expression') && named.length === 1) return toArgument(named[0]!);
  const base = { text: node.text, range: rangeOf(node) };
  switch (node.type) {
    case 'array_literal_expression':
      return { ...base, kind: 'array', value: node.text, items: named.map(toArgument) };
    case 'string_literal':
      return { ...base, kind: 'string', value: unquote(node.text) };
    case 'generic_token':
      return { ...base, kind: 'bare', value: node.text };
    case 'variable':
      return { ...base, kind: 'variable', value: node.text };
    case 'hash_literal_expression':
      return { ...base, kind: 'hashtable', value: node.text, entries: hashEntries(node) };
    default:
      return { ...base, kind: 'expression', value: node.text };
  }
}

function hashEntries(node: Node): PsHashEntry[] {
  const entries: PsHashEntry[] = [];
  for (const entry of node.descendantsOfType('hash_entry')) {
    if (!entry) continue;
    const key = entry.namedChildren.find((c) => c?.type === 'key_expression');
    const valueNode = entry.namedChildren.find((c) => c?.type === 'pipeline');
    const literal = valueNode?.descendantsOfType('array_literal_expression')[0];
    const values = literal ? [toArgument(literal)].flatMap((a) => (a.kind === 'array' ? (a.items ?? []) : [a])) : [];
    entries.push({ key: key?.text ?? '', values });
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
