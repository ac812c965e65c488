/**
 * The log chain planner (domain reference §6.3, §6.4): which log backups to apply, in which order,
 * to a database in RESTORING state. Pure; LSNs are decimal strings outside and BigInt inside —
 * never JS numbers, which lose digits above 2^53.
 *
 * Rules:
 * - a file is applicable when FirstLSN ≤ redo < LastLSN (LastLSN is exclusive);
 * - LastLSN ≤ redo: its records are already in the database ("too early" for SQL Server);
 * - after applying a file the redo point becomes its LastLSN, so a chain is consecutive
 *   (next.FirstLSN = previous.LastLSN);
 * - the smallest FirstLSN beyond the redo point with nothing applicable is a gap (Msg 4305
 *   "too recent"): planning stops there and names the missing range.
 * - files of another database or recovery fork, non-log backups and damaged sets are rejected up
 *   front; a set seen twice (same file, or the same LSN range under two names) is kept once.
 * - the writer (`ServerName`) may be the primary or the primary's mirror: after a mirror failover
 *   the mirror writes the log backups to the same share (§1.5(b)), and they continue the chain.
 *   A file written by any other server is rejected.
 * - a file rejected because of its writer or because it is damaged, whose LastLSN lies beyond
 *   the redo point, is `blocking`: its records may be needed, so the caller must stop before
 *   recovery (§6.3) — skipping it with a warning and recovering loses them for good.
 *   `FamilyGUID` is not compared on its own: a recovery fork belongs to one database's lineage,
 *   so a file with the database's fork has its family too [assumption, §6.3].
 */
import { InvalidValueError } from '../commands/errors';
import { parseGuid, parseLsn, type Lsn } from '../commands/values';

/** RESTORE HEADERONLY BackupType of a transaction log backup. */
export const LOG_BACKUP_TYPE = 2;

/** The columns of one RESTORE HEADERONLY row the planner needs, plus the file it came from. */
export interface LogBackupHeader {
  readonly file: string;
  /** Backup set position inside the file (`FILE =`); 1 when absent. */
  readonly position?: number;
  readonly databaseName: string;
  /** `@@SERVERNAME` of the server that took the backup: `HOST` or `HOST\INSTANCE`. */
  readonly serverName: string;
  readonly firstLsn: string;
  readonly lastLsn: string;
  readonly databaseBackupLsn: string;
  readonly firstRecoveryForkId: string;
  readonly backupType: number;
  readonly isDamaged?: boolean;
  readonly backupFinishDate: string;
}

export type RejectReason = 'other-database' | 'other-server' | 'other-fork' | 'not-a-log' | 'damaged' | 'duplicate';

export interface RejectedHeader {
  readonly header: LogBackupHeader;
  readonly reason: RejectReason;
  /** Human-readable explanation naming the expected value or the file it duplicates. */
  readonly detail: string;
}

export interface LogChainInput {
  readonly headers: readonly LogBackupHeader[];
  /** `redo_start_lsn` of the restoring database. */
  readonly redoLsn: string;
  /** `redo_start_fork_guid` of the restoring database. */
  readonly redoForkId: string;
  /** The database the files must belong to. */
  readonly database: string;
  /**
   * The servers that may have written them — the primary and, when it has one, the primary's
   * mirror: `host`, `host.domain` or `host\instance` each (see `sameServer`).
   */
  readonly writers: readonly string[];
}

export interface LogChainGap {
  /** The redo point the chain reached: the first LSN that no file provides. */
  readonly fromLsn: Lsn;
  /** The smallest FirstLSN available beyond it. */
  readonly toLsn: Lsn;
  /** The last file the chain reaches, if any was applicable. */
  readonly afterFile?: string;
  /** The file that starts at `toLsn`. */
  readonly nextFile: string;
}

export interface LogChainPlan {
  /** Files to restore WITH NORECOVERY, in this order. */
  readonly toApply: readonly LogBackupHeader[];
  /** Files whose records are all at or before the redo point (LastLSN ≤ redo), in LSN order. */
  readonly alreadyApplied: readonly LogBackupHeader[];
  readonly rejected: readonly RejectedHeader[];
  /** The rejected files that must stop the run before recovery (see the module comment), in LSN order. */
  readonly blocking: readonly RejectedHeader[];
  readonly gap?: LogChainGap;
  /** Files beyond the gap: they cannot be applied until the missing range is found. */
  readonly unreachable: readonly LogBackupHeader[];
  /** The redo point after `toApply` is applied. */
  readonly endLsn: Lsn;
}

/**
 * Whether a header's `ServerName` names the expected server. `@@SERVERNAME` carries the NetBIOS
 * host name, while the estate knows FQDNs: hosts are compared on their first DNS label, instances
 * exactly (a missing instance is the default instance), all case-insensitively.
 */
export function sameServer(headerServer: string, expected: string): boolean {
  return serverKey(headerServer) === serverKey(expected);
}

/** `HOST\INSTANCE` with the host cut to its first DNS label, upper-cased. */
function serverKey(name: string): string {
  const [host = '', instance = 'MSSQLSERVER'] = name.trim().toUpperCase().split('\\');
  return `${host.split('.')[0]}\\${instance}`;
}

interface Entry {
  readonly header: LogBackupHeader;
  readonly first: bigint;
  readonly last: bigint;
}

const byChain = (a: Entry, b: Entry) =>
  a.first !== b.first ? (a.first < b.first ? -1 : 1) : a.last !== b.last ? (a.last > b.last ? -1 : 1) : a.header.file < b.header.file ? -1 : a.header.file > b.header.file ? 1 : 0;

const LSN_TEXT = /^[0-9]{1,25}$/;

/** One BigInt per LSN column; this runs for every header, so no string round trip. */
const lsn = (header: LogBackupHeader, value: string, column: string): bigint => {
  if (typeof value !== 'string' || !LSN_TEXT.test(value)) {
    throw new InvalidValueError('lsn', String(value), `${column} of ${header.file} must be 1 to 25 decimal digits`);
  }
  return BigInt(value);
};

interface Expected {
  readonly database: string;
  readonly writers: ReadonlySet<string>;
  readonly fork: string;
  readonly input: LogChainInput;
  /** Parsed fork ids by their text: headers repeat the same few values thousands of times. */
  readonly forks: Map<string, string>;
}

function forkOf(expected: Expected, text: string): string {
  let fork = expected.forks.get(text);
  if (fork === undefined) expected.forks.set(text, (fork = parseGuid(text)));
  return fork;
}

function rejection(header: LogBackupHeader, expected: Expected): RejectedHeader | undefined {
  const input = expected.input;
  if (header.backupType !== LOG_BACKUP_TYPE) {
    return { header, reason: 'not-a-log', detail: `backup type ${header.backupType} is not a transaction log backup (2)` };
  }
  if (header.databaseName.toLowerCase() !== expected.database) {
    return { header, reason: 'other-database', detail: `belongs to database ${header.databaseName}, not ${input.database}` };
  }
  // The identity tests first: only a file of this database and fork can be blocking.
  if (forkOf(expected, header.firstRecoveryForkId) !== expected.fork) {
    return { header, reason: 'other-fork', detail: `recovery fork ${header.firstRecoveryForkId} differs from the database's ${input.redoForkId}` };
  }
  if (!expected.writers.has(serverKey(header.serverName))) {
    const [primary, mirror] = input.writers;
    return { header, reason: 'other-server', detail: `was written by ${header.serverName}, ${mirror ? `neither the primary ${primary} nor its mirror ${mirror}` : `not the primary ${primary}`}` };
  }
  if (header.isDamaged === true) return { header, reason: 'damaged', detail: 'the backup set is marked damaged' };
  return undefined;
}

export function planLogChain(input: LogChainInput): LogChainPlan {
  const redo = BigInt(parseLsn(input.redoLsn));
  const expected: Expected = {
    database: input.database.toLowerCase(),
    writers: new Set(input.writers.map(serverKey)),
    fork: parseGuid(input.redoForkId),
    input,
    forks: new Map(),
  };
  const rejected: RejectedHeader[] = [];
  const valid: Entry[] = [];
  const seenFiles = new Set<string>();

  for (const header of input.headers) {
    const first = lsn(header, header.firstLsn, 'FirstLSN');
    const last = lsn(header, header.lastLsn, 'LastLSN');
    if (first > last) throw new InvalidValueError('lsn', header.firstLsn, `FirstLSN of ${header.file} is after its LastLSN ${header.lastLsn}`);
    const fileKey = `${header.file.toLowerCase()}#${header.position ?? 1}`;
    if (seenFiles.has(fileKey)) {
      rejected.push({ header, reason: 'duplicate', detail: `${header.file} is listed twice` });
      continue;
    }
    seenFiles.add(fileKey);
    const refused = rejection(header, expected);
    if (refused) rejected.push(refused);
    else valid.push({ header, first, last });
  }

  // The same backup set under two names: keep the one whose name sorts first, so the result
  // does not depend on the order the files were listed in.
  valid.sort(byChain);
  const unique: Entry[] = [];
  for (const e of valid) {
    const kept = unique[unique.length - 1];
    if (kept && kept.first === e.first && kept.last === e.last) {
      rejected.push({ header: e.header, reason: 'duplicate', detail: `same backup set (LSN ${e.header.firstLsn}–${e.header.lastLsn}) as ${kept.header.file}` });
    } else {
      unique.push(e);
    }
  }

  const alreadyApplied = unique.filter((e) => e.last <= redo).map((e) => e.header);
  const pending = unique.filter((e) => e.last > redo);

  // One sweep in chain order: every file starting at or before the redo point is either the one
  // reaching furthest (applied next) or wholly covered by it (a copy-only log backup next to the
  // regular one, for instance).
  const toApply: Entry[] = [];
  let cursor = redo;
  let i = 0;
  for (;;) {
    let best: Entry | undefined;
    const covered: Entry[] = [];
    while (i < pending.length && pending[i]!.first <= cursor) {
      const e = pending[i++]!;
      if (e.last <= cursor) covered.push(e);
      else if (!best || e.last > best.last) {
        if (best) covered.push(best);
        best = e;
      } else covered.push(e);
    }
    for (const e of covered) {
      const by = best ?? toApply[toApply.length - 1]!;
      rejected.push({ header: e.header, reason: 'duplicate', detail: `its log records are all in ${by.header.file}` });
    }
    if (!best) break;
    toApply.push(best);
    cursor = best.last;
  }

  const rest = pending.slice(i);
  const next = rest[0];
  const endLsn = cursor.toString() as Lsn;
  const gap: LogChainGap | undefined = next && {
    fromLsn: endLsn,
    toLsn: next.first.toString() as Lsn,
    ...(toApply.length > 0 ? { afterFile: toApply[toApply.length - 1]!.header.file } : {}),
    nextFile: next.header.file,
  };
  return {
    toApply: toApply.map((e) => e.header),
    alreadyApplied,
    rejected,
    blocking: blockingOf(rejected, redo),
    ...(gap ? { gap } : {}),
    unreachable: rest.map((e) => e.header),
    endLsn,
  };
}

/** Reasons that say nothing about whether the file's records are needed: they must not be skipped. */
const BLOCKING_REASONS: ReadonlySet<RejectReason> = new Set(['other-server', 'damaged']);

function blockingOf(rejected: readonly RejectedHeader[], redo: bigint): RejectedHeader[] {
  return rejected
    .filter((r) => BLOCKING_REASONS.has(r.reason) && BigInt(r.header.lastLsn) > redo)
    .sort((a, b) => (BigInt(a.header.firstLsn) < BigInt(b.header.firstLsn) ? -1 : BigInt(a.header.firstLsn) > BigInt(b.header.firstLsn) ? 1 : 0));
}
