/**
 * The stored procedures the lab has: `sp_who2`, `sp_who`, `sp_executesql`,
 * `sp_delete_log_shipping_secondary_database`. Calls bind arguments as SQL Server does —
 * positional then named, names case-insensitive — with its errors (201, 8144, 8145, 119, 2812).
 * A system procedure called with a database prefix (`msdb.dbo.sp_x`) runs in that database.
 */
import type { LabSession } from '../model/instance';
import { msg, SqlError } from '../model/sql-error';
import type { EngineEvent, ExecContext, Param } from './context';
import { type Column, type SqlType, type SqlValue, T, typeOfValue } from './types';

export interface ProcArg {
  /** `@name` for a named argument. */
  readonly name?: string;
  readonly value: SqlValue;
  readonly type?: SqlType;
}

interface ProcDef {
  readonly name: string;
  readonly params: readonly { readonly name: string; readonly required: boolean }[];
  run(args: ReadonlyMap<string, SqlValue>, x: ExecContext, database: string): AsyncGenerator<EngineEvent, void, undefined>;
}

const pad5 = (n: number) => String(n).padEnd(5);
const two = (n: number) => String(n).padStart(2, '0');
const lastBatch = (d: Date) => `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;

/** sp_who / sp_who2 filter: 'active' drops idle sessions, a number picks a spid, other text a login. */
function whoFilter(arg: SqlValue, x: ExecContext): (s: LabSession) => boolean {
  if (arg === null) return () => true;
  const text = String(arg).trim();
  if (text.toLowerCase() === 'active') return (s) => s.system || s.spid === x.session.spid || s.status !== 'sleeping';
  if (/^\d+$/.test(text)) return (s) => s.spid === Number(text);
  const exists = x.session.instance.sessions.some((s) => s.login.toLowerCase() === text.toLowerCase());
  if (!exists) throw new SqlError({ number: 15007, class: 16, state: 1, message: `'${text}' is not a valid login or you do not have permission.` });
  return (s) => s.login.toLowerCase() === text.toLowerCase();
}

function sessionStatus(s: LabSession, x: ExecContext): string {
  return s.spid === x.session.spid ? 'RUNNABLE' : s.system ? 'BACKGROUND' : 'sleeping';
}

const WHO2_COLUMNS: readonly Column[] = ([
  ['SPID', T.varchar(5)], ['Status', T.nvarchar(30)], ['Login', T.sysname], ['HostName', T.sysname], ['BlkBy', T.varchar(5)], ['DBName', T.sysname],
  ['Command', T.nvarchar(16)], ['CPUTime', T.int], ['DiskIO', T.int], ['LastBatch', T.varchar(14)], ['ProgramName', T.sysname], ['SPID', T.varchar(5)],
  ['REQUESTID', T.int],
] as const).map(([name, type]) => ({ name, type }));

const WHO_COLUMNS: readonly Column[] = ([
  ['spid', T.smallint], ['ecid', T.smallint], ['status', T.nvarchar(30)], ['loginame', T.sysname], ['hostname', T.sysname], ['blk', T.varchar(5)],
  ['dbname', T.sysname], ['cmd', T.nvarchar(16)], ['request_id', T.int],
] as const).map(([name, type]) => ({ name, type }));

const PROCS: readonly ProcDef[] = [
  {
    name: 'sp_who2',
    params: [{ name: '@loginame', required: false }],
    async *run(args, x) {
      const keep = whoFilter(args.get('@loginame') ?? null, x);
      const rows = x.session.instance.sessions.filter(keep).map((s) => [
        pad5(s.spid), sessionStatus(s, x), s.login, s.host || '  .', '  .  ', s.system ? null : s.database,
        s.spid === x.session.spid ? 'SELECT INTO' : s.command, 0, 0, lastBatch(s.lastBatch), s.program, pad5(s.spid), 0,
      ]);
      yield { kind: 'rows', columns: WHO2_COLUMNS, rows };
    },
  },
  {
    name: 'sp_who',
    params: [{ name: '@loginame', required: false }],
    async *run(args, x) {
      const keep = whoFilter(args.get('@loginame') ?? null, x);
      const rows = x.session.instance.sessions.filter(keep).map((s) => [
        s.spid, 0, sessionStatus(s, x).toLowerCase(), s.login, s.host, '0    ', s.system ? null : s.database, s.spid === x.session.spid ? 'SELECT' : s.command, 0,
      ]);
      yield { kind: 'rows', columns: WHO_COLUMNS, rows };
    },
  },
  {
    name: 'sp_delete_log_shipping_secondary_database',
    params: [{ name: '@secondary_database', required: true }],
    async *run(args, x, database) {
      if (database.toLowerCase() !== 'master') throw new SqlError(msg.userMustBeInMaster());
      const name = String(args.get('@secondary_database') ?? '');
      const msdb = x.session.instance.msdb;
      const row = msdb.log_shipping_secondary_databases.find((r) => r.secondary_database.toLowerCase() === name.toLowerCase());
      if (!row) throw new SqlError(msg.notLogShippingSecondary(name));
      const remove = <R>(list: R[], pred: (r: R) => boolean) => {
        for (let i = list.length - 1; i >= 0; i--) if (pred(list[i]!)) list.splice(i, 1);
      };
      remove(msdb.log_shipping_secondary_databases, (r) => r === row);
      remove(msdb.log_shipping_monitor_secondary, (r) => r.secondary_id === row.secondary_id && r.secondary_database.toLowerCase() === name.toLowerCase());
      // Last database of this primary: sp_delete_log_shipping_secondary_primary removes the primary entry and its jobs.
      if (!msdb.log_shipping_secondary_databases.some((r) => r.secondary_id === row.secondary_id)) {
        const primary = msdb.log_shipping_secondary.find((r) => r.secondary_id === row.secondary_id);
        remove(msdb.log_shipping_secondary, (r) => r.secondary_id === row.secondary_id);
        if (primary) remove(msdb.sysjobs, (j) => j.job_id === primary.copy_job_id || j.job_id === primary.restore_job_id);
      }
      yield { kind: 'done' };
    },
  },
];

/** `[db.][schema.]name` → the procedure and the database it runs in. */
function resolveProc(parts: readonly string[], x: ExecContext): { proc: ProcDef | typeof EXECUTESQL; database: string } {
  const name = parts[parts.length - 1]!.toLowerCase();
  const schema = parts.length >= 2 ? parts[parts.length - 2]!.toLowerCase() : 'dbo';
  const db = parts.length === 3 && parts[0] !== '' ? parts[0]! : x.session.database;
  const proc = name === EXECUTESQL ? EXECUTESQL : PROCS.find((p) => p.name === name);
  if (!proc || parts.length > 3 || !['dbo', 'sys', ''].includes(schema) || !x.session.instance.database(db)) throw new SqlError(msg.procNotFound(parts.join('.')));
  return { proc, database: x.session.instance.database(db)!.name };
}

const EXECUTESQL = 'sp_executesql';

function bindArgs(proc: ProcDef, args: readonly ProcArg[]): Map<string, SqlValue> {
  const bound = new Map<string, SqlValue>();
  let named = false;
  args.forEach((a, i) => {
    if (a.name) {
      named = true;
      const p = proc.params.find((q) => q.name.toLowerCase() === a.name!.toLowerCase());
      if (!p) throw new SqlError(msg.procUnknownParam(a.name, proc.name));
      bound.set(p.name, a.value);
      return;
    }
    if (named) throw new SqlError({ number: 119, class: 15, state: 1, message: `Must pass parameter number ${i + 1} and subsequent parameters as '@name = value'. After the form '@name = value' has been used, all subsequent parameters must be passed in the form '@name = value'.` });
    const p = proc.params[i];
    if (!p) throw new SqlError(msg.procTooManyArgs(proc.name));
    bound.set(p.name, a.value);
  });
  for (const p of proc.params) if (p.required && bound.get(p.name) == null) throw new SqlError(msg.procMissingParam(proc.name, p.name));
  return bound;
}

/** Runs a procedure call (EXEC statement or RPC request). */
export async function* callProc(parts: readonly string[], args: readonly ProcArg[], x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
  const { proc, database } = resolveProc(parts, x);
  if (proc === EXECUTESQL) {
    const [statement, , ...rest] = args;
    if (!statement || statement.value === null) throw new SqlError(msg.procMissingParam(EXECUTESQL, '@statement'));
    const params = new Map<string, Param>();
    for (const a of rest) {
      if (!a.name) throw new SqlError({ number: 119, class: 15, state: 1, message: "Must pass parameter number 3 and subsequent parameters as '@name = value'. After the form '@name = value' has been used, all subsequent parameters must be passed in the form '@name = value'." });
      params.set(a.name.toLowerCase(), { type: a.type ?? typeOfValue(a.value), value: a.value });
    }
    yield* x.runBatch(String(statement.value), { ...x, params });
    return;
  }
  yield* proc.run(bindArgs(proc, args), x, database);
}
