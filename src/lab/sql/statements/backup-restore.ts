/**
 * RESTORE HEADERONLY / RESTORE FILELISTONLY / RESTORE LOG / RESTORE DATABASE (with MOVE) /
 * BACKUP DATABASE / BACKUP LOG (the tail-log backup WITH NORECOVERY). The device is
 * `DISK = 'path'` (literal or @parameter); options come after WITH in any order. A RESTORE streams
 * "N percent processed." (3211) every STATS percent (default 5), each flushed to the client and
 * followed by a real `progressDelayMs` pause, then "Processed N pages …" (4035) and
 * "<op> successfully processed …" (3014). The change is applied only after 100 percent: a
 * cancelled or disconnected restore changes nothing.
 */
import type { BackupSetHeader } from '../../model/backup-file';
import { type FileMove, type PreparedOperation, prepareBackupDatabase, prepareBackupLog, prepareRecovery, prepareRestoreDatabase, prepareRestoreLog, readDevice, type RestoreEnd } from '../../model/operations';
import { msg, SqlError } from '../../model/sql-error';
import type { EngineEvent, ExecContext } from '../context';
import type { Parser } from '../parser';
import { type Column, type SqlType, type SqlValue, T } from '../types';
import type { SqlVersionProfile } from '../version';
import type { Recognizer } from './recognizer';

/** A literal or a parameter reference, resolved when the statement runs. */
type TextValue = { readonly literal: string } | { readonly param: string };

interface Options {
  readonly flags: ReadonlySet<string>;
  readonly file: number;
  readonly stats?: number;
  /** STANDBY = 'undo file'. */
  readonly standby?: TextValue;
  /** `MOVE 'logical' TO 'physical'`, each as written (resolved when the statement runs). */
  readonly moves: readonly { readonly logical: TextValue; readonly physical: TextValue }[];
}

/** Options each statement accepts; anything else is Msg 3032 like SQL Server's. */
const RESTORE_OPTIONS = ['RECOVERY', 'NORECOVERY', 'STANDBY', 'REPLACE', 'STATS', 'FILE', 'NOUNLOAD', 'UNLOAD', 'REWIND', 'NOREWIND', 'CHECKSUM', 'NO_CHECKSUM', 'MOVE', 'RESTRICTED_USER', 'KEEP_REPLICATION', 'BUFFERCOUNT', 'MAXTRANSFERSIZE', 'BLOCKSIZE'];
const HEADERONLY_OPTIONS = ['FILE', 'NOUNLOAD', 'UNLOAD', 'REWIND', 'NOREWIND', 'CHECKSUM', 'NO_CHECKSUM'];
/** BACKUP LOG: BACKUP DATABASE's options and NORECOVERY (the tail-log backup). */
const BACKUP_LOG_OPTIONS = () => [...BACKUP_OPTIONS, 'NORECOVERY'];
const BACKUP_OPTIONS = ['INIT', 'NOINIT', 'FORMAT', 'NOFORMAT', 'SKIP', 'NOSKIP', 'STATS', 'NAME', 'DESCRIPTION', 'COMPRESSION', 'NO_COMPRESSION', 'COPY_ONLY', 'CHECKSUM', 'NO_CHECKSUM', 'NOUNLOAD', 'UNLOAD', 'REWIND', 'NOREWIND', 'BUFFERCOUNT', 'MAXTRANSFERSIZE', 'BLOCKSIZE', 'MEDIANAME', 'MEDIADESCRIPTION'];

function textValue(p: Parser): TextValue {
  const t = p.peek();
  if (t.kind === 'var') {
    p.next();
    return { param: t.value };
  }
  return { literal: p.string() };
}

function resolveText(v: TextValue, x: ExecContext): string {
  if ('literal' in v) return v.literal;
  const param = x.params.get(v.param.toLowerCase());
  if (!param) throw new SqlError(msg.undeclaredVariable(v.param));
  if (param.value === null) throw new SqlError({ number: 3044, class: 16, state: 2, message: 'Invalid zero-length device name. Reissue the BACKUP statement with a valid device name.' });
  return String(param.value);
}

/** `DISK = 'path'` (a single device: striped media sets are not simulated). */
function parseDevice(p: Parser): TextValue {
  p.expectWord('DISK');
  p.expectOp('=');
  const device = textValue(p);
  if (p.atOp(',') && p.atWord('DISK', 1)) throw new SqlError({ number: 3132, class: 16, state: 1, message: 'The media set has 2 media families but only 1 are provided. All members must be provided.' });
  return device;
}

function parseWith(p: Parser, allowed: readonly string[]): Options {
  const flags = new Set<string>();
  let file = 1;
  let stats: number | undefined;
  let standby: TextValue | undefined;
  const moves: { logical: TextValue; physical: TextValue }[] = [];
  if (!p.acceptWord('WITH')) return { flags, file, moves };
  do {
    const t = p.peek();
    if (t.kind !== 'word') throw p.error();
    const name = t.value.toUpperCase();
    if (!allowed.includes(name)) {
      if (RESTORE_OPTIONS.includes(name) || BACKUP_OPTIONS.includes(name)) {
        throw new SqlError({ number: 3032, class: 16, state: 2, message: `One or more of the options (${name.toLowerCase()}) are not supported for this statement. Review the documentation for supported options.` });
      }
      throw p.error();
    }
    p.next();
    if (name === 'MOVE') {
      const logical = textValue(p);
      p.expectWord('TO');
      moves.push({ logical, physical: textValue(p) });
    } else if (name === 'STANDBY') {
      p.expectOp('=');
      standby = textValue(p);
    } else if (name === 'STATS') {
      stats = p.acceptOp('=') ? p.integer() : 10;
      if (stats < 1 || stats > 100) throw new SqlError({ number: 3250, class: 16, state: 1, message: `The value '${stats}' is not within range for the STATS parameter.` });
    } else if (['FILE', 'BUFFERCOUNT', 'MAXTRANSFERSIZE', 'BLOCKSIZE'].includes(name)) {
      p.expectOp('=');
      const v = p.integer();
      if (name === 'FILE') file = v;
    } else if (['NAME', 'DESCRIPTION', 'MEDIANAME', 'MEDIADESCRIPTION'].includes(name)) {
      p.expectOp('=');
      textValue(p);
    }
    flags.add(name);
  } while (p.acceptOp(','));
  // RECOVERY, NORECOVERY and STANDBY exclude each other (RESTORE arguments, SQL Server docs).
  const ends = ['RECOVERY', 'NORECOVERY', 'STANDBY'].filter((o) => flags.has(o));
  if (ends.length > 1) {
    throw new SqlError({ number: 3032, class: 16, state: 2, message: `One or more of the options (${ends.map((o) => o.toLowerCase()).join(', ')}) are not supported for this statement. Review the documentation for supported options.` });
  }
  return { flags, file, moves, ...(stats === undefined ? {} : { stats }), ...(standby === undefined ? {} : { standby }) };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/** Runs a prepared BACKUP/RESTORE with progress messages; applies it only if it gets to 100 percent. */
async function* runOperation(op: PreparedOperation, x: ExecContext, stats: number | undefined, progress: boolean): AsyncGenerator<EngineEvent, void, undefined> {
  const { instance, model } = x.session;
  const key = op.database.toLowerCase();
  if (instance.busy.has(key)) throw new SqlError(msg.exclusiveAccess(), [msg.terminating(op.operation)]);
  instance.busy.add(key);
  const started = performance.now();
  try {
    if (progress) {
      const step = stats ?? 5;
      const points: number[] = [];
      for (let pct = step; pct < 100; pct += step) points.push(pct);
      points.push(100);
      for (const pct of points) {
        if (x.signal.aborted) return;
        yield { kind: 'message', message: msg.info(3211, `${pct} percent processed.`) };
        // Pushing each message out only matters when time passes between them.
        if (x.options.progressDelayMs > 0) yield { kind: 'flush' };
        if (pct >= 50 && op.operation.startsWith('RESTORE') && model.faults.has('sql-disconnect-during-restore')) {
          yield { kind: 'disconnect' };
          return;
        }
        await sleep(x.options.progressDelayMs, x.signal);
      }
      if (x.signal.aborted) return;
    }
    op.apply();
  } finally {
    instance.busy.delete(key);
  }
  for (const f of op.files) yield { kind: 'message', message: msg.info(4035, `Processed ${f.pages} pages for database '${op.database}', file '${f.logical}' on file 1.`) };
  const pages = op.files.reduce((n, f) => n + f.pages, 0);
  const seconds = Math.max(0.001, (performance.now() - started) / 1000);
  const mbps = (pages * 8192) / 1048576 / seconds;
  yield { kind: 'message', message: msg.info(3014, `${op.operation} successfully processed ${pages} pages in ${seconds.toFixed(3)} seconds (${mbps.toFixed(3)} MB/sec).`) };
}

/** RECOVERY / NORECOVERY / STANDBY as written; `recoveryByDefault`: RESTORE DATABASE recovers unless told not to, RESTORE LOG does not (lab). */
function restoreEnd(opts: Options, x: ExecContext, recoveryByDefault: boolean): RestoreEnd {
  if (opts.standby) return { recovery: false, standby: resolveText(opts.standby, x) };
  return { recovery: recoveryByDefault ? !opts.flags.has('NORECOVERY') : opts.flags.has('RECOVERY') };
}

// ---------------------------------------------------------------- RESTORE HEADERONLY

/** RESTORE HEADERONLY of SQL Server 2008 R2 (10.50), in result-set order. */
const HEADER_BASE: readonly (readonly [string, SqlType])[] = [
  ['BackupName', T.nvarchar(128)], ['BackupDescription', T.nvarchar(255)], ['BackupType', T.smallint], ['ExpirationDate', T.datetime],
  ['Compressed', T.bit], ['Position', T.smallint], ['DeviceType', T.tinyint], ['UserName', T.nvarchar(128)], ['ServerName', T.nvarchar(128)],
  ['DatabaseName', T.nvarchar(128)], ['DatabaseVersion', T.int], ['DatabaseCreationDate', T.datetime], ['BackupSize', T.decimal(20, 0)],
  ['FirstLSN', T.lsn], ['LastLSN', T.lsn], ['CheckpointLSN', T.lsn], ['DatabaseBackupLSN', T.lsn], ['BackupStartDate', T.datetime],
  ['BackupFinishDate', T.datetime], ['SortOrder', T.smallint], ['CodePage', T.smallint], ['UnicodeLocaleId', T.int], ['UnicodeComparisonStyle', T.int],
  ['CompatibilityLevel', T.tinyint], ['SoftwareVendorId', T.int], ['SoftwareVersionMajor', T.int], ['SoftwareVersionMinor', T.int],
  ['SoftwareVersionBuild', T.int], ['MachineName', T.nvarchar(128)], ['Flags', T.int], ['BindingID', T.guid], ['RecoveryForkID', T.guid],
  ['Collation', T.nvarchar(128)], ['FamilyGUID', T.guid], ['HasBulkLoggedData', T.bit], ['IsSnapshot', T.bit], ['IsReadOnly', T.bit],
  ['IsSingleUser', T.bit], ['HasBackupChecksums', T.bit], ['IsDamaged', T.bit], ['BeginsLogChain', T.bit], ['HasIncompleteMetaData', T.bit],
  ['IsForceOffline', T.bit], ['IsCopyOnly', T.bit], ['FirstRecoveryForkID', T.guid], ['ForkPointLSN', T.lsn], ['RecoveryModel', T.nvarchar(60)],
  ['DifferentialBaseLSN', T.lsn], ['DifferentialBaseGUID', T.guid], ['BackupTypeDescription', T.nvarchar(60)], ['BackupSetGUID', T.guid],
  ['CompressedBackupSize', T.bigint],
];

/** Columns later versions append: 2012 Containment; 2014 (CU1) the encryption ones; 2022 three more. */
const HEADER_ADDED: readonly { readonly since: number; readonly columns: readonly (readonly [string, SqlType])[] }[] = [
  { since: 11, columns: [['Containment', T.tinyint]] },
  { since: 12, columns: [['KeyAlgorithm', T.nvarchar(32)], ['EncryptorThumbprint', { kind: 'varbinary', length: 20 }], ['EncryptorType', T.nvarchar(32)]] },
  { since: 16, columns: [['LastValidRestoreTime', T.datetime], ['TimeZone', T.nvarchar(32)], ['CompressionAlgorithm', T.nvarchar(32)]] },
];

/** The RESTORE HEADERONLY result set of a SQL Server major version. */
export function headerOnlyColumnsOf(major: number): readonly Column[] {
  return [...HEADER_BASE, ...HEADER_ADDED.filter((a) => major >= a.since).flatMap((a) => a.columns)].map(([name, type]) => ({ name, type }));
}

/** Each instance answers as the version it reports (@@VERSION, SERVERPROPERTY('ProductVersion')). */
const HEADER_COLUMNS = new Map<number, readonly Column[]>();
function headerColumnsOn(major: number): readonly Column[] {
  let columns = HEADER_COLUMNS.get(major);
  if (!columns) HEADER_COLUMNS.set(major, (columns = headerOnlyColumnsOf(major)));
  return columns;
}

function headerRow(h: BackupSetHeader, position: number, version: SqlVersionProfile): SqlValue[] {
  const size = BigInt(h.pages * 8192 + 8192);
  const byName: Record<string, SqlValue> = {
    BackupName: null, BackupDescription: null, BackupType: h.type === 'D' ? 1 : 2, ExpirationDate: null, Compressed: false, Position: position,
    DeviceType: 2, UserName: 'NT SERVICE\\SQLSERVERAGENT', ServerName: h.server, DatabaseName: h.database, DatabaseVersion: version.databaseVersion,
    DatabaseCreationDate: null, BackupSize: size, FirstLSN: h.firstLsn, LastLSN: h.lastLsn, CheckpointLSN: h.checkpointLsn,
    DatabaseBackupLSN: h.databaseBackupLsn, BackupStartDate: h.backupStart, BackupFinishDate: h.backupFinish, SortOrder: 52, CodePage: 0,
    UnicodeLocaleId: 1033, UnicodeComparisonStyle: 196609, CompatibilityLevel: version.compatibilityLevel, SoftwareVendorId: 4608,
    SoftwareVersionMajor: version.major, SoftwareVersionMinor: version.minor, SoftwareVersionBuild: version.build,
    MachineName: h.machine, Flags: 512, BindingID: h.bindingId, RecoveryForkID: h.recoveryForkId,
    Collation: 'SQL_Latin1_General_CP1_CI_AS', FamilyGUID: h.familyGuid, HasBulkLoggedData: false, IsSnapshot: false, IsReadOnly: false,
    IsSingleUser: false, HasBackupChecksums: false, IsDamaged: false, BeginsLogChain: false, HasIncompleteMetaData: false, IsForceOffline: false,
    IsCopyOnly: false, FirstRecoveryForkID: h.recoveryForkId, ForkPointLSN: null, RecoveryModel: h.recoveryModel, DifferentialBaseLSN: null,
    DifferentialBaseGUID: null, BackupTypeDescription: h.type === 'D' ? 'Database' : 'Transaction Log', BackupSetGUID: h.backupSetGuid,
    CompressedBackupSize: size, Containment: 0,
  };
  return headerColumnsOn(version.major).map((c) => byName[c.name] ?? null);
}

export const restoreHeaderOnly: Recognizer = {
  id: 'restore-headeronly',
  matches: (p) => p.atWord('RESTORE') && p.atWord('HEADERONLY', 1),
  compile(p) {
    p.expectWord('RESTORE');
    p.expectWord('HEADERONLY');
    p.expectWord('FROM');
    const device = parseDevice(p);
    const opts = parseWith(p, HEADERONLY_OPTIONS);
    return async function* (x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
      const path = resolveText(device, x);
      const sets = readDevice(x.session.model, x.session.instance, path, 'RESTORE HEADERONLY');
      const rows = sets.map((h, i) => ({ h, position: i + 1 })).filter((r) => !opts.flags.has('FILE') || r.position === opts.file);
      try {
        const { version } = x.session.instance;
        yield { kind: 'rows', columns: headerColumnsOn(version.major), rows: rows.map((r) => headerRow(r.h, r.position, version)) };
      } catch (e) {
        // The result set was refused where it went (INSERT … EXEC into a table of another shape: 213).
        if (e instanceof SqlError) throw new SqlError(e.messages[0]!, [...e.followUps, msg.terminating('RESTORE HEADERONLY')]);
        throw e;
      }
    };
  },
};

// ---------------------------------------------------------------- RESTORE LOG / DATABASE, BACKUP DATABASE

export const restoreLog: Recognizer = {
  id: 'restore-log',
  matches: (p) => p.atWord('RESTORE') && p.atWord('LOG', 1),
  compile(p) {
    p.expectWord('RESTORE');
    p.expectWord('LOG');
    const db = p.identifier();
    p.expectWord('FROM');
    const device = parseDevice(p);
    const opts = parseWith(p, RESTORE_OPTIONS.filter((o) => o !== 'REPLACE'));
    return async function* (x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
      const { model, instance } = x.session;
      const op = prepareRestoreLog(model, instance, x.session.caller(), db, resolveText(device, x), { file: opts.file, ...restoreEnd(opts, x, false) });
      yield* runOperation(op, x, opts.stats, true);
    };
  },
};

export const restoreDatabase: Recognizer = {
  id: 'restore-database',
  matches: (p) => p.atWord('RESTORE') && p.atWord('DATABASE', 1),
  compile(p) {
    p.expectWord('RESTORE');
    p.expectWord('DATABASE');
    const db = p.identifier();
    const device = p.acceptWord('FROM') ? parseDevice(p) : undefined;
    const opts = parseWith(p, RESTORE_OPTIONS);
    if (!device && !opts.flags.has('RECOVERY')) {
      // Without FROM only the recovery-only form exists.
      throw new SqlError({ number: 3032, class: 16, state: 2, message: 'One or more of the options (norecovery) are not supported for this statement. Review the documentation for supported options.' });
    }
    return async function* (x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
      const { model, instance } = x.session;
      const caller = x.session.caller();
      const op = device
        ? prepareRestoreDatabase(model, instance, caller, db, resolveText(device, x), {
            file: opts.file,
            replace: opts.flags.has('REPLACE'),
            moves: opts.moves.map((m): FileMove => ({ logical: resolveText(m.logical, x), physical: resolveText(m.physical, x) })),
            ...restoreEnd(opts, x, true),
          })
        : prepareRecovery(model, instance, caller, db);
      yield* runOperation(op, x, opts.stats, true);
    };
  },
};

export const backupDatabase: Recognizer = {
  id: 'backup-database',
  matches: (p) => p.atWord('BACKUP') && p.atWord('DATABASE', 1),
  compile(p) {
    p.expectWord('BACKUP');
    p.expectWord('DATABASE');
    const db = p.identifier();
    p.expectWord('TO');
    const device = parseDevice(p);
    const opts = parseWith(p, BACKUP_OPTIONS);
    return async function* (x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
      const { model, instance } = x.session;
      const op = prepareBackupDatabase(model, instance, x.session.caller(), db, resolveText(device, x), {
        init: opts.flags.has('INIT') || opts.flags.has('FORMAT'), copyOnly: opts.flags.has('COPY_ONLY'),
      });
      yield* runOperation(op, x, opts.stats, opts.stats !== undefined);
    };
  },
};

export const backupLog: Recognizer = {
  id: 'backup-log',
  matches: (p) => p.atWord('BACKUP') && p.atWord('LOG', 1),
  compile(p) {
    p.expectWord('BACKUP');
    p.expectWord('LOG');
    const db = p.identifier();
    p.expectWord('TO');
    const device = parseDevice(p);
    const opts = parseWith(p, BACKUP_LOG_OPTIONS());
    return async function* (x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
      const { model, instance } = x.session;
      const op = prepareBackupLog(model, instance, x.session.caller(), db, resolveText(device, x), {
        init: opts.flags.has('INIT') || opts.flags.has('FORMAT'), norecovery: opts.flags.has('NORECOVERY'),
      });
      yield* runOperation(op, x, opts.stats, opts.stats !== undefined);
    };
  },
};

// ---------------------------------------------------------------- RESTORE FILELISTONLY

/**
 * RESTORE FILELISTONLY's columns common to SQL Server 2008 R2–2014, in result-set order (sql-docs
 * `restore-statements-filelistonly-transact-sql.md`; SnapshotURL, added in 2016, is left out).
 */
const FILELIST_COLUMNS: readonly Column[] = (
  [
    ['LogicalName', T.nvarchar(128)], ['PhysicalName', T.nvarchar(260)], ['Type', T.nvarchar(1)], ['FileGroupName', T.nvarchar(128)],
    ['Size', T.decimal(20, 0)], ['MaxSize', T.decimal(20, 0)], ['FileId', T.bigint], ['CreateLSN', T.lsn], ['DropLSN', T.lsn],
    ['UniqueId', T.guid], ['ReadOnlyLSN', T.lsn], ['ReadWriteLSN', T.lsn], ['BackupSizeInBytes', T.bigint], ['SourceBlockSize', T.int],
    ['FileGroupId', T.int], ['LogGroupGUID', T.guid], ['DifferentialBaseLSN', T.lsn], ['DifferentialBaseGUID', T.guid], ['IsReadOnly', T.bit],
    ['IsPresent', T.bit], ['TDEThumbprint', { kind: 'varbinary', length: 32 }],
  ] as const
).map(([name, type]) => ({ name, type }));

export const restoreFileListOnly: Recognizer = {
  id: 'restore-filelistonly',
  matches: (p) => p.atWord('RESTORE') && p.atWord('FILELISTONLY', 1),
  compile(p) {
    p.expectWord('RESTORE');
    p.expectWord('FILELISTONLY');
    p.expectWord('FROM');
    const device = parseDevice(p);
    const opts = parseWith(p, HEADERONLY_OPTIONS);
    return async function* (x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
      const path = resolveText(device, x);
      const sets = readDevice(x.session.model, x.session.instance, path, 'RESTORE FILELIST');
      const set = sets[opts.file - 1];
      if (!set) throw new SqlError(msg.noFileInSet(opts.file, path), [msg.terminating('RESTORE FILELIST')]);
      // A log backup lists the files of the database it came from; the lab records them for full backups only.
      const files = set.files ?? [];
      const rows = files.map((f, i): SqlValue[] => {
        const size = BigInt((f.type === 'D' ? 2048 : 1024) * 8192);
        return [
          f.logical, f.physical, f.type, f.type === 'D' ? 'PRIMARY' : null, size, 35184372080640n, BigInt(i + 1), 0n, 0n, null, 0n, 0n,
          f.type === 'D' ? BigInt(set.pages * 8192) : 0n, 512, f.type === 'D' ? 1 : 0, null, 0n, null, false, true, null,
        ];
      });
      yield { kind: 'rows', columns: FILELIST_COLUMNS, rows };
    };
  },
};
