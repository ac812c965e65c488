/**
 * Scalar expressions of the lab's SELECT: column references, literals, @parameters, @@globals,
 * CAST/CONVERT, the built-in functions admins use around these catalog views, aggregates
 * (MIN/MAX/COUNT/SUM), comparisons, IS [NOT] NULL, [NOT] IN, [NOT] LIKE, AND/OR/NOT.
 * Parsing builds a small tree; compiling binds names against the FROM sources (raising 207/209/4104
 * like SQL Server) and returns a closure with the result type.
 */
import { msg, SqlError } from '../model/sql-error';
import type { ExecContext } from './context';
import type { Parser } from './parser';
import { type Column, type SqlType, type SqlValue, T } from './types';
import { compareValues, convertValue, like } from './values';

export type Expr =
  | { readonly k: 'lit'; readonly value: SqlValue; readonly type: SqlType }
  | { readonly k: 'col'; readonly parts: readonly string[] }
  | { readonly k: 'star'; readonly qualifier?: string }
  | { readonly k: 'var'; readonly name: string }
  | { readonly k: 'sysvar'; readonly name: string }
  | { readonly k: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly star: boolean }
  | { readonly k: 'cast'; readonly expr: Expr; readonly type: SqlType; readonly style?: Expr }
  | { readonly k: 'cmp'; readonly op: string; readonly left: Expr; readonly right: Expr }
  | { readonly k: 'logic'; readonly op: 'AND' | 'OR'; readonly left: Expr; readonly right: Expr }
  | { readonly k: 'not'; readonly expr: Expr }
  | { readonly k: 'isnull'; readonly expr: Expr; readonly negated: boolean }
  | { readonly k: 'in'; readonly expr: Expr; readonly list: readonly Expr[]; readonly negated: boolean }
  | { readonly k: 'like'; readonly expr: Expr; readonly pattern: Expr; readonly negated: boolean }
  | { readonly k: 'neg'; readonly expr: Expr };

// ---------------------------------------------------------------- parsing

export function parseExpression(p: Parser): Expr {
  let left = parseAnd(p);
  while (p.acceptWord('OR')) left = { k: 'logic', op: 'OR', left, right: parseAnd(p) };
  return left;
}

function parseAnd(p: Parser): Expr {
  let left = parseNot(p);
  while (p.acceptWord('AND')) left = { k: 'logic', op: 'AND', left, right: parseNot(p) };
  return left;
}

function parseNot(p: Parser): Expr {
  if (p.acceptWord('NOT')) return { k: 'not', expr: parseNot(p) };
  return parsePredicate(p);
}

const COMPARISONS = ['=', '<>', '!=', '<', '>', '<=', '>=', '!<', '!>'];

function parsePredicate(p: Parser): Expr {
  const left = parseUnary(p);
  const t = p.peek();
  if (t.kind === 'op' && COMPARISONS.includes(t.value)) {
    p.next();
    return { k: 'cmp', op: t.value, left, right: parseUnary(p) };
  }
  if (p.acceptWord('IS')) {
    const negated = !!p.acceptWord('NOT');
    p.expectWord('NULL');
    return { k: 'isnull', expr: left, negated };
  }
  const negated = p.atWord('NOT') && (p.atWord('IN', 1) || p.atWord('LIKE', 1));
  if (negated) p.next();
  if (p.acceptWord('IN')) {
    p.expectOp('(');
    const list = [parseUnary(p)];
    while (p.acceptOp(',')) list.push(parseUnary(p));
    p.expectOp(')');
    return { k: 'in', expr: left, list, negated };
  }
  if (p.acceptWord('LIKE')) return { k: 'like', expr: left, pattern: parseUnary(p), negated };
  if (negated) throw p.error();
  return left;
}

function parseUnary(p: Parser): Expr {
  if (p.acceptOp('-')) return { k: 'neg', expr: parseUnary(p) };
  return parsePrimary(p);
}

function parsePrimary(p: Parser): Expr {
  const t = p.peek();
  if (t.kind === 'string') {
    p.next();
    return { k: 'lit', value: t.value, type: t.unicode ? T.nvarchar(Math.max(1, t.value.length)) : T.varchar(Math.max(1, t.value.length)) };
  }
  if (t.kind === 'number') {
    p.next();
    if (/^\d+$/.test(t.value)) {
      const n = BigInt(t.value);
      return n < 2n ** 31n ? { k: 'lit', value: Number(n), type: T.int } : { k: 'lit', value: n, type: T.decimal(t.value.length, 0) };
    }
    return { k: 'lit', value: Number(t.value), type: T.float };
  }
  if (t.kind === 'var') {
    p.next();
    return { k: 'var', name: t.value };
  }
  if (t.kind === 'sysvar') {
    p.next();
    return { k: 'sysvar', name: t.value.toUpperCase() };
  }
  if (p.acceptOp('(')) {
    const e = parseExpression(p);
    p.expectOp(')');
    return e;
  }
  if (p.atOp('*')) {
    p.next();
    return { k: 'star' };
  }
  if (p.acceptWord('NULL')) return { k: 'lit', value: null, type: T.int };
  if (p.atWord('CAST') && p.atOp('(', 1)) {
    p.next();
    p.next();
    const expr = parseExpression(p);
    p.expectWord('AS');
    const type = p.dataType();
    p.expectOp(')');
    return { k: 'cast', expr, type };
  }
  if (p.atWord('CONVERT') && p.atOp('(', 1)) {
    p.next();
    p.next();
    const type = p.dataType();
    p.expectOp(',');
    const expr = parseExpression(p);
    const style = p.acceptOp(',') ? parseExpression(p) : undefined;
    p.expectOp(')');
    return style ? { k: 'cast', expr, type, style } : { k: 'cast', expr, type };
  }
  if (t.kind === 'word' && p.atOp('(', 1) && !['IN', 'EXISTS'].includes(t.value.toUpperCase())) {
    p.next();
    p.next();
    const args: Expr[] = [];
    let star = false;
    if (p.acceptOp('*')) star = true;
    else if (!p.atOp(')')) {
      p.acceptWord('DISTINCT');
      args.push(parseExpression(p));
      while (p.acceptOp(',')) args.push(parseExpression(p));
    }
    p.expectOp(')');
    return { k: 'call', name: t.value.toUpperCase(), args, star };
  }
  if (p.atIdentifier()) {
    const parts = [p.identifier()];
    while (p.atOp('.')) {
      p.next();
      if (p.atOp('*')) {
        p.next();
        return { k: 'star', qualifier: parts.join('.') };
      }
      parts.push(p.identifier());
    }
    return { k: 'col', parts };
  }
  throw p.error();
}

// ---------------------------------------------------------------- compiling

/** One table source of a FROM clause, as names resolve against it. */
export interface Source {
  readonly alias: string;
  /** Accepted qualifiers: the alias if any, else the table name (and its schema-qualified forms). */
  readonly qualifiers: readonly string[];
  readonly columns: readonly Column[];
}

/** A row of the FROM clause: one row per source (all NULL for an unmatched LEFT JOIN side). */
export type RowCtx = readonly (readonly SqlValue[])[];

/** The rows an output row stands for: one row, or a GROUP BY group. */
export interface Group {
  readonly first: RowCtx;
  readonly rows: readonly RowCtx[];
}

export interface Compiled {
  readonly type: SqlType;
  /** Output column name: the column's name for a column reference, else ''. */
  readonly name: string;
  readonly hasAggregate: boolean;
  /** Columns referenced outside aggregates, as `source:column` keys (GROUP BY checks). */
  readonly refs: readonly string[];
  /** The bound column key when the expression is a plain column reference. */
  readonly columnKey?: string;
  eval(g: Group): SqlValue;
}

const AGGREGATES = new Set(['MIN', 'MAX', 'COUNT', 'SUM']);

function truth(v: SqlValue): boolean {
  return v === true;
}

function bindColumn(parts: readonly string[], sources: readonly Source[]): { src: number; col: number; key: string; column: Column } {
  const name = parts[parts.length - 1]!;
  const qualifier = parts.slice(0, -1).join('.').toLowerCase();
  let found: { src: number; col: number; key: string; column: Column } | undefined;
  let matchedQualifier = false;
  sources.forEach((s, src) => {
    if (qualifier && !s.qualifiers.some((q) => q.toLowerCase() === qualifier)) return;
    matchedQualifier = true;
    const col = s.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
    if (col < 0) return;
    if (found) throw new SqlError(msg.ambiguousColumn(name));
    found = { src, col, key: `${src}:${col}`, column: s.columns[col]! };
  });
  if (!found) throw new SqlError(qualifier && !matchedQualifier ? msg.unboundIdentifier(parts.join('.')) : msg.invalidColumn(name));
  return found;
}

function nvarchar(value: SqlValue, length = 128): { type: SqlType; value: SqlValue } {
  return { type: T.nvarchar(length), value };
}

/** @@globals: the ones clients and admins use. */
function systemVariable(name: string, x: ExecContext): { type: SqlType; value: SqlValue } {
  const { session } = x;
  switch (name) {
    case '@@SERVERNAME':
      return nvarchar(session.instance.serverName);
    case '@@SERVICENAME':
      return nvarchar(session.instance.instanceName?.toUpperCase() ?? 'MSSQLSERVER');
    case '@@VERSION':
      return nvarchar(session.instance.version.text, 300);
    case '@@SPID':
      return { type: T.smallint, value: session.spid };
    case '@@TRANCOUNT':
      return { type: T.int, value: session.tranCount };
    case '@@LANGUAGE':
      return nvarchar('us_english');
    default:
      throw new SqlError(msg.undeclaredVariable(name));
  }
}

function serverProperty(name: string, x: ExecContext): SqlValue {
  const inst = x.session.instance;
  const props: Record<string, SqlValue> = {
    servername: inst.serverName, machinename: inst.machineName, instancename: inst.instanceName?.toUpperCase() ?? null,
    productversion: inst.version.productVersion, productlevel: inst.version.productLevel, edition: inst.version.edition,
    // IsHadrEnabled came with SQL Server 2012; older releases return NULL for a property they do not know.
    ishadrenabled: inst.version.major >= 11 ? 0 : null, isclustered: 0,
    collation: 'SQL_Latin1_General_CP1_CI_AS',
  };
  return props[name.toLowerCase()] ?? null;
}

export function compileExpr(e: Expr, sources: readonly Source[], x: ExecContext): Compiled {
  const c = (sub: Expr) => compileExpr(sub, sources, x);
  const scalar = (type: SqlType, name: string, parts: readonly Compiled[], f: (g: Group) => SqlValue): Compiled => ({
    type, name, hasAggregate: parts.some((p) => p.hasAggregate), refs: parts.flatMap((p) => p.refs), eval: f,
  });
  switch (e.k) {
    case 'lit':
      return scalar(e.type, '', [], () => e.value);
    case 'col': {
      const b = bindColumn(e.parts, sources);
      return { type: b.column.type, name: b.column.name, hasAggregate: false, refs: [b.key], columnKey: b.key, eval: (g) => g.first[b.src]![b.col]! };
    }
    case 'star':
      throw new SqlError(msg.syntax('*'));
    case 'var': {
      const p = x.params.get(e.name.toLowerCase());
      if (!p) throw new SqlError(msg.undeclaredVariable(e.name));
      return scalar(p.type, '', [], () => p.value);
    }
    case 'sysvar': {
      const v = systemVariable(e.name, x);
      return scalar(v.type, '', [], () => v.value);
    }
    case 'cast': {
      const inner = c(e.expr);
      const style = e.style ? c(e.style) : undefined;
      return scalar(e.type, '', style ? [inner, style] : [inner], (g) => {
        const s = style?.eval(g);
        return convertValue(inner.eval(g), inner.type, e.type, typeof s === 'number' ? s : undefined);
      });
    }
    case 'cmp': {
      const l = c(e.left);
      const r = c(e.right);
      return scalar(T.bit, '', [l, r], (g) => {
        const cmp = compareValues(l.eval(g), r.eval(g));
        if (cmp === null) return null;
        switch (e.op) {
          case '=': return cmp === 0;
          case '<>': case '!=': return cmp !== 0;
          case '<': case '!>': return e.op === '<' ? cmp < 0 : cmp <= 0;
          case '>': case '!<': return e.op === '>' ? cmp > 0 : cmp >= 0;
          case '<=': return cmp <= 0;
          default: return cmp >= 0;
        }
      });
    }
    case 'logic': {
      const l = c(e.left);
      const r = c(e.right);
      return scalar(T.bit, '', [l, r], (g) => {
        const a = l.eval(g);
        const b = r.eval(g);
        if (e.op === 'AND') return a === false || b === false ? false : a === null || b === null ? null : true;
        return a === true || b === true ? true : a === null || b === null ? null : false;
      });
    }
    case 'not': {
      const inner = c(e.expr);
      return scalar(T.bit, '', [inner], (g) => {
        const v = inner.eval(g);
        return v === null ? null : !truth(v);
      });
    }
    case 'isnull': {
      const inner = c(e.expr);
      return scalar(T.bit, '', [inner], (g) => (inner.eval(g) === null) !== e.negated);
    }
    case 'in': {
      const inner = c(e.expr);
      const list = e.list.map(c);
      return scalar(T.bit, '', [inner, ...list], (g) => {
        const v = inner.eval(g);
        const hit = list.some((item) => compareValues(v, item.eval(g)) === 0);
        return v === null ? null : hit !== e.negated;
      });
    }
    case 'like': {
      const inner = c(e.expr);
      const pattern = c(e.pattern);
      return scalar(T.bit, '', [inner, pattern], (g) => {
        const v = inner.eval(g);
        const pat = pattern.eval(g);
        return v === null || pat === null ? null : like(String(v), String(pat)) !== e.negated;
      });
    }
    case 'neg': {
      const inner = c(e.expr);
      return scalar(inner.type, '', [inner], (g) => {
        const v = inner.eval(g);
        return v === null ? null : typeof v === 'bigint' ? -v : -Number(v);
      });
    }
    case 'call':
      return compileCall(e, x, c, scalar);
  }
}

type Scalar = (type: SqlType, name: string, parts: readonly Compiled[], f: (g: Group) => SqlValue) => Compiled;

function compileCall(e: Extract<Expr, { k: 'call' }>, x: ExecContext, c: (e: Expr) => Compiled, scalar: Scalar): Compiled {
  const arity = (min: number, max = min) => {
    if (e.args.length < min || e.args.length > max) {
      throw new SqlError({ number: 174, class: 15, state: 1, message: `The ${e.name.toLowerCase()} function requires ${min} argument(s).` });
    }
  };
  if (AGGREGATES.has(e.name)) {
    if (e.star && e.name !== 'COUNT') throw new SqlError(msg.syntax('*'));
    if (!e.star) arity(1);
    const arg = e.star ? undefined : c(e.args[0]!);
    if (arg?.hasAggregate) throw new SqlError({ number: 130, class: 16, state: 1, message: 'Cannot perform an aggregate function on an expression containing an aggregate or a subquery.' });
    const values = (g: Group) => (arg ? g.rows.map((r) => arg.eval({ first: r, rows: [r] })).filter((v) => v !== null) : g.rows.map(() => 1));
    const type = e.name === 'COUNT' ? T.int : e.name === 'SUM' && arg?.type.kind === 'int' ? T.int : arg!.type;
    return {
      type, name: '', hasAggregate: true, refs: [],
      eval: (g) => {
        const vs = values(g);
        if (e.name === 'COUNT') return vs.length;
        if (vs.length === 0) return null;
        if (e.name === 'SUM') return vs.reduce((a, b) => (typeof a === 'bigint' || typeof b === 'bigint' ? BigInt(a as number) + BigInt(b as number) : Number(a) + Number(b)));
        return vs.reduce((best, v) => ((compareValues(v, best) ?? 0) * (e.name === 'MIN' ? -1 : 1) > 0 ? v : best));
      },
    };
  }
  const args = e.args.map(c);
  const s = x.session;
  switch (e.name) {
    case 'DB_NAME':
      arity(0, 1);
      return scalar(T.nvarchar(128), '', args, (g) => {
        if (!args[0]) return s.database;
        const id = args[0].eval(g);
        return id === null ? null : (s.instance.databaseById(Number(id))?.name ?? null);
      });
    case 'DB_ID':
      arity(0, 1);
      return scalar(T.smallint, '', args, (g) => {
        const name = args[0] ? args[0].eval(g) : s.database;
        return name === null ? null : (s.instance.database(String(name))?.id ?? null);
      });
    case 'ISNULL':
      arity(2);
      return scalar(args[0]!.type, '', args, (g) => args[0]!.eval(g) ?? args[1]!.eval(g));
    case 'COALESCE':
      if (args.length < 2) arity(2, 99);
      return scalar(args[0]!.type, '', args, (g) => {
        for (const a of args) {
          const v = a.eval(g);
          if (v !== null) return v;
        }
        return null;
      });
    case 'UPPER':
    case 'LOWER':
    case 'LTRIM':
    case 'RTRIM':
      arity(1);
      return scalar(args[0]!.type, '', args, (g) => {
        const v = args[0]!.eval(g);
        if (v === null) return null;
        const str = String(v);
        return e.name === 'UPPER' ? str.toUpperCase() : e.name === 'LOWER' ? str.toLowerCase() : e.name === 'LTRIM' ? str.replace(/^\s+/, '') : str.replace(/\s+$/, '');
      });
    case 'LEN':
      arity(1);
      return scalar(T.int, '', args, (g) => {
        const v = args[0]!.eval(g);
        return v === null ? null : String(v).replace(/ +$/, '').length;
      });
    case 'GETDATE':
    case 'GETUTCDATE':
    case 'SYSDATETIME':
    case 'CURRENT_TIMESTAMP':
      arity(0);
      return scalar(e.name === 'SYSDATETIME' ? T.datetime2(7) : T.datetime, '', [], () => s.model.now());
    case 'SERVERPROPERTY':
      arity(1);
      return scalar(T.nvarchar(128), '', args, (g) => serverProperty(String(args[0]!.eval(g)), x));
    case 'SUSER_SNAME':
    case 'SUSER_NAME':
    case 'ORIGINAL_LOGIN':
      return scalar(T.nvarchar(128), '', [], () => s.lab.login);
    case 'HOST_NAME':
      return scalar(T.nvarchar(128), '', [], () => s.lab.host);
    case 'APP_NAME':
      return scalar(T.nvarchar(128), '', [], () => s.lab.program);
    case 'IS_SRVROLEMEMBER':
      arity(1, 2);
      // The lab's SQL login is sysadmin.
      return scalar(T.int, '', args, () => 1);
    default:
      throw new SqlError(msg.unknownFunction(e.name.toLowerCase()));
  }
}

export function evalPredicate(c: Compiled, g: Group): boolean {
  return truth(c.eval(g));
}
