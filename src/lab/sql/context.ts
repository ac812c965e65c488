/**
 * What a statement runs with (session, parameters, cancellation) and what it produces: the
 * events the TDS server turns into tokens.
 */
import type { LabInstance, LabSession } from '../model/instance';
import type { LabModel } from '../model/lab-model';
import type { Caller } from '../model/operations';
import type { SqlMessage } from '../model/sql-error';
import { TempTables } from './temp-tables';
import type { Column, SqlType, SqlValue } from './types';

export interface EngineOptions {
  /** Real delay between two "N percent processed." messages of a RESTORE (0 in benches). */
  readonly progressDelayMs: number;
}

/** One client connection's state as the engine sees it. */
export class SqlSession {
  tranCount = 0;
  /** SET NOCOUNT ON: statements report no row counts. */
  nocount = false;
  /** `#temp` tables of this connection. */
  readonly temp = new TempTables();

  constructor(
    readonly model: LabModel,
    readonly instance: LabInstance,
    readonly lab: LabSession,
  ) {}

  get spid(): number {
    return this.lab.spid;
  }

  get database(): string {
    return this.lab.database;
  }

  set database(name: string) {
    this.lab.database = name;
  }

  caller(): Caller {
    return { spid: this.lab.spid, database: this.lab.database, login: this.lab.login };
  }
}

export interface Param {
  readonly type: SqlType;
  readonly value: SqlValue;
}

export interface ExecContext {
  readonly session: SqlSession;
  /** Parameters by lower-cased name including the `@`. */
  readonly params: ReadonlyMap<string, Param>;
  readonly signal: AbortSignal;
  readonly options: EngineOptions;
  /**
   * Scope depth: 0 for a batch, +1 inside each sp_executesql / EXEC ('…'). Temp tables created
   * in a nested scope are dropped when it ends.
   */
  readonly depth: number;
  /** Runs SQL text as a nested scope of this context (sp_executesql, EXEC('…')); provided by the engine. */
  readonly runBatch: (sql: string, x: ExecContext) => AsyncGenerator<EngineEvent, void, undefined>;
}

export type EngineEvent =
  /** A result set. */
  | { readonly kind: 'rows'; readonly columns: readonly Column[]; readonly rows: readonly (readonly SqlValue[])[] }
  /** INFO (class ≤ 10) or ERROR message. */
  | { readonly kind: 'message'; readonly message: SqlMessage }
  /** A statement without a result set finished (DONE with a row count when `count` is set). */
  | { readonly kind: 'done'; readonly count?: number }
  /** The current database changed (ENVCHANGE). */
  | { readonly kind: 'database'; readonly name: string; readonly previous: string }
  /** Send what is buffered now: progress must reach the client before the statement ends. */
  | { readonly kind: 'flush' }
  /** Drop the connection (fault `sql-disconnect-during-restore`). */
  | { readonly kind: 'disconnect' };

/** A parsed statement, ready to run. */
export type Runnable = (x: ExecContext) => AsyncGenerator<EngineEvent, void, undefined>;
