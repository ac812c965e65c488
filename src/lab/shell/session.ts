/**
 * One PowerShell session of the stand-in (one node-powershell process): runs each stdin line
 * as PowerShell would — statement by statement, errors to stderr in 5.1's format, objects
 * through Out-Default to stdout — and keeps the session's variables.
 */
import type { CommandElement, Expr, Statement } from './ast';
import { bind, type EvaluatedArg } from './binder';
import type { Command, InvocationContext, ShellEnvironment } from './commands';
import { PsError, formatErrorRecord, fullyQualifiedErrorId, type ErrorRecordInit } from './errors';
import { formatForHost } from './format';
import { ParseError, parseLine } from './parser';
import { LyncError } from '../lync/state';
import { PS_CUSTOM_OBJECT, PsHashtable, PsObject, PsScriptBlock, psEquals, psLike, toPsString, type PsValue } from './values';

export interface OutputLine {
  readonly stream: 'out' | 'err';
  readonly text: string;
  /** Written with `[Console]::Out/Error.WriteLine`, which ends lines with the writer's NewLine. */
  readonly console?: boolean;
}

export interface SessionReply {
  lines: OutputLine[];
  /** `[Console]::Out.NewLine = …` / `[Console]::Error.NewLine = …` assignments. */
  newLine?: { out?: string; err?: string };
  /** The process must exit with this code (`exit`, or the pwsh-crash fault). */
  exit?: number;
  /** The command never completes (the pwsh-hang fault). */
  hang?: boolean;
}

/** Exit code of the stand-in when the `pwsh-crash` fault fires (a .NET fail-fast on Windows). */
export const CRASH_EXIT_CODE = 255;

const ALIASES: Record<string, string> = {
  select: 'Select-Object',
  where: 'Where-Object',
  '?': 'Where-Object',
  '%': 'ForEach-Object',
  foreach: 'ForEach-Object',
  echo: 'Write-Output',
  write: 'Write-Output',
  ipmo: 'Import-Module',
};

/** Signals that stop the whole line: the process exits or hangs. */
class StopLine {
  constructor(readonly reply: Partial<SessionReply>) {}
}

export class ShellSession {
  private readonly vars = new Map<string, PsValue>();
  private reply: SessionReply = { lines: [] };
  private line = '';

  constructor(
    private readonly env: ShellEnvironment,
    private readonly commands: ReadonlyMap<string, Command>,
  ) {}

  execute(line: string): SessionReply {
    this.reply = { lines: [] };
    this.line = line;
    let statements: Statement[];
    try {
      statements = parseLine(line);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.writeError({ message: e.message, category: 'ParserError', reason: 'ParentContainsErrorRecordException', errorId: e.errorId, extent: e.extent }, true);
      return this.reply;
    }
    try {
      for (const st of statements) {
        this.env.faults.observeAll();
        try {
          const out = this.runStatement(st, undefined);
          for (const text of formatForHost(out)) this.reply.lines.push({ stream: 'out', text });
        } catch (e) {
          if (e instanceof PsError) this.writeError(e.record);
          else throw e;
        }
      }
    } catch (e) {
      if (!(e instanceof StopLine)) throw e;
      Object.assign(this.reply, e.reply);
    }
    return this.reply;
  }

  private writeError(record: ErrorRecordInit, isParseError = false): void {
    for (const text of formatErrorRecord(record, this.line, isParseError)) this.reply.lines.push({ stream: 'err', text });
  }

  // ── statements and pipelines ────────────────────────────────────────────────────────────

  private runStatement(st: Statement, underscore: PsValue | undefined): PsValue[] {
    if (st.kind === 'exit') {
      const code = st.code ? Number(toPsString(this.evaluate(st.code, underscore))) : 0;
      throw new StopLine({ exit: Number.isInteger(code) ? code : 0 });
    }
    if (st.kind === 'assign') {
      this.assign(st.target, collapse(this.runStatement(st.value, underscore)), underscore);
      return [];
    }
    if (st.kind === 'try') return this.runTry(st, underscore);
    let items: PsValue[] = [];
    let hasInput = false;
    for (const el of st.elements) {
      if (el.kind === 'expr') {
        items = enumerate(this.evaluate(el.expr, underscore));
      } else if (el.kind === 'invoke') {
        items = this.invokeTarget(this.evaluate(el.target, underscore), el.extent, underscore);
      } else {
        items = this.runCommand(el, items, hasInput, underscore);
      }
      hasInput = true;
    }
    return items;
  }

  /** try/catch/finally: every error of the stand-in is terminating, so catch sees them all. */
  private runTry(st: Extract<Statement, { kind: 'try' }>, underscore: PsValue | undefined): PsValue[] {
    const out: PsValue[] = [];
    try {
      for (const s of st.body) out.push(...this.runStatement(s, underscore));
    } catch (e) {
      if (!(e instanceof PsError) || !st.catchBody) throw e;
      const record = errorRecordObject(e);
      for (const s of st.catchBody) out.push(...this.runStatement(s, record));
    } finally {
      for (const s of st.finallyBody ?? []) out.push(...this.runStatement(s, underscore));
    }
    return out;
  }

  /** `. $block` / `& $block`. */
  private invokeTarget(target: PsValue, extent: { start: number; end: number }, underscore: PsValue | undefined): PsValue[] {
    if (!(target instanceof PsScriptBlock)) {
      throw runtimeError(`The expression after '.' in a pipeline element produced an object that was not valid. It must result in a command name, a script block, or a CommandInfo object.`, 'BadExpression', extent);
    }
    try {
      return (target.body as Statement[]).flatMap((st) => this.runStatement(st, underscore));
    } catch (e) {
      if (e instanceof PsError && target.source !== undefined && e.record.source === undefined) throw new PsError({ ...e.record, source: target.source });
      throw e;
    }
  }

  private assign(target: Expr, value: PsValue, underscore: PsValue | undefined): void {
    if (target.kind === 'variable') {
      this.vars.set(target.name.toLowerCase(), value);
      return;
    }
    if (target.kind === 'member' && target.target.kind === 'static' && isConsole(target.target.type)) {
      if (target.name.toLowerCase() === 'newline') {
        const stream = target.target.name.toLowerCase() === 'error' ? 'err' : 'out';
        this.reply.newLine = { ...this.reply.newLine, [stream]: toPsString(value) };
      }
      return;
    }
    if (target.kind === 'static') return; // [Console]::OutputEncoding = … : output is UTF-8 already.
    if (target.kind === 'member') {
      const obj = this.evaluate(target.target, underscore);
      if (obj instanceof PsObject && obj.has(target.name)) {
        obj.set(target.name, value);
        return;
      }
      throw runtimeError(`The property '${target.name}' cannot be found on this object. Verify that the property exists and can be set.`, 'PropertyAssignmentException', target.extent);
    }
  }

  private runCommand(el: CommandElement, input: PsValue[], hasInput: boolean, underscore: PsValue | undefined): PsValue[] {
    const name = ALIASES[el.name.toLowerCase()] ?? el.name;
    const cmd = this.commands.get(name.toLowerCase());
    if (!cmd) {
      throw new PsError({
        message: `The term '${el.name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
        category: 'ObjectNotFound',
        reason: 'CommandNotFoundException',
        errorId: 'CommandNotFoundException',
        commandName: el.name,
        activity: '',
        targetName: el.name,
        targetType: 'String',
        extent: el.nameExtent,
      });
    }
    const args: EvaluatedArg[] = el.args.map((arg) => {
      if (arg.kind === 'param') return { arg, value: arg.value ? this.evaluate(arg.value, underscore) : undefined };
      return { arg, value: this.evaluate(arg.value, underscore) };
    });
    const binding = bind(cmd, el, args, { pipelineInput: hasInput });
    const verbose = binding.values.get('Verbose') === true;
    const ctx: InvocationContext = {
      binding,
      input,
      hasInput,
      element: el,
      env: this.env,
      verbose: (m) => verbose && this.reply.lines.push({ stream: 'out', text: `VERBOSE: ${m}` }),
      warn: (m) => this.reply.lines.push({ stream: 'out', text: `WARNING: ${m}` }),
      invokeBlock: (block, item) => this.invokeBlock(block, item),
      format: (items) => formatForHost(items),
    };
    if (/^[a-z]+-cs/i.test(cmd.name)) this.shellFaults();
    if (cmd.stateChanging && binding.values.get('WhatIf') === true && cmd.whatIf) {
      const w = cmd.whatIf(ctx);
      this.reply.lines.push({ stream: 'out', text: `What if: Performing the operation "${w.operation}" on target "${w.target}".` });
      return [];
    }
    try {
      if (cmd.stateChanging && this.env.faults.take('cmdlet-error')) {
        throw new PsError({
          message: 'Command execution failed: Unable to access the Central Management Store. The operation timed out before a response was received from the database server.',
          category: 'InvalidOperation',
          reason: 'ManagementException',
          errorId: 'ProcessingFailed',
        });
      }
      return cmd.run(ctx).flatMap((v) => enumerate(v));
    } catch (e) {
      if (e instanceof LyncError) {
        throw new PsError({ message: e.message, category: e.category, reason: e.exceptionType, errorId: 'ProcessingFailed', commandName: cmd.name, commandClass: cmd.className, extent: el.extent });
      }
      if (e instanceof PsError && e.record.commandName === undefined) {
        throw new PsError({ commandName: cmd.name, commandClass: cmd.className, extent: el.extent, ...e.record });
      }
      throw e;
    }
  }

  /** `pwsh-hang` / `pwsh-crash`: the next Lync cmdlet never answers / kills the process. */
  private shellFaults(): void {
    if (this.env.faults.take('pwsh-hang')) throw new StopLine({ hang: true });
    if (this.env.faults.take('pwsh-crash')) {
      throw new StopLine({
        exit: CRASH_EXIT_CODE,
        lines: [
          ...this.reply.lines,
          { stream: 'err', text: 'Unhandled Exception: System.AccessViolationException: Attempted to read or write protected memory. This is often an indication that other memory is corrupt.' },
        ],
      });
    }
  }

  private invokeBlock(block: PsScriptBlock, item: PsValue): PsValue[] {
    return (block.body as Statement[]).flatMap((st) => this.runStatement(st, item));
  }

  // ── expressions ─────────────────────────────────────────────────────────────────────────

  evaluate(e: Expr, underscore: PsValue | undefined): PsValue {
    switch (e.kind) {
      case 'string':
      case 'bareword':
        return e.value;
      case 'number':
        return e.value;
      case 'expandable':
        return e.parts.map((p) => (typeof p === 'string' ? p : toPsString(this.evaluate(p, underscore)))).join('');
      case 'variable':
        return this.variable(e.name, underscore);
      case 'member':
        return member(this.evaluate(e.target, underscore), e.name);
      case 'static':
        return `${e.type}::${e.name}`;
      case 'type':
        return e.type;
      case 'call':
        return this.call(e, underscore);
      case 'cast':
        return this.cast(e.type, this.evaluate(e.operand, underscore), e);
      case 'array':
        return e.items.map((x) => this.evaluate(x, underscore));
      case 'hashtable': {
        const h = new PsHashtable();
        for (const { key, value } of e.entries) h.set(key, this.evaluate(value, underscore));
        return h;
      }
      case 'sub': {
        const out = e.statements.flatMap((st) => this.runStatement(st, underscore));
        return e.arrayForced ? out : collapse(out);
      }
      case 'scriptblock':
        return new PsScriptBlock(e.text, e.statements);
      case 'not':
        return !truthy(this.evaluate(e.operand, underscore));
      case 'binary':
        return this.binary(e.op, this.evaluate(e.left, underscore), this.evaluate(e.right, underscore));
    }
  }

  private variable(name: string, underscore: PsValue | undefined): PsValue {
    const n = name.toLowerCase();
    if (n === 'null') return null;
    if (n === 'true') return true;
    if (n === 'false') return false;
    if (n === '_' || n === 'psitem') return underscore ?? null;
    // Undefined variables are $null, as in PowerShell without Set-StrictMode.
    return this.vars.get(n) ?? null;
  }

  private call(e: Extract<Expr, { kind: 'call' }>, underscore: PsValue | undefined): PsValue {
    const method = e.method.toLowerCase();
    if (e.target.kind === 'static' && isConsole(e.target.type) && (method === 'writeline' || method === 'write')) {
      const stream = e.target.name.toLowerCase() === 'error' ? 'err' : 'out';
      const text = e.args.map((a) => toPsString(this.evaluate(a, underscore))).join('');
      this.reply.lines.push({ stream, text, console: true });
      return null;
    }
    if (e.target.kind === 'type' && /^(system\.management\.automation\.)?scriptblock$/i.test(e.target.type) && method === 'create' && e.args.length === 1) {
      const text = toPsString(this.evaluate(e.args[0], underscore));
      try {
        return new PsScriptBlock(text, parseLine(text), text);
      } catch (err) {
        if (!(err instanceof ParseError)) throw err;
        throw new PsError({ message: `Exception calling "Create" with "1" argument(s): "${err.message}"`, category: 'NotSpecified', reason: 'MethodInvocationException', errorId: 'ParseException', activity: '', extent: e.extent });
      }
    }
    const target = this.evaluate(e.target, underscore);
    const args = e.args.map((a) => this.evaluate(a, underscore));
    if (method === 'tostring' && args.length === 0) return toPsString(target);
    if (typeof target === 'string') {
      if (method === 'trim') return target.trim();
      if (method === 'tolower') return target.toLowerCase();
      if (method === 'toupper') return target.toUpperCase();
      if (method === 'contains' && args.length === 1) return target.includes(toPsString(args[0]));
    }
    throw runtimeError(`Method invocation failed because [${typeOf(target)}] does not contain a method named '${e.method}'.`, 'MethodNotFound', e.extent);
  }

  private cast(type: string, v: PsValue, e: Expr): PsValue {
    const t = type.toLowerCase().replace(/^system\./, '');
    if (t === 'string') return toPsString(v);
    if (t === 'int' || t === 'int32' || t === 'long' || t === 'int64') {
      const n = Number(toPsString(v));
      if (!Number.isFinite(n)) throw runtimeError(`Cannot convert value "${toPsString(v)}" to type "System.Int32". Error: "Input string was not in a correct format."`, 'InvalidCastFromStringToInteger', e.extent);
      return Math.round(n);
    }
    if (t === 'bool' || t === 'boolean') return truthy(v);
    if (t === 'array' || t === 'object[]') return Array.isArray(v) ? v : v === null ? [] : [v];
    if (t === 'pscustomobject' || t === 'management.automation.pscustomobject') {
      if (v instanceof PsHashtable) return new PsObject(PS_CUSTOM_OBJECT, v.entries(), '');
      return v;
    }
    throw runtimeError(`Unable to find type [${type}].`, 'TypeNotFound', e.extent);
  }

  private binary(op: string, l: PsValue, r: PsValue): PsValue {
    if (op === '+') return add(l, r);
    if (op === 'and') return truthy(l) && truthy(r);
    if (op === 'or') return truthy(l) || truthy(r);
    const scalar = (x: PsValue): boolean => {
      switch (op) {
        case 'eq':
          return psEquals(x, r);
        case 'ne':
          return !psEquals(x, r);
        case 'like':
          return psLike(toPsString(x), toPsString(r));
        case 'notlike':
          return !psLike(toPsString(x), toPsString(r));
        case 'match':
          return new RegExp(toPsString(r), 'i').test(toPsString(x));
        case 'notmatch':
          return !new RegExp(toPsString(r), 'i').test(toPsString(x));
        case 'gt':
        case 'ge':
        case 'lt':
        case 'le': {
          const a = typeof x === 'number' ? x : toPsString(x);
          const b = typeof a === 'number' ? Number(toPsString(r)) : toPsString(r);
          return op === 'gt' ? a > b : op === 'ge' ? a >= b : op === 'lt' ? a < b : a <= b;
        }
        case 'contains':
          return (Array.isArray(x) ? x : [x]).some((i) => psEquals(i, r));
        case 'notcontains':
          return !(Array.isArray(x) ? x : [x]).some((i) => psEquals(i, r));
        case 'in':
          return (Array.isArray(r) ? r : [r]).some((i) => psEquals(x, i));
        case 'notin':
          return !(Array.isArray(r) ? r : [r]).some((i) => psEquals(x, i));
      }
      return false;
    };
    // With a collection on the left, comparison operators filter it.
    if (Array.isArray(l) && !['contains', 'notcontains', 'in', 'notin'].includes(op)) return l.filter((x) => scalar(x));
    return scalar(l);
  }
}

/** `+`: array concatenation, string concatenation or numeric addition, by the left operand. */
function add(l: PsValue, r: PsValue): PsValue {
  if (l === null) return r;
  if (Array.isArray(l)) return [...l, ...(Array.isArray(r) ? r : [r])];
  if (typeof l === 'number') {
    const n = typeof r === 'number' ? r : Number(toPsString(r));
    if (Number.isFinite(n)) return l + n;
  }
  return toPsString(l) + toPsString(r);
}

/** `$_` in a catch block: an ErrorRecord whose text is the message. */
function errorRecordObject(e: PsError): PsObject {
  const r = e.record;
  const category = new PsObject('System.Management.Automation.ErrorCategoryInfo', [
    ['Category', r.category],
    ['Activity', r.activity ?? r.commandName ?? ''],
    ['Reason', r.reason],
    ['TargetName', r.targetName ?? ''],
    ['TargetType', r.targetType ?? ''],
  ], `${r.category}: (${r.targetName ?? ''}:${r.targetType ?? ''}) [${r.activity ?? r.commandName ?? ''}], ${r.reason}`);
  return new PsObject('System.Management.Automation.ErrorRecord', [
    ['Exception', new PsObject(`System.${r.reason}`, [['Message', r.message]], r.message)],
    ['TargetObject', r.targetName ?? null],
    ['CategoryInfo', category],
    ['FullyQualifiedErrorId', fullyQualifiedErrorId(r)],
  ], r.message);
}

function isConsole(type: string): boolean {
  return /^(system\.)?console$/i.test(type);
}

function runtimeError(message: string, errorId: string, extent: { start: number; end: number }): PsError {
  return new PsError({ message, category: 'InvalidOperation', reason: 'RuntimeException', errorId, activity: '', extent });
}

function typeOf(v: PsValue): string {
  if (typeof v === 'string') return 'System.String';
  if (Array.isArray(v)) return 'System.Object[]';
  if (v instanceof PsObject) return v.typeName;
  return 'System.Object';
}

/** Member access; on a collection it is member enumeration (the values of every element). */
export function member(target: PsValue, name: string): PsValue {
  if (Array.isArray(target)) {
    if (/^(count|length)$/i.test(name)) return target.length;
    return target.flatMap((t) => enumerate(member(t, name))).filter((x) => x !== null);
  }
  if (target instanceof PsObject) return target.get(name) ?? null;
  if (target instanceof PsHashtable) return target.get(name) ?? (/^count$/i.test(name) ? target.keys().length : null);
  if (typeof target === 'string' && /^length$/i.test(name)) return target.length;
  if (target !== null && /^count$/i.test(name)) return 1;
  return null;
}

export function enumerate(v: PsValue): PsValue[] {
  return Array.isArray(v) ? v : [v];
}

/** A pipeline's output as one value: nothing → $null, one → itself, more → an array. */
export function collapse(items: PsValue[]): PsValue {
  if (items.length === 0) return null;
  return items.length === 1 ? items[0] : items;
}

export function truthy(v: PsValue): boolean {
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 1 || (v.length === 1 && truthy(v[0]));
  return true;
}
