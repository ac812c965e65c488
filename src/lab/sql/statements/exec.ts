/**
 * `EXEC[UTE] [@rc =] [db.][schema.]proc [[@name =] value [OUTPUT]] [, …]`, `EXEC ('sql')` (also the
 * source of `INSERT INTO #t EXEC ('sql')`, statements/temp-table.ts), and a
 * bare procedure name as the first statement of a batch (`sp_who2`). Values: strings, numbers,
 * NULL, @parameters and bare words (T-SQL passes `exec sp_x mgc` as the string 'mgc').
 */
import { msg, SqlError } from '../../model/sql-error';
import type { EngineEvent, ExecContext } from '../context';
import { isReserved, type Parser } from '../parser';
import { callProc, type ProcArg } from '../procs';
import type { SqlValue } from '../types';
import type { Recognizer } from './recognizer';

type ArgValue = { readonly value: SqlValue } | { readonly param: string };

function parseArgValue(p: Parser): ArgValue {
  const t = p.peek();
  if (t.kind === 'string') return { value: p.string() };
  if (t.kind === 'var') {
    p.next();
    return { param: t.value };
  }
  if (p.acceptWord('NULL')) return { value: null };
  const negative = p.acceptOp('-');
  if (p.peek().kind === 'number') {
    const n = p.next().value;
    const v = /^\d+$/.test(n) ? (BigInt(n) < 2n ** 31n ? Number(n) : BigInt(n)) : Number(n);
    return { value: negative ? (typeof v === 'bigint' ? -v : -v) : v };
  }
  if (negative) throw p.error();
  if (t.kind === 'qident' || (t.kind === 'word' && !isReserved(t.value))) {
    p.next();
    return { value: t.value };
  }
  throw p.error();
}

function argValue(a: ArgValue, x: ExecContext): Pick<ProcArg, 'value' | 'type'> {
  if ('value' in a) return { value: a.value };
  const param = x.params.get(a.param.toLowerCase());
  if (!param) throw new SqlError(msg.undeclaredVariable(a.param));
  return { value: param.value, type: param.type };
}

/**
 * `('sql')`, `(N'sql')` or `(@var)` after EXEC / EXECUTE: the text runs as a nested scope that
 * does not see the caller's variables (as in SQL Server).
 */
export function parseDynamicSql(p: Parser): (x: ExecContext) => AsyncGenerator<EngineEvent, void, undefined> {
  p.expectOp('(');
  const text = parseArgValue(p);
  p.expectOp(')');
  return (x) => x.runBatch(String(argValue(text, x).value ?? ''), { ...x, params: new Map() });
}

export const execStatement: Recognizer = {
  id: 'exec',
  // A bare name is a procedure call only at the start of a batch, as in SQL Server (`selec 1` → 2812).
  matches: (p, batchStart) => p.atWord('EXEC') || p.atWord('EXECUTE') || (batchStart && p.atIdentifier() && p.peek().kind === 'word'),
  compile(p) {
    p.acceptWord('EXEC', 'EXECUTE');
    if (p.atOp('(')) {
      const run = parseDynamicSql(p);
      return async function* (x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
        yield* run(x);
      };
    }
    if (p.peek().kind === 'var' && p.atOp('=', 1)) {
      p.next();
      p.next();
    }
    const name = p.multipartName();
    const args: { name?: string; value: ArgValue }[] = [];
    if (!p.atStatementEnd() && !(p.peek().kind === 'word' && isReserved(p.peek().value))) {
      do {
        let argName: string | undefined;
        if (p.peek().kind === 'var' && p.atOp('=', 1)) {
          argName = p.next().value;
          p.next();
        }
        if (p.acceptWord('DEFAULT')) continue;
        const value = parseArgValue(p);
        p.acceptWord('OUTPUT', 'OUT');
        args.push(argName ? { name: argName, value } : { value });
      } while (p.acceptOp(','));
    }
    return async function* (x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
      const resolved: ProcArg[] = args.map((a) => ({ ...(a.name ? { name: a.name } : {}), ...argValue(a.value, x) }));
      yield* callProc(name, resolved, x);
    };
  },
};
