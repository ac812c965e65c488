/**
 * T-SQL of a `sql` block: tokenised by sql-lexer.ts (comments, `'…'`/`N'…'` strings, `[…]`/`"…"` identifiers)
 * and split into statements on `;`, `GO` lines and — because admins often omit semicolons — on
 * the keywords that start a new statement. Each statement knows its verb, the database it acts
 * on, its WITH options, the procedure it executes and the `USE` context it runs in. Ranges are
 * relative to the block.
 */
import type { Range } from '../text';
import { LineIndex } from './lines';
import type { SqlProcArgument, SqlStatement, SqlSyntaxError, SqlToken } from './model';
import { goLines, lexSql, type SqlLexToken } from './sql-lexer';

/** Keywords that start a statement when no `;` ends the previous one. */
const STATEMENT_STARTS = new Set(['USE', 'EXEC', 'EXECUTE', 'RESTORE', 'BACKUP', 'ALTER', 'KILL', 'DECLARE', 'PRINT', 'CREATE', 'DROP', 'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WAITFOR']);
/** Statements that may legitimately contain one of the keywords above (INSERT … EXEC/SELECT, DECLARE … SELECT …). */
const COMPOSITE = new Set(['INSERT', 'IF', 'WHILE', 'BEGIN', 'DECLARE', 'SET', 'WITH', 'CREATE', 'ALTER']);

export interface ParsedSql {
  readonly statements: readonly SqlStatement[];
  readonly syntaxErrors: readonly SqlSyntaxError[];
}

export type RawToken = SqlLexToken & { readonly kind: SqlToken['kind'] | 'semicolon' };

export function parseSql(text: string): ParsedSql {
  const index = new LineIndex(text);
  const errors: SqlSyntaxError[] = [];
  const range = (start: number, end: number): Range => ({ start: index.positionAt(start), end: index.positionAt(end) });
  const tokens = tokenizeSql(text, (message, start, end) => errors.push({ message, range: range(start, end) }));
  const gos = goLines(text);
  /** Whether offset `at` lies on a GO line; tokens come in order, so one cursor walks the lines. */
  let g = 0;
  const onGoLine = (at: number) => {
    while (g < gos.length && gos[g]!.next <= at) g++;
    return g < gos.length && gos[g]!.start <= at;
  };

  const groups: RawToken[][] = [];
  let current: RawToken[] = [];
  let depth = 0;
  const flush = () => {
    if (current.length) groups.push(current);
    current = [];
    depth = 0;
  };
  for (const t of tokens) {
    if (t.kind === 'semicolon') {
      flush();
      continue;
    }
    // GO is a batch separator only alone on its line (sql-lexer.ts: the sender splits on the same lines).
    if (onGoLine(t.start)) {
      flush();
      continue;
    }
    if (t.kind === 'word' && depth === 0 && current.length && STATEMENT_STARTS.has(t.value) && startsNewStatement(current, t.value)) flush();
    if (t.text === '(') depth++;
    if (t.text === ')') depth = Math.max(0, depth - 1);
    current.push(t);
  }
  flush();

  let context: string | undefined;
  const statements: SqlStatement[] = [];
  for (const group of groups) {
    const statement = toStatement(group, text, range, context);
    if (statement.verb === 'USE' && statement.database) context = statement.database.name;
    statements.push(statement);
  }
  return { statements, syntaxErrors: errors };
}

function startsNewStatement(current: readonly RawToken[], keyword: string): boolean {
  const verb = current[0]!.value;
  if (COMPOSITE.has(verb)) {
    // `INSERT INTO t EXEC sp_who2`, `ALTER DATABASE … SET …`: stay in the statement.
    return verb === 'ALTER' || verb === 'CREATE' ? keyword !== 'SET' && keyword !== 'SELECT' : false;
  }
  // `SELECT … FROM (SELECT …)` is handled by depth; a SELECT inside `UNION SELECT` stays.
  if (keyword === 'SELECT' && current[current.length - 1]?.value === 'UNION') return false;
  if (keyword === 'SELECT' && current[current.length - 1]?.value === 'ALL') return false;
  return true;
}

/**
 * The tokens of `text` as SQL Server reads them, comments dropped (the one lexer, sql-lexer.ts):
 * block comments nest, and a doubled `]` or `"` inside a quoted identifier is part of it, so no
 * text hides from a reader of these tokens that the server would run.
 */
export function tokenizeSql(text: string, error: (message: string, start: number, end: number) => void): RawToken[] {
  const { tokens, errors } = lexSql(text);
  for (const e of errors) error(e.message, e.start, e.end);
  return tokens.filter((t): t is RawToken => t.kind !== 'comment');
}

/** Identifier value: `[mgc]` → mgc, `mgc` → mgc (lower-cased: SQL names here are case-insensitive). */
const ident = (t: RawToken): string => (t.kind === 'word' ? t.text : t.value).toLowerCase();

function toStatement(group: RawToken[], text: string, range: (s: number, e: number) => Range, contextDatabase: string | undefined): SqlStatement {
  const first = group[0]!;
  const last = group[group.length - 1]!;
  const tokens: SqlToken[] = group.map((t) => ({ kind: t.kind as SqlToken['kind'], text: t.text, value: t.value, range: range(t.start, t.end) }));
  const words = group.map((t) => (t.kind === 'word' ? t.value : ''));
  const base = {
    text: text.slice(first.start, last.end),
    range: range(first.start, last.end),
    tokens,
    ...(contextDatabase !== undefined ? { contextDatabase } : {}),
  };
  const dbAt = (i: number) => {
    const t = group[i];
    return t && (t.kind === 'word' || t.kind === 'quoted') ? { database: { name: ident(t), range: range(t.start, t.end) } } : {};
  };
  const withOptions = (): string[] => {
    const at = words.indexOf('WITH');
    if (at < 0) return [];
    const options: string[] = [];
    let expectOption = true;
    for (let i = at + 1; i < group.length; i++) {
      const t = group[i]!;
      if (t.text === ',') expectOption = true;
      else if (expectOption && t.kind === 'word') {
        options.push(t.value);
        expectOption = false;
      }
    }
    return options;
  };

  switch (first.value) {
    case 'USE':
      return { ...base, verb: 'USE', ...dbAt(1), options: [], hasSource: false, args: [] };
    case 'RESTORE':
    case 'BACKUP': {
      const object = words[1] ?? '';
      const hasSource = words.includes(first.value === 'RESTORE' ? 'FROM' : 'TO');
      return { ...base, verb: first.value, object, ...(object === 'LOG' || object === 'DATABASE' ? dbAt(2) : {}), options: withOptions(), hasSource, args: [] };
    }
    case 'ALTER':
      return { ...base, verb: 'ALTER', object: words[1] ?? '', ...(words[1] === 'DATABASE' ? dbAt(2) : {}), options: group.slice(3).filter((t) => t.kind === 'word').map((t) => t.value), hasSource: false, args: [] };
    case 'EXEC':
    case 'EXECUTE':
      return execStatement(group, 1, base, range);
    default:
      // A bare procedure call (`sp_who2`) as the first statement of a batch is an EXEC.
      if (first.kind === 'word' || first.kind === 'quoted') {
        const name = ident(first);
        if (/^(sp_|xp_)/.test(name) || (group[1]?.text === '.' && /^(master|msdb)$/.test(name))) return execStatement(group, 0, base, range);
      }
      return { ...base, verb: first.kind === 'word' ? first.value : first.text, options: [], hasSource: false, args: [] };
  }
}

function execStatement(
  group: RawToken[],
  at: number,
  base: Pick<SqlStatement, 'text' | 'range' | 'tokens' | 'contextDatabase'>,
  range: (s: number, e: number) => Range,
): SqlStatement {
  // Procedure name: parts separated by dots, possibly `master..proc`; `@rc = proc` is skipped.
  let i = at;
  if (group[i]?.kind === 'variable' && group[i + 1]?.text === '=') i += 2;
  const parts: string[] = [];
  const nameStart = group[i]?.start ?? 0;
  let nameEnd = nameStart;
  while (i < group.length) {
    const t = group[i]!;
    if (t.kind === 'word' || t.kind === 'quoted') {
      parts.push(ident(t));
      nameEnd = t.end;
      i++;
      if (group[i]?.text !== '.') break;
    }
    while (group[i]?.text === '.') {
      i++;
      if (group[i]?.text === '.') parts.push('');
    }
    if (!(group[i]?.kind === 'word' || group[i]?.kind === 'quoted')) break;
  }
  const args: SqlProcArgument[] = [];
  let name: string | undefined;
  let valueStart: RawToken | undefined;
  let valueEnd: RawToken | undefined;
  const pushArg = () => {
    if (valueStart && valueEnd) {
      const single = valueStart === valueEnd;
      args.push({ ...(name ? { name } : {}), value: single ? (valueStart.kind === 'word' ? valueStart.text : valueStart.value) : '', range: range(valueStart.start, valueEnd.end) });
    }
    name = undefined;
    valueStart = valueEnd = undefined;
  };
  for (; i < group.length; i++) {
    const t = group[i]!;
    if (t.text === ',') pushArg();
    else if (t.kind === 'variable' && group[i + 1]?.text === '=' && !valueStart) {
      name = t.value.slice(1).toLowerCase();
      i++;
    } else {
      valueStart ??= t;
      valueEnd = t;
    }
  }
  pushArg();
  const procName = parts[parts.length - 1] ?? '';
  const first = args[0];
  return {
    ...base,
    verb: 'EXEC',
    procedure: { name: procName, qualifiers: parts.slice(0, -1).filter((p) => p !== ''), range: range(nameStart, nameEnd) },
    args,
    ...(first && first.value ? { database: { name: first.value.toLowerCase(), range: first.range } } : {}),
    options: [],
    hasSource: false,
  };
}
