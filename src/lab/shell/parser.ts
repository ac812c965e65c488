/**
 * Parser for one line of PowerShell, following the real tokenizer's two modes: a statement
 * that starts with a value (`$x`, `'text'`, `[Console]::…`, `(…)`) is parsed in expression
 * mode, anything else is a command in argument mode where unquoted words are strings and
 * `-Name` tokens are parameters. En dash, em dash and horizontal bar count as dashes, and
 * curly quotes as quotes, as in Windows PowerShell (runbooks are pasted from web pages).
 */
import type { CommandArg, CommandElement, Expr, Extent, PipelineElement, Statement, StringPart } from './ast';

export class ParseError extends Error {
  constructor(
    message: string,
    /** FullyQualifiedErrorId of the ParseException. */
    readonly errorId: string,
    readonly extent: Extent,
  ) {
    super(message);
  }
}

const DASHES = '-\u2013\u2014\u2015';
const SINGLE_QUOTES = '\'\u2018\u2019\u201a\u201b';
const DOUBLE_QUOTES = '"\u201c\u201d\u201e';
/** Characters that end an unquoted argument. */
const ARG_END = ' \t|;,(){}';

const isDash = (c: string | undefined) => c !== undefined && DASHES.includes(c);
const isIdentStart = (c: string | undefined) => c !== undefined && /[\p{L}_?]/u.test(c);
const isIdent = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

const COMPARISON_OPS = ['eq', 'ne', 'like', 'notlike', 'match', 'notmatch', 'gt', 'ge', 'lt', 'le', 'contains', 'notcontains', 'in', 'notin', 'ieq', 'ine', 'ceq', 'cne'];
const LOGICAL_OPS = ['and', 'or'];

export function parseLine(text: string): Statement[] {
  return new Parser(text).parseStatements(undefined);
}

class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  // ── statements ──────────────────────────────────────────────────────────────────────────

  /** Statements separated by `;`, up to the end of the line or the `close` character. */
  parseStatements(close: ')' | '}' | undefined): Statement[] {
    const out: Statement[] = [];
    for (;;) {
      this.skipSpaceAndComments();
      const c = this.peek();
      if (c === undefined) {
        if (close) throw this.missingClose(close);
        return out;
      }
      if (c === close) return out;
      if (c === ';') {
        this.pos++;
        continue;
      }
      out.push(this.parseStatement(close));
      this.skipSpaceAndComments();
      const next = this.peek();
      if (next === ';') this.pos++;
      else if (next !== undefined && next !== close) throw this.unexpected();
    }
  }

  private parseStatement(close: string | undefined): Statement {
    const start = this.pos;
    if (this.atKeyword('exit')) {
      this.pos += 4;
      this.skipSpace();
      const c = this.peek();
      const code = c === undefined || c === ';' || c === close ? undefined : this.parseExpression();
      return { kind: 'exit', code, extent: { start, end: this.pos } };
    }
    if (this.atKeyword('try')) return this.parseTry(start);
    const c = this.peek();
    if ((c === '.' || c === '&') && /[\s($[{'"]/.test(this.src[this.pos + 1] ?? '')) {
      this.pos++;
      this.skipSpace();
      const target = this.parsePostfix(this.parsePrimary());
      return this.parsePipelineFrom({ kind: 'invoke', target, extent: { start, end: this.pos } }, start);
    }
    if (this.startsExpression()) {
      const first = this.parseExpression();
      this.skipSpace();
      if (this.peek() === '=' && this.src[this.pos + 1] !== '=') {
        if (first.kind !== 'variable' && first.kind !== 'member' && first.kind !== 'static') {
          throw new ParseError('The assignment expression is not valid. The input to an assignment operator must be an object that is able to accept assignments, such as a variable or a property.', 'InvalidLeftHandSide', first.extent);
        }
        this.pos++;
        this.skipSpace();
        if (this.peek() === undefined) throw new ParseError("You must provide a value expression following the '=' operator.", 'ExpectedValueExpression', { start: this.pos, end: this.pos });
        const value = this.parseStatement(close);
        return { kind: 'assign', target: first, value, extent: { start, end: this.pos } };
      }
      return this.parsePipelineFrom({ kind: 'expr', expr: first, extent: first.extent }, start);
    }
    return this.parsePipelineFrom(this.parseCommand(), start);
  }

  /** `try { … } catch [Type] { … } finally { … }` (catch and finally each optional, not both). */
  private parseTry(start: number): Statement {
    this.pos += 3;
    const body = this.parseBlock();
    let catchBody: Statement[] | undefined;
    let finallyBody: Statement[] | undefined;
    this.skipSpace();
    if (this.atKeyword('catch')) {
      this.pos += 5;
      this.skipSpace();
      while (this.peek() === '[') {
        this.readTypeLiteral();
        this.skipSpace();
        if (this.peek() === ',') this.pos++;
        this.skipSpace();
      }
      catchBody = this.parseBlock();
      this.skipSpace();
    }
    if (this.atKeyword('finally')) {
      this.pos += 7;
      finallyBody = this.parseBlock();
    }
    if (!catchBody && !finallyBody) {
      throw new ParseError('The Try statement is missing its Catch or Finally block.', 'MissingCatchOrFinally', { start: this.pos, end: this.pos });
    }
    return { kind: 'try', body, catchBody, finallyBody, extent: { start, end: this.pos } };
  }

  private parseBlock(): Statement[] {
    this.skipSpace();
    if (this.peek() !== '{') throw new ParseError("Missing '{' in a statement block.", 'MissingOpenBraceInStatementBlock', { start: this.pos, end: this.pos });
    this.pos++;
    const statements = this.parseStatements('}');
    this.pos++;
    return statements;
  }

  private parsePipelineFrom(first: PipelineElement, start: number): Statement {
    const elements: PipelineElement[] = [first];
    for (;;) {
      this.skipSpace();
      if (this.peek() !== '|') break;
      const barAt = this.pos;
      this.pos++;
      this.skipSpace();
      const c = this.peek();
      if (c === undefined || c === '|' || c === ';' || c === ')' || c === '}') {
        throw new ParseError('An empty pipe element is not allowed.', 'EmptyPipeElement', { start: barAt, end: barAt + 1 });
      }
      if (this.startsExpression()) {
        throw new ParseError('Expressions are only allowed as the first element of a pipeline.', 'ExpressionsMustBeFirstInPipeline', { start: this.pos, end: this.pos + 1 });
      }
      elements.push(this.parseCommand());
    }
    return { kind: 'pipeline', elements, extent: { start, end: this.pos } };
  }

  private startsExpression(): boolean {
    const c = this.peek();
    const n = this.src[this.pos + 1];
    if (c === undefined) return false;
    if (c === '$' || c === '(' || c === '[' || c === '@' || SINGLE_QUOTES.includes(c) || DOUBLE_QUOTES.includes(c)) return true;
    if (/[0-9]/.test(c)) return true;
    return isDash(c) && n !== undefined && /[0-9]/.test(n);
  }

  // ── commands (argument mode) ────────────────────────────────────────────────────────────

  private parseCommand(): CommandElement {
    const start = this.pos;
    const name = this.readArgumentWord();
    if (!name) throw this.unexpected();
    const nameExtent = { start, end: this.pos };
    const args: CommandArg[] = [];
    for (;;) {
      this.skipSpaceAndComments();
      const c = this.peek();
      if (c === undefined || c === '|' || c === ';' || c === ')' || c === '}') break;
      const argStart = this.pos;
      if (isDash(c) && isIdentStart(this.src[this.pos + 1])) {
        this.pos++;
        let pname = '';
        while (this.peek() !== undefined && !ARG_END.includes(this.peek() as string) && this.peek() !== ':') pname += this.src[this.pos++];
        if (this.peek() === ':') {
          this.pos++;
          const extent = { start: argStart, end: this.pos };
          this.skipSpace();
          const v = this.peek();
          if (v === undefined || v === '|' || v === ';') {
            throw new ParseError(`Missing argument in parameter list.`, 'MissingArgument', extent);
          }
          const value = this.parseArgumentValue();
          args.push({ kind: 'param', name: pname, value, extent: { start: argStart, end: extent.end } });
        } else {
          args.push({ kind: 'param', name: pname, extent: { start: argStart, end: this.pos } });
        }
        continue;
      }
      const value = this.parseArgumentValue();
      args.push({ kind: 'arg', value, extent: value.extent });
    }
    return { kind: 'command', name, nameExtent, args, extent: { start, end: this.pos } };
  }

  /** An argument: one value, or several separated by commas (an array). */
  private parseArgumentValue(): Expr {
    return this.parseCommaList(() => this.parseArgumentPrimary());
  }

  private parseArgumentPrimary(): Expr {
    const c = this.peek();
    const start = this.pos;
    if (c === '$' || c === '(' || c === '@' || c === '{' || (c !== undefined && (SINGLE_QUOTES.includes(c) || DOUBLE_QUOTES.includes(c)))) {
      return this.parsePostfix(this.parsePrimary());
    }
    const word = this.readArgumentWord();
    if (!word) throw this.unexpected();
    const extent = { start, end: this.pos };
    if (/^[+-]?\d+(\.\d+)?$/.test(word)) return { kind: 'number', value: Number(word), extent };
    return { kind: 'bareword', value: word, extent };
  }

  private readArgumentWord(): string {
    let s = '';
    while (this.peek() !== undefined && !ARG_END.includes(this.peek() as string)) s += this.src[this.pos++];
    return s;
  }

  // ── expressions ─────────────────────────────────────────────────────────────────────────

  private parseExpression(): Expr {
    let left = this.parseComparison();
    for (;;) {
      const op = this.peekOperator(LOGICAL_OPS);
      if (!op) return left;
      this.pos += op.length + 1;
      this.skipSpace();
      const right = this.parseComparison();
      left = { kind: 'binary', op, left, right, extent: { start: left.extent.start, end: right.extent.end } };
    }
  }

  private parseComparison(): Expr {
    let left = this.parseAdditive();
    for (;;) {
      const op = this.peekOperator(COMPARISON_OPS);
      if (!op) return left;
      this.pos += op.length + 1;
      this.skipSpace();
      const right = this.parseAdditive();
      left = { kind: 'binary', op: op.replace(/^[ic]/, ''), left, right, extent: { start: left.extent.start, end: right.extent.end } };
    }
  }

  /** `a + b`: concatenation or addition (the comma binds tighter, as in PowerShell). */
  private parseAdditive(allowComma = true): Expr {
    const operand = () => (allowComma ? this.parseArrayLiteral() : this.parseUnary());
    let left = operand();
    for (;;) {
      const save = this.pos;
      this.skipSpace();
      if (this.peek() !== '+') {
        this.pos = save;
        return left;
      }
      this.pos++;
      this.skipSpace();
      const right = operand();
      left = { kind: 'binary', op: '+', left, right, extent: { start: left.extent.start, end: right.extent.end } };
    }
  }

  /** `a, b, c` in expression mode. */
  private parseArrayLiteral(): Expr {
    return this.parseCommaList(() => this.parseUnary());
  }

  /** `item`, or `item, item, …` as an array (spaces allowed around the commas). */
  private parseCommaList(parseItem: () => Expr): Expr {
    const first = parseItem();
    const items = [first];
    for (;;) {
      const save = this.pos;
      this.skipSpace();
      if (this.peek() !== ',') {
        this.pos = save;
        break;
      }
      this.pos++;
      this.skipSpace();
      if (this.peek() === undefined) throw new ParseError('Missing expression after \',\'.', 'MissingExpressionAfterToken', { start: this.pos - 1, end: this.pos });
      items.push(parseItem());
    }
    return items.length === 1 ? first : { kind: 'array', items, extent: { start: first.extent.start, end: this.pos } };
  }

  private parseUnary(): Expr {
    const start = this.pos;
    if (this.peek() === '!' || this.peekOperator(['not'])) {
      this.pos += this.peek() === '!' ? 1 : 4;
      this.skipSpace();
      const operand = this.parseUnary();
      return { kind: 'not', operand, extent: { start, end: this.pos } };
    }
    if (this.peek() === '[') {
      const type = this.readTypeLiteral();
      if (this.src.startsWith('::', this.pos)) {
        this.pos += 2;
        const name = this.readIdentifier();
        if (this.peek() === '(') {
          const args = this.parseCallArguments();
          const target: Expr = { kind: 'type', type, extent: { start, end: start + type.length + 2 } };
          return this.parsePostfix({ kind: 'call', target, method: name, args, extent: { start, end: this.pos } });
        }
        return this.parsePostfix({ kind: 'static', type, name, extent: { start, end: this.pos } });
      }
      this.skipSpace();
      if (this.peek() === undefined || this.peek() === ')' || this.peek() === ';' || this.peek() === '|') {
        return { kind: 'type', type, extent: { start, end: this.pos } };
      }
      const operand = this.parseUnary();
      return { kind: 'cast', type, operand, extent: { start, end: this.pos } };
    }
    if (isDash(this.peek()) && /[0-9]/.test(this.src[this.pos + 1] ?? '')) {
      this.pos++;
      const n = this.parseUnary();
      if (n.kind !== 'number') throw this.unexpected();
      return { kind: 'number', value: -n.value, extent: { start, end: this.pos } };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePrimary(): Expr {
    const start = this.pos;
    const c = this.peek();
    if (c === undefined) throw new ParseError('You must provide a value expression following the operator.', 'ExpectedValueExpression', { start, end: start });
    if (SINGLE_QUOTES.includes(c)) return this.readSingleQuoted();
    if (DOUBLE_QUOTES.includes(c)) return this.readDoubleQuoted();
    if (c === '$') {
      if (this.src[this.pos + 1] === '(') {
        this.pos += 2;
        return this.finishSub(start, false);
      }
      return this.readVariable();
    }
    if (c === '(') {
      this.pos++;
      return this.finishSub(start, false);
    }
    if (c === '@' && this.src[this.pos + 1] === '(') {
      this.pos += 2;
      return this.finishSub(start, true);
    }
    if (c === '@' && this.src[this.pos + 1] === '{') {
      this.pos += 2;
      return this.finishHashtable(start);
    }
    if (c === '{') {
      this.pos++;
      const statements = this.parseStatements('}');
      this.pos++;
      return { kind: 'scriptblock', statements, text: this.src.slice(start + 1, this.pos - 1), extent: { start, end: this.pos } };
    }
    const m = /^\d+(\.\d+)?/.exec(this.src.slice(this.pos));
    if (m) {
      this.pos += m[0].length;
      return { kind: 'number', value: Number(m[0]), extent: { start, end: this.pos } };
    }
    throw this.unexpected();
  }

  /** `.Name`, `.Method(args)` and `::Name` directly attached to a value. */
  private parsePostfix(target: Expr): Expr {
    let e = target;
    for (;;) {
      if (this.peek() === '.' && isIdentStart(this.src[this.pos + 1])) {
        this.pos++;
        const name = this.readIdentifier();
        if (this.peek() === '(') {
          const args = this.parseCallArguments();
          e = { kind: 'call', target: e, method: name, args, extent: { start: target.extent.start, end: this.pos } };
        } else {
          e = { kind: 'member', target: e, name, extent: { start: target.extent.start, end: this.pos } };
        }
        continue;
      }
      return e;
    }
  }

  /** `(a, b)` after a method name. */
  private parseCallArguments(): Expr[] {
    this.pos++;
    const args: Expr[] = [];
    this.skipSpace();
    while (this.peek() !== ')') {
      if (this.peek() === undefined) throw this.missingClose(')');
      args.push(this.parseAdditive(false));
      this.skipSpace();
      if (this.peek() === ',') {
        this.pos++;
        this.skipSpace();
      } else if (this.peek() !== ')') throw this.missingClose(')');
    }
    this.pos++;
    return args;
  }

  private finishSub(start: number, arrayForced: boolean): Expr {
    const statements = this.parseStatements(')');
    this.pos++;
    return { kind: 'sub', statements, arrayForced, extent: { start, end: this.pos } };
  }

  private finishHashtable(start: number): Expr {
    const entries: { key: string; value: Expr }[] = [];
    for (;;) {
      this.skipSpaceAndComments();
      const c = this.peek();
      if (c === undefined) throw new ParseError('The hash literal was incomplete.', 'IncompleteHashLiteral', { start, end: this.pos });
      if (c === '}') {
        this.pos++;
        return { kind: 'hashtable', entries, extent: { start, end: this.pos } };
      }
      if (c === ';') {
        this.pos++;
        continue;
      }
      const keyStart = this.pos;
      let key: string;
      if (SINGLE_QUOTES.includes(c)) key = (this.readSingleQuoted() as { value: string }).value;
      else if (DOUBLE_QUOTES.includes(c)) key = this.stringValueOf(this.readDoubleQuoted());
      else {
        key = '';
        while (this.peek() !== undefined && /[^\s=;}]/.test(this.peek() as string)) key += this.src[this.pos++];
      }
      if (!key) throw this.unexpected();
      this.skipSpace();
      if (this.peek() !== '=') throw new ParseError("Missing '=' operator after key in hash literal.", 'MissingEqualsInHashLiteral', { start: keyStart, end: this.pos });
      this.pos++;
      this.skipSpace();
      if (this.peek() === undefined || this.peek() === '}' || this.peek() === ';') {
        throw new ParseError("Missing statement after '=' in hash literal.", 'MissingStatementInHashLiteral', { start: this.pos, end: this.pos });
      }
      entries.push({ key, value: this.parseExpression() });
    }
  }

  private stringValueOf(e: Expr): string {
    if (e.kind === 'string') return e.value;
    if (e.kind === 'expandable') return e.parts.map((p) => (typeof p === 'string' ? p : '')).join('');
    return '';
  }

  // ── tokens ──────────────────────────────────────────────────────────────────────────────

  private readSingleQuoted(): Expr {
    const start = this.pos;
    this.pos++;
    let value = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new ParseError("The string is missing the terminator: '.", 'TerminatorExpectedAtEndOfString', { start, end: this.src.length });
      this.pos++;
      if (SINGLE_QUOTES.includes(c)) {
        if (this.peek() !== undefined && SINGLE_QUOTES.includes(this.peek() as string)) {
          value += this.src[this.pos++];
          continue;
        }
        return { kind: 'string', value, extent: { start, end: this.pos } };
      }
      value += c;
    }
  }

  private readDoubleQuoted(): Expr {
    const start = this.pos;
    this.pos++;
    const parts: StringPart[] = [];
    let text = '';
    const flush = () => {
      if (text) parts.push(text);
      text = '';
    };
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new ParseError('The string is missing the terminator: ".', 'TerminatorExpectedAtEndOfString', { start, end: this.src.length });
      if (DOUBLE_QUOTES.includes(c)) {
        this.pos++;
        if (this.peek() !== undefined && DOUBLE_QUOTES.includes(this.peek() as string)) {
          text += this.src[this.pos++];
          continue;
        }
        flush();
        if (parts.every((p) => typeof p === 'string')) return { kind: 'string', value: parts.join(''), extent: { start, end: this.pos } };
        return { kind: 'expandable', parts, extent: { start, end: this.pos } };
      }
      if (c === '`') {
        const n = this.src[this.pos + 1];
        if (n === undefined) {
          this.pos++;
          continue;
        }
        text += ESCAPES[n] ?? n;
        this.pos += 2;
        continue;
      }
      if (c === '$') {
        const n = this.src[this.pos + 1];
        if (n === '(') {
          flush();
          const s = this.pos;
          this.pos += 2;
          parts.push(this.finishSub(s, false));
          continue;
        }
        if (n === '{' || isIdentStart(n) || n === '_') {
          flush();
          parts.push(this.readVariable());
          continue;
        }
      }
      text += c;
      this.pos++;
    }
  }

  private readVariable(): Expr {
    const start = this.pos;
    this.pos++;
    let name = '';
    if (this.peek() === '{') {
      this.pos++;
      while (this.peek() !== undefined && this.peek() !== '}') name += this.src[this.pos++];
      if (this.peek() !== '}') throw this.missingClose('}');
      this.pos++;
    } else {
      if (this.peek() === '_' && !isIdent(this.src[this.pos + 1])) {
        this.pos++;
        name = '_';
      } else {
        // `$env:NAME`-style scoped names keep their scope prefix.
        while (isIdent(this.peek()) || (this.peek() === ':' && isIdentStart(this.src[this.pos + 1]) && !name.includes(':'))) name += this.src[this.pos++];
      }
    }
    if (!name) {
      return { kind: 'bareword', value: '$', extent: { start, end: this.pos } };
    }
    return { kind: 'variable', name, extent: { start, end: this.pos } };
  }

  private readTypeLiteral(): string {
    const start = this.pos;
    this.pos++;
    let depth = 1;
    let type = '';
    while (this.peek() !== undefined) {
      const c = this.src[this.pos++];
      if (c === '[') depth++;
      if (c === ']' && --depth === 0) return type.trim();
      type += c;
    }
    throw new ParseError("Missing ] at end of type token.", 'EndSquareBracketExpectedAtEndOfType', { start, end: this.pos });
  }

  private readIdentifier(): string {
    let s = '';
    while (isIdent(this.peek())) s += this.src[this.pos++];
    return s;
  }

  /** A `-op` operator at the current position (after optional spaces); position unchanged. */
  private peekOperator(ops: string[]): string | undefined {
    const save = this.pos;
    this.skipSpace();
    const at = this.pos;
    this.pos = save;
    if (!isDash(this.src[at])) return undefined;
    const m = /^[a-z]+/i.exec(this.src.slice(at + 1));
    if (!m || !ops.includes(m[0].toLowerCase())) return undefined;
    this.pos = at;
    return m[0].toLowerCase();
  }

  private atKeyword(word: string): boolean {
    const after = this.src[this.pos + word.length];
    return this.src.slice(this.pos, this.pos + word.length).toLowerCase() === word && (after === undefined || /[\s;]/.test(after));
  }

  private peek(): string | undefined {
    return this.src[this.pos];
  }

  private skipSpace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  private skipSpaceAndComments(): void {
    this.skipSpace();
    if (this.peek() === '#') this.pos = this.src.length;
  }

  private unexpected(): ParseError {
    const start = this.pos;
    let end = start + 1;
    while (end < this.src.length && !/\s/.test(this.src[end])) end++;
    return new ParseError(`Unexpected token '${this.src.slice(start, end)}' in expression or statement.`, 'UnexpectedToken', { start, end });
  }

  private missingClose(close: string): ParseError {
    const at = { start: this.pos, end: this.pos };
    if (close === ')') return new ParseError("Missing closing ')' in expression.", 'MissingEndParenthesisInExpression', at);
    return new ParseError("Missing closing '}' in statement block or type definition.", 'MissingEndCurlyBrace', at);
  }
}

const ESCAPES: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
