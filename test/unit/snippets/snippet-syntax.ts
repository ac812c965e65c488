/**
 * A checker for VS Code snippet bodies: parses `$1`, `${1}`, `${1:default}` (nested),
 * `${1|a,b|}`, `$VAR`/`${VAR:default}` and the escapes `\$`, `\}`, `\\` (plus `\,`, `\|` in
 * choices), as VS Code's SnippetParser does, and renders the text a snippet inserts.
 *
 * Stricter than VS Code where VS Code silently does something else than the author meant: an
 * unknown variable (`$null`, `$_` — VS Code turns it into a placeholder and drops the `$`), a `$`
 * that starts nothing, an unclosed `${` and transforms are errors.
 */

export type SnippetNode =
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'tabstop'; readonly index: number }
  | { readonly kind: 'placeholder'; readonly index: number; readonly children: readonly SnippetNode[] }
  | { readonly kind: 'choice'; readonly index: number; readonly options: readonly string[] }
  | { readonly kind: 'variable'; readonly name: string; readonly children: readonly SnippetNode[] };

/** The variables VS Code resolves in snippets. */
const VARIABLES = new Set([
  'TM_SELECTED_TEXT', 'TM_CURRENT_LINE', 'TM_CURRENT_WORD', 'TM_LINE_INDEX', 'TM_LINE_NUMBER', 'TM_FILENAME',
  'TM_FILENAME_BASE', 'TM_DIRECTORY', 'TM_FILEPATH', 'RELATIVE_FILEPATH', 'CLIPBOARD', 'WORKSPACE_NAME',
  'WORKSPACE_FOLDER', 'CURSOR_INDEX', 'CURSOR_NUMBER', 'CURRENT_YEAR', 'CURRENT_YEAR_SHORT', 'CURRENT_MONTH',
  'CURRENT_MONTH_NAME', 'CURRENT_MONTH_NAME_SHORT', 'CURRENT_DATE', 'CURRENT_DAY_NAME', 'CURRENT_DAY_NAME_SHORT',
  'CURRENT_HOUR', 'CURRENT_MINUTE', 'CURRENT_SECOND', 'CURRENT_SECONDS_UNIX', 'CURRENT_TIMEZONE_OFFSET', 'RANDOM',
  'RANDOM_HEX', 'UUID', 'BLOCK_COMMENT_START', 'BLOCK_COMMENT_END', 'LINE_COMMENT',
]);

export class SnippetSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at offset ${offset}`);
  }
}

export function parseSnippet(body: string): SnippetNode[] {
  let i = 0;
  const fail = (message: string): never => {
    throw new SnippetSyntaxError(message, i);
  };

  const readInt = (): number | undefined => {
    const m = /^\d+/.exec(body.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return Number(m[0]);
  };
  const readName = (): string | undefined => {
    const m = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(body.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return m[0];
  };

  /** Nodes until the end of the body (`nested` false) or an unescaped `}` (`nested` true, consumed). */
  function sequence(nested: boolean): SnippetNode[] {
    const nodes: SnippetNode[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push({ kind: 'text', value: text });
      text = '';
    };
    while (i < body.length) {
      const c = body[i]!;
      if (c === '\\' && '$}\\'.includes(body[i + 1] ?? '')) {
        text += body[i + 1];
        i += 2;
      } else if (c === '}' && nested) {
        i++;
        flush();
        return nodes;
      } else if (c === '$') {
        flush();
        nodes.push(dollar());
      } else {
        text += c;
        i++;
      }
    }
    if (nested) fail('unclosed ${');
    flush();
    return nodes;
  }

  function dollar(): SnippetNode {
    i++; // $
    const index = readInt();
    if (index !== undefined) return { kind: 'tabstop', index };
    const bare = readName();
    if (bare !== undefined) return variable(bare, []);
    if (body[i] !== '{') return fail('a $ that starts no tabstop or variable (escape it as \\$)');
    i++; // {
    const n = readInt();
    if (n !== undefined) {
      const next = body[i];
      if (next === '}') {
        i++;
        return { kind: 'tabstop', index: n };
      }
      if (next === ':') {
        i++;
        return { kind: 'placeholder', index: n, children: sequence(true) };
      }
      if (next === '|') {
        i++;
        return { kind: 'choice', index: n, options: choiceOptions() };
      }
      return fail(next === '/' ? 'transforms are not supported' : `unexpected "${next ?? 'end'}" after \${${n}`);
    }
    const name = readName();
    if (name === undefined) return fail('${ must be followed by a number or a variable name');
    if (body[i] === '}') {
      i++;
      return variable(name, []);
    }
    if (body[i] === ':') {
      i++;
      return variable(name, sequence(true));
    }
    return fail(`unexpected "${body[i] ?? 'end'}" after \${${name}`);
  }

  function variable(name: string, children: SnippetNode[]): SnippetNode {
    if (!VARIABLES.has(name)) fail(`unknown variable $${name} (a literal $ must be written \\$)`);
    return { kind: 'variable', name, children };
  }

  function choiceOptions(): string[] {
    const options: string[] = [];
    let option = '';
    while (i < body.length) {
      const c = body[i]!;
      if (c === '\\' && ',|\\'.includes(body[i + 1] ?? '')) {
        option += body[i + 1];
        i += 2;
      } else if (c === ',') {
        options.push(option);
        option = '';
        i++;
      } else if (c === '|') {
        if (body[i + 1] !== '}') fail('a choice must end with |}');
        i += 2;
        options.push(option);
        if (options.some((o) => o === '')) fail('empty choice option');
        return options;
      } else {
        option += c;
        i++;
      }
    }
    return fail('unclosed choice');
  }

  return sequence(false);
}

export interface Tabstop {
  readonly index: number;
  /** Choices offered at this tabstop, when it is a choice. */
  readonly options?: readonly string[];
  /** The text each occurrence inserts by default. */
  readonly defaults: readonly string[];
}

function walk(nodes: readonly SnippetNode[], visit: (node: SnippetNode) => void): void {
  for (const node of nodes) {
    visit(node);
    if (node.kind === 'placeholder' || node.kind === 'variable') walk(node.children, visit);
  }
}

/** The tabstops of a parsed snippet by index; `$0` included when present. */
export function tabstops(nodes: readonly SnippetNode[]): Map<number, Tabstop> {
  const found = new Map<number, { options?: readonly string[]; defaults: string[] }>();
  walk(nodes, (node) => {
    if (node.kind !== 'tabstop' && node.kind !== 'placeholder' && node.kind !== 'choice') return;
    const entry = found.get(node.index) ?? { defaults: [] };
    if (node.kind === 'choice') {
      entry.options = node.options;
      entry.defaults.push(node.options[0]!);
    } else if (node.kind === 'placeholder') entry.defaults.push(render(node.children));
    found.set(node.index, entry);
  });
  return new Map([...found].map(([index, t]) => [index, { index, defaults: t.defaults, ...(t.options ? { options: t.options } : {}) }]));
}

/**
 * The text the snippet inserts: `fill(index)` when it returns a value, else the placeholder's
 * default (mirrors of a placeholder insert the same text), the first choice, or nothing.
 */
export function render(nodes: readonly SnippetNode[], fill: (index: number) => string | undefined = () => undefined): string {
  const firstDefault = new Map<number, string>();
  walk(nodes, (node) => {
    if (firstDefault.has((node as { index?: number }).index ?? -1)) return;
    if (node.kind === 'choice') firstDefault.set(node.index, node.options[0]!);
    if (node.kind === 'placeholder') firstDefault.set(node.index, renderDefaults(node.children));
  });
  function renderDefaults(children: readonly SnippetNode[]): string {
    return children.map((n) => (n.kind === 'text' ? n.value : n.kind === 'placeholder' ? renderDefaults(n.children) : n.kind === 'choice' ? n.options[0]! : '')).join('');
  }
  const out = (list: readonly SnippetNode[]): string =>
    list
      .map((n) => {
        switch (n.kind) {
          case 'text':
            return n.value;
          case 'variable':
            return out(n.children);
          default:
            return fill(n.index) ?? firstDefault.get(n.index) ?? '';
        }
      })
      .join('');
  return out(nodes);
}
