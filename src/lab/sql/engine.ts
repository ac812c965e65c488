/**
 * The lab's strict SQL engine: splits text into GO batches, compiles every statement of a batch
 * with the recognizers (a syntax error fails the whole batch before anything runs, as in SQL
 * Server), then runs them in order. A failing statement ends itself or its batch according to
 * its error action (error-actions.ts): like SQL Server, the batch goes on after a failed RESTORE.
 * Anything no recognizer knows is a syntax error — never ignored.
 */
import { SqlError } from '../model/sql-error';
import { errorAction } from './error-actions';
import type { EngineEvent, EngineOptions, ExecContext, Param, Runnable, SqlSession } from './context';
import { Parser } from './parser';
import { callProc, type ProcArg } from './procs';
import { RECOGNIZERS } from './statements';
import { type Token, tokenize } from './tokens';

export interface RequestContext {
  readonly session: SqlSession;
  readonly signal: AbortSignal;
}


/** Splits tokens into batches at `GO` lines; `GO n` repeats its batch n times. */
function splitBatches(tokens: readonly Token[]): Token[][] {
  const batches: Token[][] = [];
  let current: Token[] = [];
  const eof = tokens[tokens.length - 1]!;
  for (const t of tokens) {
    if (t.kind === 'go' || t.kind === 'eof') {
      const repeat = t.kind === 'go' ? Math.max(1, Number(t.value)) : 1;
      if (current.length) for (let i = 0; i < repeat; i++) batches.push([...current, eof]);
      current = [];
    } else current.push(t);
  }
  return batches;
}

function compileBatch(tokens: readonly Token[]): Runnable[] {
  const p = new Parser(tokens);
  const statements: Runnable[] = [];
  for (;;) {
    while (p.acceptOp(';'));
    if (p.peek().kind === 'eof') return statements;
    const batchStart = statements.length === 0;
    const recognizer = RECOGNIZERS.find((r) => r.matches(p, batchStart));
    if (!recognizer) throw p.error();
    statements.push(recognizer.compile(p));
    // Semicolons are optional: the next statement may follow directly.
    if (!p.atStatementEnd() && !RECOGNIZERS.some((r) => r.matches(p, false))) throw p.error();
  }
}

function messages(e: unknown): EngineEvent[] {
  const err = e instanceof SqlError ? e : new SqlError({ number: 50000, class: 16, state: 1, message: `Rehearsal lab internal error: ${e instanceof Error ? e.message : String(e)}` });
  return err.messages.map((message) => ({ kind: 'message', message }));
}

export class SqlEngine {
  constructor(readonly options: EngineOptions) {}

  /** A SQL_BATCH request (or the statement of sp_executesql). */
  executeBatch(sql: string, ctx: RequestContext, params: ReadonlyMap<string, Param> = new Map()): AsyncGenerator<EngineEvent, void, undefined> {
    return this.#runText(sql, this.#context(ctx, params));
  }

  /** An RPC request: sp_executesql or any procedure by name. */
  async *executeRpc(proc: string, params: readonly ProcArg[], ctx: RequestContext): AsyncGenerator<EngineEvent, void, undefined> {
    try {
      yield* callProc(proc.split('.'), params, this.#context(ctx, new Map()));
    } catch (e) {
      yield* messages(e);
    }
  }

  #context(ctx: RequestContext, params: ReadonlyMap<string, Param>): ExecContext {
    return { session: ctx.session, signal: ctx.signal, options: this.options, params, depth: 0, runBatch: (sql, x) => this.#runNested(sql, x) };
  }

  /**
   * Dynamic SQL: a scope one level down. When it ends, the temp tables it created go and a SET
   * NOCOUNT it ran is undone, as in SQL Server.
   */
  async *#runNested(sql: string, x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
    const inner: ExecContext = { ...x, depth: x.depth + 1 };
    const nocount = x.session.nocount;
    try {
      yield* this.#runText(sql, inner);
    } finally {
      x.session.temp.endScope(inner.depth);
      x.session.nocount = nocount;
    }
  }

  async *#runText(sql: string, x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
    let batches: Token[][];
    try {
      batches = splitBatches(tokenize(sql));
    } catch (e) {
      yield* messages(e);
      return;
    }
    for (const tokens of batches) {
      let statements: Runnable[];
      try {
        statements = compileBatch(tokens);
      } catch (e) {
        yield* messages(e);
        continue;
      }
      for (const run of statements) {
        if (x.signal.aborted) return;
        try {
          yield* run(x);
        } catch (e) {
          yield* messages(e);
          if (!(e instanceof SqlError) || errorAction(e) === 'batch') break;
        }
      }
    }
  }
}

