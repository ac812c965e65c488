/**
 * Local temporary tables (`#name`) of one session, with SQL Server's scoping: a table belongs to
 * the scope that created it — the batch (depth 0), or the dynamic SQL of `sp_executesql` /
 * `EXEC ('…')` it runs in (depth 1, 2, …) — is visible there and in the scopes it calls, and is
 * dropped when a nested scope ends (a batch's tables live until DROP TABLE or the session ends).
 * A nested scope may create a table of the same name, hiding the outer one; the same scope may not
 * (Msg 2714). The product's only use: RESTORE HEADERONLY run INTO #headers (tsql.restoreHeaderOnly).
 */
import { SqlError } from '../model/sql-error';
import type { Column, SqlValue } from './types';

export interface TempColumn extends Column {
  readonly nullable: boolean;
}

export interface TempTable {
  /** As written at CREATE, with its `#`. */
  readonly name: string;
  readonly columns: readonly TempColumn[];
  readonly rows: SqlValue[][];
  /** Scope depth that created it. */
  readonly depth: number;
}

export const tempTableMessages = {
  exists: (name: string) => ({ number: 2714, class: 16, state: 6, message: `There is already an object named '${name}' in the database.` }),
  cannotDrop: (name: string) => ({ number: 3701, class: 11, state: 5, message: `Cannot drop the table '${name}', because it does not exist or you do not have permission.` }),
  columnMismatch: () => ({ number: 213, class: 16, state: 7, message: 'Column name or number of supplied values does not match table definition.' }),
  duplicateColumn: (column: string, table: string) => ({ number: 2705, class: 16, state: 3, message: `Column names in each table must be unique. Column name '${column}' in table '${table}' specified more than once.` }),
  nullNotAllowed: (column: string, table: string) => ({
    number: 515, class: 16, state: 2, message: `Cannot insert the value NULL into column '${column}', table 'tempdb.dbo.${table}'; column does not allow nulls. INSERT fails.`,
  }),
} as const;

export class TempTables {
  readonly #tables: TempTable[] = [];

  /** The table `name` as seen from scope `depth` (the innermost one), if any. */
  find(name: string, depth: number): TempTable | undefined {
    const key = name.toLowerCase();
    let best: TempTable | undefined;
    for (const t of this.#tables) if (t.name.toLowerCase() === key && t.depth <= depth && (!best || t.depth > best.depth)) best = t;
    return best;
  }

  create(name: string, columns: readonly TempColumn[], depth: number): TempTable {
    if (this.#tables.some((t) => t.name.toLowerCase() === name.toLowerCase() && t.depth === depth)) throw new SqlError(tempTableMessages.exists(name));
    const seen = new Set<string>();
    for (const c of columns) {
      if (seen.has(c.name.toLowerCase())) throw new SqlError(tempTableMessages.duplicateColumn(c.name, name));
      seen.add(c.name.toLowerCase());
    }
    const table: TempTable = { name, columns, rows: [], depth };
    this.#tables.push(table);
    return table;
  }

  drop(name: string, depth: number): void {
    const table = this.find(name, depth);
    if (!table) throw new SqlError(tempTableMessages.cannotDrop(name));
    this.#tables.splice(this.#tables.indexOf(table), 1);
  }

  /** End of a nested scope: its tables go. */
  endScope(depth: number): void {
    for (let i = this.#tables.length - 1; i >= 0; i--) if (this.#tables[i]!.depth >= depth) this.#tables.splice(i, 1);
  }

  /** Names of the tables that exist, for tests and diagnostics. */
  names(): string[] {
    return this.#tables.map((t) => t.name);
  }
}
