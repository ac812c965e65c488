/**
 * Bare words that are items of a list in command-argument position: `Select-Object Name, Id`,
 * `-ActiveServers a.x.com, b.x.com`, `-DatabaseType PersistentChat,PersistentChatCompliance`.
 *
 * Why this exists: tree-sitter-powershell lexes a bare command-mode word as `generic_token`, whose
 * pattern stops at `,`, and its only list form in argument position (`command_argument_sep
 * array_literal_expression`) takes expression-mode items (`unary_expression`: strings, numbers,
 * variables, parenthesised expressions). A list with a bare word in it has no derivation: `a, b`
 * ends in an ERROR, and `a,b` is silently read as two arguments, `a` and `,b`, with a MISSING
 * separator between them. PowerShell reads both as one array argument.
 *
 * The parser replaces each word found here by a number literal of the same length (an item the
 * grammar accepts, ranges unchanged) and maps it back to a bare word. This is a small lexer, not a
 * PowerShell parser: it only has to tell command arguments from command names and expressions,
 * and the parser keeps the rewritten parse only when it has fewer errors than the original one.
 */

export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

/** Where the lexer is in a statement. */
type Mode =
  | 'start' // the next item is a command name or an expression
  | 'callee' // after `&` or `.`: the next item is the command, whatever it looks like
  | 'command' // after the command name: items are arguments
  | 'expression'; // an expression statement, a keyword's head, a hash literal: bare words are not arguments

type Previous =
  | { readonly kind: 'comma' }
  | { readonly kind: 'parameter'; readonly colon: boolean }
  | { readonly kind: 'item'; readonly bare?: TextSpan; readonly argument: boolean };

/** Keywords followed by a condition or a name, not by a command. */
const EXPRESSION_KEYWORDS = new Set(['if', 'elseif', 'while', 'for', 'foreach', 'switch', 'until', 'function', 'filter', 'workflow', 'param', 'class', 'enum', 'using', 'catch', 'trap', 'data', 'configuration']);
/** Keywords followed by a statement (or a block): what comes next is in command position again. */
const STATEMENT_KEYWORDS = new Set(['return', 'throw', 'exit', 'else', 'try', 'finally', 'begin', 'process', 'end', 'do', 'dynamicparam']);
const ASSIGNMENT = /^[+*/%]?=$/;
const ASSIGNMENT_OPERATOR = /^[+*/%]?=(?!=)/;
/** Words the grammar already reads as number literals. */
const NUMBER = /^\d+(\.\d+)?$/;
/** The grammar's `generic_token`: first character, then the rest (a backtick escapes a character). */
const BARE_START = /[^()$"'\-{}@|[`&\s,;#]/;
const BARE_END = /[&\s(){}|;,]/;

export function bareListItems(text: string): TextSpan[] {
  const found: TextSpan[] = [];
  const n = text.length;
  let i = 0;
  let mode: Mode = 'start';
  let previous: Previous | undefined;
  /** End of the last token: a token glued to the previous item is part of it (`$a.b`, `"x"y`). */
  let lastEnd = -1;
  const stack: { mode: Mode; previous: Previous | undefined; argument: boolean }[] = [];

  const add = (span: TextSpan) => {
    if (found.at(-1)?.start !== span.start) found.push(span);
  };
  const terminate = () => {
    mode = 'start';
    previous = undefined;
  };
  /** A new item (word, string, variable, group) begins: is it a command argument? */
  const beginItem = (bareWord?: string): boolean => {
    if (mode === 'start') {
      const lower = bareWord?.toLowerCase();
      if (lower === undefined || NUMBER.test(lower) || EXPRESSION_KEYWORDS.has(lower)) mode = 'expression';
      else if (lower === '.') mode = 'callee';
      else if (!STATEMENT_KEYWORDS.has(lower)) mode = 'command';
      return false;
    }
    if (mode === 'callee') {
      mode = 'command';
      return false;
    }
    return mode === 'command';
  };
  const glued = (start: number) => start === lastEnd && previous !== undefined && previous.kind !== 'comma' && !(previous.kind === 'parameter' && previous.colon);
  /** An item that is not a bare word (string, variable, group, type literal) from `start` to `i`. */
  const otherItem = (start: number, argument?: boolean) => {
    const arg = argument ?? (glued(start) ? false : beginItem());
    previous = { kind: 'item', argument: arg };
    lastEnd = i;
  };

  const skipSingleQuoted = () => {
    for (i++; i < n; i++) {
      if (text[i] !== "'") continue;
      if (text[i + 1] === "'") i++;
      else return void i++;
    }
  };
  const skipDoubleQuoted = () => {
    for (i++; i < n; i++) {
      const c = text[i];
      if (c === '`') i++;
      else if (c === '$' && text[i + 1] === '(') {
        i++;
        skipBalanced();
        i--;
      } else if (c === '"') {
        if (text[i + 1] === '"') i++;
        else return void i++;
      }
    }
  };
  /** From an opening `(`, `{` or `[` to after its match, over strings. */
  const skipBalanced = () => {
    let depth = 0;
    for (; i < n; ) {
      const c = text[i]!;
      if (c === "'") skipSingleQuoted();
      else if (c === '"') skipDoubleQuoted();
      else {
        if (c === '(' || c === '{' || c === '[') depth++;
        else if (c === ')' || c === '}' || c === ']') depth--;
        i++;
        if (depth === 0) return;
      }
    }
  };
  const skipToLineEnd = () => {
    while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
  };

  while (i < n) {
    const c = text[i]!;
    const start = i;
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff') {
      i++;
    } else if (c === '`' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\r' ? 3 : 2; // line continuation
    } else if (c === '\n' || c === '\r') {
      i++;
      if (previous?.kind !== 'comma') terminate(); // a list goes on after a comma at the end of a line
    } else if (c === '#') {
      skipToLineEnd();
    } else if (c === '<' && text[i + 1] === '#') {
      const close = text.indexOf('#>', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === ';') {
      i++;
      terminate();
    } else if (c === '|' || (c === '&' && text[i + 1] === '&')) {
      i += text[i + 1] === c ? 2 : 1;
      terminate();
    } else if (c === '&') {
      i++;
      if (text[start - 1] === '>') {
        while (i < n && /\d/.test(text[i]!)) i++; // `2>&1`
        lastEnd = i;
      } else if (mode === 'start') mode = 'callee';
      else terminate(); // background job
    } else if (c === ',') {
      i++;
      if (previous?.kind === 'item' && previous.argument && previous.bare) add(previous.bare);
      previous = { kind: 'comma' };
      lastEnd = i;
    } else if (c === '(' || c === '{' || ((c === '$' || c === '@') && text[i + 1] === '(') || (c === '@' && text[i + 1] === '{')) {
      // A group is one item of its statement; inside, statements start again (a hash literal's keys are not commands).
      const argument = glued(start) ? false : beginItem();
      stack.push({ mode, previous, argument });
      i += c === '(' || c === '{' ? 1 : 2;
      mode = c === '@' && text[start + 1] === '{' ? 'expression' : 'start';
      previous = undefined;
      lastEnd = i;
    } else if (c === ')' || c === '}') {
      i++;
      const outer = stack.pop();
      if (outer) {
        mode = outer.mode;
        previous = outer.previous;
        otherItem(i, outer.argument);
      } else terminate(); // unbalanced: the grammar reports it
    } else if (c === '[') {
      skipBalanced();
      otherItem(start);
    } else if (c === "'" || c === '"') {
      if (c === "'") skipSingleQuoted();
      else skipDoubleQuoted();
      otherItem(start);
    } else if (c === '@' && (text[i + 1] === '"' || text[i + 1] === "'")) {
      const close = text.indexOf(`\n${text[i + 1]}@`, i + 2);
      i = close < 0 ? n : close + 3;
      otherItem(start);
    } else if (c === '$') {
      i++;
      if (text[i] === '{') {
        const close = text.indexOf('}', i);
        i = close < 0 ? n : close + 1;
      } else while (i < n && /[\w:?^$]/.test(text[i]!)) i++;
      otherItem(start);
    } else if (c === '-' && text.startsWith('--%', i)) {
      skipToLineEnd(); // stop-parsing token: the rest of the line is verbatim
    } else if (c === '-' && /[A-Za-z_?-]/.test(text[i + 1] ?? '')) {
      // A parameter in command mode, an operator (`-eq`, `-not`) in an expression.
      for (i++; i < n && /[\w?\-`]/.test(text[i]!); i++);
      const colon = text[i] === ':';
      if (colon) i++;
      if (mode === 'start') mode = 'expression';
      previous = { kind: 'parameter', colon };
      lastEnd = i;
    } else if (mode === 'expression' && ASSIGNMENT_OPERATOR.test(text.slice(i, i + 3))) {
      i += c === '=' ? 1 : 2; // `$x=…`: the right-hand side of an assignment is a statement
      terminate();
    } else {
      // A bare word (the grammar's generic_token), or any other character.
      i++;
      if (BARE_START.test(c)) {
        while (i < n && !BARE_END.test(text[i]!)) i += text[i] === '`' ? 2 : 1;
        i = Math.min(i, n);
      }
      const word = text.slice(start, i);
      if (ASSIGNMENT.test(word)) {
        terminate(); // the right-hand side of an assignment is a statement
        continue;
      }
      if (glued(start)) {
        // `$a.b`, `(x).y`, `"a"b`: part of the previous item, which is then no bare word.
        previous = previous?.kind === 'item' ? { kind: 'item', argument: previous.argument } : previous;
        lastEnd = i;
        continue;
      }
      const argument = beginItem(word);
      const span = { start, end: i };
      const bare = BARE_START.test(c) && !NUMBER.test(word) ? span : undefined;
      if (argument && bare && previous?.kind === 'comma') add(bare);
      previous = { kind: 'item', argument, ...(bare ? { bare } : {}) };
      lastEnd = i;
    }
  }
  return found;
}
