/**
 * SELECT over the lab's catalog and the session's `#temp` tables: `[DISTINCT] [TOP n] items FROM t
 * [AS a] [WITH (NOLOCK)] [[INNER|LEFT [OUTER]] JOIN u ON …]… [WHERE …] [GROUP BY …] [ORDER BY …
 * [ASC|DESC]]`, and SELECT without FROM (`SELECT 1`, `SELECT @@SERVERNAME`). Items: `*`, `a.*`,
 * `expr [AS] alias`, `alias = expr`. Name errors are SQL Server's (208, 207, 209, 4104, 8120).
 */
import { msg, SqlError } from '../model/sql-error';
import { resolveTable } from './catalog';
import type { EngineEvent, ExecContext, Runnable } from './context';
import { type Compiled, compileExpr, evalPredicate, type Expr, type Group, parseExpression, type RowCtx, type Source } from './expr';
import type { Parser } from './parser';
import type { Column, SqlValue } from './types';
import { compareValues, groupKey } from './values';

interface TableRef {
  readonly parts: readonly string[];
  readonly alias?: string;
}

interface Join {
  readonly left: boolean;
  readonly table: TableRef;
  readonly on: Expr;
}

interface SelectItem {
  readonly expr: Expr;
  readonly alias?: string;
}

export interface SelectStatement {
  readonly distinct: boolean;
  readonly top?: Expr;
  readonly items: readonly SelectItem[];
  readonly from?: { readonly first: TableRef; readonly joins: readonly Join[] };
  readonly where?: Expr;
  readonly groupBy: readonly Expr[];
  readonly orderBy: readonly { readonly expr: Expr; readonly desc: boolean }[];
}

function parseTableRef(p: Parser): TableRef {
  const parts = p.multipartName();
  let alias: string | undefined;
  if (p.acceptWord('AS')) alias = p.identifier();
  else if (p.atIdentifier() && !['NOLOCK', 'INNER', 'LEFT', 'JOIN', 'OUTER'].includes(p.peek().value.toUpperCase())) alias = p.identifier();
  // Table hints admins add out of habit: WITH (NOLOCK) or (NOLOCK).
  if ((p.atWord('WITH') && p.atOp('(', 1)) || (p.atOp('(') && p.atWord('NOLOCK', 1))) {
    p.acceptWord('WITH');
    p.expectOp('(');
    do p.expectWord('NOLOCK', 'READUNCOMMITTED', 'READCOMMITTED', 'HOLDLOCK');
    while (p.acceptOp(','));
    p.expectOp(')');
  }
  return alias ? { parts, alias } : { parts };
}

function parseSelectItem(p: Parser): SelectItem {
  // `alias = expr` (T-SQL) — an identifier followed by a single `=`.
  if (p.atIdentifier() && p.atOp('=', 1)) {
    const alias = p.identifier();
    p.expectOp('=');
    return { expr: parseExpression(p), alias };
  }
  const expr = parseExpression(p);
  if (p.acceptWord('AS')) return { expr, alias: p.peek().kind === 'string' ? p.string() : p.identifier() };
  if (p.atIdentifier() && !p.atWord('FROM')) return { expr, alias: p.identifier() };
  if (p.peek().kind === 'string') return { expr, alias: p.string() };
  return { expr };
}

export function parseSelect(p: Parser): SelectStatement {
  p.expectWord('SELECT');
  const distinct = !!p.acceptWord('DISTINCT');
  p.acceptWord('ALL');
  let top: Expr | undefined;
  if (p.acceptWord('TOP')) top = p.acceptOp('(') ? (() => { const e = parseExpression(p); p.expectOp(')'); return e; })() : { k: 'lit', value: p.integer(), type: { kind: 'int' } };
  const items = [parseSelectItem(p)];
  while (p.acceptOp(',')) items.push(parseSelectItem(p));
  let from: SelectStatement['from'];
  if (p.acceptWord('FROM')) {
    const first = parseTableRef(p);
    const joins: Join[] = [];
    for (;;) {
      let left = false;
      if (p.acceptWord('LEFT')) {
        left = true;
        p.acceptWord('OUTER');
      } else p.acceptWord('INNER');
      if (!p.acceptWord('JOIN')) {
        if (left) throw p.error();
        break;
      }
      const table = parseTableRef(p);
      p.expectWord('ON');
      joins.push({ left, table, on: parseExpression(p) });
    }
    from = { first, joins };
  }
  const where = p.acceptWord('WHERE') ? parseExpression(p) : undefined;
  const groupBy: Expr[] = [];
  if (p.acceptWord('GROUP')) {
    p.expectWord('BY');
    do groupBy.push(parseExpression(p));
    while (p.acceptOp(','));
  }
  const orderBy: { expr: Expr; desc: boolean }[] = [];
  if (p.acceptWord('ORDER')) {
    p.expectWord('BY');
    do {
      const expr = parseExpression(p);
      const dir = p.acceptWord('ASC', 'DESC');
      orderBy.push({ expr, desc: dir === 'DESC' });
    } while (p.acceptOp(','));
  }
  return { distinct, items, groupBy, orderBy, ...(top ? { top } : {}), ...(from ? { from } : {}), ...(where ? { where } : {}) };
}

function sourceFor(ref: TableRef, x: ExecContext): { source: Source; rows: SqlValue[][] } {
  const name = ref.parts[ref.parts.length - 1]!;
  if (ref.parts.length === 1 && name.startsWith('#')) {
    // A temp table of this session, as seen from the current scope.
    const temp = x.session.temp.find(name, x.depth);
    if (!temp) throw new SqlError(msg.invalidObject(name));
    const qualifiers = ref.alias ? [ref.alias] : [name];
    return { source: { alias: ref.alias ?? temp.name, qualifiers, columns: temp.columns }, rows: temp.rows.map((r) => [...r]) };
  }
  const table = resolveTable(ref.parts, x.session);
  if (!table) throw new SqlError(msg.invalidObject(ref.parts.join('.')));
  const qualifiers = ref.alias ? [ref.alias] : [ref.parts.join('.'), ref.parts.slice(-2).join('.'), table.name];
  return { source: { alias: ref.alias ?? table.name, qualifiers, columns: table.columns }, rows: table.rows(x.session) };
}

/** Runs a parsed SELECT; returns its columns and rows. */
export function evaluateSelect(stmt: SelectStatement, x: ExecContext): { columns: Column[]; rows: SqlValue[][] } {
  const tables = stmt.from ? [stmt.from.first, ...stmt.from.joins.map((j) => j.table)].map((t) => sourceFor(t, x)) : [];
  const sources = tables.map((t) => t.source);
  const c = (e: Expr, upTo = sources.length) => compileExpr(e, sources.slice(0, upTo), x);

  // FROM and JOINs (nested loops: the tables are small).
  let rows: RowCtx[] = stmt.from ? tables[0]!.rows.map((r) => [r]) : [[]];
  stmt.from?.joins.forEach((j, i) => {
    const right = tables[i + 1]!;
    const on = c(j.on, i + 2);
    const next: RowCtx[] = [];
    for (const r of rows) {
      const matches = right.rows.map((rr) => [...r, rr]).filter((rc) => evalPredicate(on, { first: rc, rows: [rc] }));
      if (matches.length) next.push(...matches);
      else if (j.left) next.push([...r, right.source.columns.map(() => null)]);
    }
    rows = next;
  });
  if (stmt.where) {
    const where = c(stmt.where);
    if (where.hasAggregate) throw new SqlError({ number: 147, class: 15, state: 1, message: 'An aggregate may not appear in the WHERE clause unless it is in a subquery contained in a HAVING clause or a select list, and the column being aggregated is an outer reference.' });
    rows = rows.filter((r) => evalPredicate(where, { first: r, rows: [r] }));
  }

  // Select list, with * expanded.
  const items: { compiled: Compiled; name: string }[] = [];
  for (const item of stmt.items) {
    if (item.expr.k === 'star') {
      const q = item.expr.qualifier?.toLowerCase();
      const picked = sources.map((s, i) => ({ s, i })).filter(({ s }) => !q || s.qualifiers.some((x) => x.toLowerCase() === q));
      if (!sources.length) throw new SqlError({ number: 263, class: 16, state: 1, message: 'Must specify table to select from.' });
      if (q && !picked.length) throw new SqlError(msg.unboundIdentifier(item.expr.qualifier!));
      for (const { s } of picked) for (const col of s.columns) items.push({ compiled: c({ k: 'col', parts: [...(q ? [item.expr.qualifier!] : [s.qualifiers[0]!]), col.name] }), name: col.name });
    } else {
      const compiled = c(item.expr);
      items.push({ compiled, name: item.alias ?? compiled.name });
    }
  }

  // Grouping.
  const groupBy = stmt.groupBy.map((e) => c(e));
  const grouped = groupBy.length > 0 || items.some((i) => i.compiled.hasAggregate);
  let groups: Group[];
  if (grouped) {
    const keys = new Set(groupBy.flatMap((g) => (g.columnKey ? [g.columnKey] : [])));
    for (const item of items) {
      const loose = item.compiled.refs.find((r) => !keys.has(r));
      if (loose) {
        const [s, col] = loose.split(':').map(Number);
        const source = sources[s!]!;
        throw new SqlError({ number: 8120, class: 16, state: 1, message: `Column '${source.alias}.${source.columns[col!]!.name}' is invalid in the select list because it is not contained in either an aggregate function or the GROUP BY clause.` });
      }
    }
    const byKey = new Map<string, RowCtx[]>();
    for (const r of rows) {
      const key = groupBy.map((g) => groupKey(g.eval({ first: r, rows: [r] }))).join('|');
      byKey.set(key, [...(byKey.get(key) ?? []), r]);
    }
    groups = [...byKey.values()].map((rs) => ({ first: rs[0]!, rows: rs }));
    if (!groupBy.length && !groups.length) groups = [{ first: sources.map((s) => s.columns.map(() => null)), rows: [] }];
  } else groups = rows.map((r) => ({ first: r, rows: [r] }));

  let out = groups.map((g) => ({ g, values: items.map((i) => i.compiled.eval(g)) }));
  if (stmt.distinct) {
    const seen = new Set<string>();
    out = out.filter((o) => {
      const k = o.values.map(groupKey).join('|');
      return seen.has(k) ? false : (seen.add(k), true);
    });
  }
  if (stmt.orderBy.length) {
    const keys = stmt.orderBy.map((o) => {
      const e = o.expr;
      const byAlias = e.k === 'col' && e.parts.length === 1 ? items.findIndex((i) => i.name.toLowerCase() === e.parts[0]!.toLowerCase()) : -1;
      const ordinal = e.k === 'lit' && typeof e.value === 'number' ? e.value - 1 : -1;
      if (e.k === 'lit' && (ordinal < 0 || ordinal >= items.length)) {
        throw new SqlError({ number: 108, class: 16, state: 1, message: `The ORDER BY position number ${String(e.value)} is out of range of the number of items in the select list.` });
      }
      const idx = byAlias >= 0 ? byAlias : ordinal;
      const compiled = idx >= 0 ? undefined : c(e);
      return { desc: o.desc, value: (row: { g: Group; values: SqlValue[] }) => (compiled ? compiled.eval(row.g) : row.values[idx]!) };
    });
    out.sort((a, b) => {
      for (const k of keys) {
        const va = k.value(a);
        const vb = k.value(b);
        // NULLs sort first ascending, as in SQL Server.
        const cmp = va === null ? (vb === null ? 0 : -1) : vb === null ? 1 : (compareValues(va, vb) ?? 0);
        if (cmp) return k.desc ? -cmp : cmp;
      }
      return 0;
    });
  }
  if (stmt.top) {
    const n = Number(c(stmt.top).eval({ first: [], rows: [] }));
    out = out.slice(0, Math.max(0, n));
  }
  return { columns: items.map((i) => ({ name: i.name, type: i.compiled.type })), rows: out.map((o) => o.values) };
}

export function compileSelect(p: Parser): Runnable {
  const stmt = parseSelect(p);
  return async function* (x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
    const result = evaluateSelect(stmt, x);
    yield { kind: 'rows', ...result };
  };
}
