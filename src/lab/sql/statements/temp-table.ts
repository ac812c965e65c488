/**
 * Local temporary tables, as far as the product uses them (tsql.restoreHeaderOnly):
 *
 *   CREATE TABLE #name (col type [NULL | NOT NULL], …)
 *   INSERT [INTO] #name EXEC[UTE] ('sql' | N'sql' | @var)
 *   DROP TABLE #name
 *
 * and `SELECT … FROM #name` (select.ts). INSERT … EXEC runs the text as a nested scope and
 * inserts its result sets, converted to the column types; a result set whose column count is not
 * the table's fails with Msg 213 raised inside the running statement, so a RESTORE HEADERONLY adds
 * its 3013 "… is terminating abnormally." as SQL Server does. Like SQL Server (and unlike the
 * lab's other statements), an INSERT whose source failed inserts nothing and the batch goes on: its
 * DROP TABLE still runs. Scoping and the 2714 / 3701 errors: temp-tables.ts.
 */
import { msg, SqlError } from '../../model/sql-error';
import type { EngineEvent, ExecContext } from '../context';
import type { Parser } from '../parser';
import { type TempColumn, type TempTable, tempTableMessages } from '../temp-tables';
import type { Column, SqlValue } from '../types';
import { convertValue } from '../values';
import { parseDynamicSql } from './exec';
import type { Recognizer } from './recognizer';

/** `#name` (a local temp table; `##global` ones are not simulated). */
const isTempName = (name: string): boolean => /^#[^#]/.test(name);

function atTempName(p: Parser, offset: number): boolean {
  const t = p.peek(offset);
  return (t.kind === 'word' || t.kind === 'qident') && isTempName(t.value);
}

async function* done(x: ExecContext, count?: number): AsyncGenerator<EngineEvent, void, undefined> {
  yield count === undefined || x.session.nocount ? { kind: 'done' } : { kind: 'done', count };
}

export const createTempTable: Recognizer = {
  id: 'create-temp-table',
  matches: (p) => p.atWord('CREATE') && p.atWord('TABLE', 1) && atTempName(p, 2),
  compile(p) {
    p.expectWord('CREATE');
    p.expectWord('TABLE');
    const name = p.identifier();
    p.expectOp('(');
    const columns: TempColumn[] = [];
    do {
      const column = p.identifier();
      const type = p.dataType();
      let nullable = true;
      if (p.acceptWord('NOT')) {
        p.expectWord('NULL');
        nullable = false;
      } else p.acceptWord('NULL');
      columns.push({ name: column, type, nullable });
    } while (p.acceptOp(','));
    p.expectOp(')');
    return async function* (x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
      x.session.temp.create(name, columns, x.depth);
      yield* done(x);
    };
  },
};

export const dropTable: Recognizer = {
  id: 'drop-table',
  matches: (p) => p.atWord('DROP') && p.atWord('TABLE', 1),
  compile(p) {
    p.expectWord('DROP');
    p.expectWord('TABLE');
    const parts = p.multipartName();
    const last = parts[parts.length - 1]!;
    // `#t`, or `tempdb..#t` / `tempdb.dbo.#t`.
    const temp = isTempName(last) && (parts.length === 1 || parts[0]!.toLowerCase() === 'tempdb');
    return async function* (x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
      // The lab has no user tables: any other name does not exist.
      if (!temp) throw new SqlError(tempTableMessages.cannotDrop(parts.join('.')));
      x.session.temp.drop(last, x.depth);
      yield* done(x);
    };
  },
};

/** One source row converted to the table's columns; 213 when the shapes differ, 515 for a NULL in NOT NULL. */
function fitRow(table: TempTable, columns: readonly Column[], row: readonly SqlValue[]): SqlValue[] {
  if (columns.length !== table.columns.length) throw new SqlError(tempTableMessages.columnMismatch());
  return table.columns.map((target, i) => {
    const value = convertValue(row[i] ?? null, columns[i]!.type, target.type);
    if (value === null && !target.nullable) throw new SqlError(tempTableMessages.nullNotAllowed(target.name, table.name));
    return value;
  });
}

/**
 * Drives the inner statements, keeping their result sets for the table and passing everything
 * else (messages, progress) through. A result set that does not fit is refused by throwing the
 * error into the statement that produced it, where SQL Server raises it too.
 */
async function* insertFrom(table: TempTable, inner: AsyncGenerator<EngineEvent, void, undefined>, x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
  const pending: SqlValue[][] = [];
  let failed = false;
  let step = await inner.next();
  try {
    while (!step.done) {
      const event = step.value;
      if (event.kind === 'rows') {
        let refusal: SqlError | undefined;
        try {
          const rows = event.rows.map((r) => fitRow(table, event.columns, r));
          pending.push(...rows);
        } catch (e) {
          if (!(e instanceof SqlError)) throw e;
          refusal = e;
        }
        step = refusal ? await inner.throw(refusal) : await inner.next();
        continue;
      }
      if (event.kind === 'message' && event.message.class > 10) failed = true;
      yield event;
      step = await inner.next();
    }
  } finally {
    // Left early (cancelled, connection gone): let the inner scope end, dropping its temp tables.
    if (!step.done) await inner.return();
  }
  if (failed || x.signal.aborted) return;
  table.rows.push(...pending);
  yield* done(x, pending.length);
}

export const insertExec: Recognizer = {
  id: 'insert-exec',
  matches: (p) => p.atWord('INSERT') && (atTempName(p, 1) || (p.atWord('INTO', 1) && atTempName(p, 2))),
  compile(p) {
    p.expectWord('INSERT');
    p.acceptWord('INTO');
    const name = p.identifier();
    // Only the EXEC source: INSERT … VALUES / SELECT and column lists are not simulated.
    p.expectWord('EXEC', 'EXECUTE');
    const source = parseDynamicSql(p);
    return async function* (x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
      const table = x.session.temp.find(name, x.depth);
      if (!table) throw new SqlError(msg.invalidObject(name));
      yield* insertFrom(table, source(x), x);
    };
  },
};
