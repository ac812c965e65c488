/**
 * The state changes of BACKUP / RESTORE / mirroring with SQL Server's rules (domain reference
 * §6.3–6.5): LSN chain checks (4305 too recent, 4326 too early), recovery forks, exclusive
 * access, msdb history. Each RESTORE is prepared first (every check runs, nothing changes), so the
 * engine can stream progress and apply it only at the end — a cancelled or disconnected restore
 * leaves the database as it was, like an aborted real restore.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FaultSet } from '../faults';
import { BackupFileDamaged, type BackupSetHeader, readBackupFile, writeBackupFile } from './backup-file';
import { databaseFiles, defaultDatabaseFiles, type LabDatabase, type LabDatabaseFile, type LabInstance, newGuid } from './instance';
import { advanceLsn, formatLsn } from './lsn';
import { labPathFor, parseWindowsPath } from './paths';
import { backupRestoreError, msg, SqlError } from './sql-error';

/** What operations need from the model around them. */
export interface ModelContext {
  readonly root: string;
  readonly faults: FaultSet;
  now(): Date;
  instance(id: string): LabInstance | undefined;
  /** Told of every restore recorded in an instance's msdb.restorehistory. */
  restored?(event: LabRestoreEvent): void;
}

/** A restore the lab recorded (the `restore` event of LabModel). */
export interface LabRestoreEvent {
  readonly instanceId: string;
  readonly database: string;
  /** The Windows path restored from. */
  readonly device: string;
  /** `D` database, `L` log. */
  readonly type: string;
  readonly recovery: boolean;
}

/** The session running a statement: restores need exclusive access to their database. */
export interface Caller {
  readonly spid: number;
  readonly database: string;
  readonly login: string;
}

export interface FileProgress {
  /** Logical file name (`mgc`, `mgc_log`). */
  readonly logical: string;
  readonly pages: number;
}

export interface PreparedOperation {
  /** `RESTORE LOG`, `RESTORE DATABASE`, `BACKUP DATABASE`: the words of the 3014 message. */
  readonly operation: string;
  readonly database: string;
  readonly files: readonly FileProgress[];
  apply(): void;
}

const OS_ERRORS = {
  fileNotFound: '2(The system cannot find the file specified.)',
  pathNotFound: '3(The system cannot find the path specified.)',
  networkPath: '53(The network path was not found.)',
  diskFull: '112(There is not enough space on the disk.)',
} as const;

/** The local file of a backup device path, or the OS error a real server would report for it. */
export function deviceFile(ctx: ModelContext, instance: LabInstance, device: string, mode: 'read' | 'write'): { file: string } | { osError: string } {
  let parsed;
  try {
    parsed = parseWindowsPath(device);
  } catch {
    return { osError: OS_ERRORS.pathNotFound };
  }
  const file = labPathFor(device, { root: ctx.root, server: instance.server });
  if (parsed.kind === 'unc') {
    if (ctx.faults.has('share-unreachable') || !fs.existsSync(path.join(ctx.root, 'shares', parsed.host, parsed.share))) return { osError: OS_ERRORS.networkPath };
  } else if (mode === 'write' && ctx.faults.has('copy-disk-full')) {
    return { osError: OS_ERRORS.diskFull };
  }
  if (!fs.existsSync(path.dirname(file))) return { osError: OS_ERRORS.pathNotFound };
  if (mode === 'read' && !fs.existsSync(file)) return { osError: OS_ERRORS.fileNotFound };
  return { file };
}

/** Reads the backup sets on a device, raising 3201 / 3241 (+ 3013 for `operation`). */
export function readDevice(ctx: ModelContext, instance: LabInstance, device: string, operation: string): BackupSetHeader[] {
  const where = deviceFile(ctx, instance, device, 'read');
  if ('osError' in where) throw backupRestoreError(msg.cannotOpenDevice(device, where.osError), operation);
  try {
    return readBackupFile(where.file);
  } catch (e) {
    if (e instanceof BackupFileDamaged) throw backupRestoreError(msg.mediaDamaged(device), operation);
    throw backupRestoreError(msg.cannotOpenDevice(device, OS_ERRORS.fileNotFound), operation);
  }
}

function backupSet(sets: BackupSetHeader[], file: number, device: string, operation: string): BackupSetHeader {
  const set = sets[file - 1];
  if (!set) throw backupRestoreError(msg.noFileInSet(file, device), operation);
  return set;
}

function requireExclusive(instance: LabInstance, caller: Caller, db: string, operation: string, verb: string): void {
  if (caller.database.toLowerCase() === db.toLowerCase()) throw backupRestoreError(msg.inUseBySession(verb, db), operation);
  if (instance.busy.has(db.toLowerCase()) || instance.usersIn(db, caller.spid).length > 0) throw backupRestoreError(msg.exclusiveAccess(), operation);
}

function dataAndLogFiles(db: string, pages: number): FileProgress[] {
  const logPages = Math.max(2, Math.round(pages / 20));
  return [{ logical: db, pages: pages - logPages }, { logical: `${db}_log`, pages: logPages }];
}

function recordRestore(ctx: ModelContext, instance: LabInstance, caller: Caller, db: LabDatabase, set: BackupSetHeader, device: string, opts: { replace: boolean; recovery: boolean }): void {
  const id = instance.msdb.addBackupSet(
    {
      backup_set_uuid: set.backupSetGuid, name: null, user_name: caller.login, database_name: set.database, server_name: set.server, machine_name: set.machine,
      type: set.type, first_lsn: set.firstLsn, last_lsn: set.lastLsn, checkpoint_lsn: set.checkpointLsn, database_backup_lsn: set.databaseBackupLsn,
      backup_start_date: set.backupStart, backup_finish_date: set.backupFinish, backup_size: BigInt(set.pages * 8192), is_copy_only: false,
      first_recovery_fork_guid: set.recoveryForkId, last_recovery_fork_guid: set.recoveryForkId, recovery_model: set.recoveryModel,
    },
    device,
  );
  instance.msdb.addRestore({ restore_date: ctx.now(), destination_database_name: db.name, user_name: caller.login, backup_set_id: id, restore_type: set.type, replace: opts.replace, recovery: opts.recovery });
  ctx.restored?.({ instanceId: instance.id, database: db.name, device, type: set.type, recovery: opts.recovery });
}

function recover(db: LabDatabase): void {
  db.state = 'ONLINE';
  db.standby = false;
  db.logEnd = db.redoLsn ?? db.logEnd;
  db.logBackupStart = db.logEnd;
  db.redoLsn = null;
  // Recovery starts a new recovery fork: logs of the old branch no longer apply after it.
  db.forkGuid = newGuid();
}

/** How a restore leaves the database: RESTORING (NORECOVERY), ONLINE (RECOVERY) or readable standby (STANDBY = 'undo file'). */
export interface RestoreEnd {
  readonly recovery: boolean;
  /** STANDBY: the undo file's path (the lab does not write it). */
  readonly standby?: string;
}

/** After the restore of a log or full backup that was not recovered: standby or not. */
function endRestore(db: LabDatabase, opts: RestoreEnd): void {
  if (opts.recovery) recover(db);
  else db.standby = opts.standby !== undefined;
}

/** `RESTORE LOG db FROM DISK = device WITH [NO]RECOVERY | STANDBY = file, FILE = n`. */
export function prepareRestoreLog(ctx: ModelContext, instance: LabInstance, caller: Caller, dbName: string, device: string, opts: { file: number } & RestoreEnd): PreparedOperation {
  const operation = 'RESTORE LOG';
  const db = instance.database(dbName);
  if (!db || db.state !== 'RESTORING' || db.redoLsn === null) throw backupRestoreError(msg.noFilesToRollForward(), operation);
  if (db.mirroring) throw backupRestoreError(msg.mirrored(db.name), operation);
  requireExclusive(instance, caller, db.name, operation, 'RESTORE');
  const set = backupSet(readDevice(ctx, instance, device, operation), opts.file, device, operation);
  if (set.type !== 'L') throw backupRestoreError(msg.wrongBackupKind(device, 'BACKUP DATABASE'), operation);
  if (set.bindingId !== db.bindingId) throw backupRestoreError(msg.otherDatabase(db.name), operation);
  const redo = db.redoLsn;
  if (set.lastLsn <= redo) throw backupRestoreError(msg.logTooEarly(formatLsn(set.lastLsn), formatLsn(redo)), operation);
  if (set.firstLsn > redo) throw backupRestoreError(msg.logTooRecent(formatLsn(set.firstLsn), formatLsn(redo)), operation);
  if (set.recoveryForkId !== db.forkGuid) throw backupRestoreError(msg.wrongFork(), operation);
  return {
    operation, database: db.name, files: [{ logical: db.name, pages: 0 }, { logical: `${db.name}_log`, pages: set.pages }],
    apply() {
      db.redoLsn = set.lastLsn;
      recordRestore(ctx, instance, caller, db, set, device, { replace: false, recovery: opts.recovery });
      endRestore(db, opts);
    },
  };
}

/** `RESTORE DATABASE db WITH RECOVERY` (no FROM): brings a RESTORING database online. */
export function prepareRecovery(ctx: ModelContext, instance: LabInstance, caller: Caller, dbName: string): PreparedOperation {
  const operation = 'RESTORE DATABASE';
  const db = instance.database(dbName);
  if (!db) throw backupRestoreError({ number: 3118, class: 16, state: 1, message: `The database "${dbName}" does not exist. RESTORE can only create a database when restoring either a full backup or a file backup of the primary file.` }, operation);
  if (db.state !== 'RESTORING') throw backupRestoreError(msg.noFilesToRollForward(), operation);
  if (db.mirroring) throw backupRestoreError(msg.mirrored(db.name), operation);
  requireExclusive(instance, caller, db.name, operation, 'RESTORE');
  return {
    operation, database: db.name, files: [],
    apply() {
      const last = instance.msdb.backupset.filter((b) => b.database_name.toLowerCase() === db.name.toLowerCase()).at(-1);
      recover(db);
      if (last) instance.msdb.addRestore({ restore_date: ctx.now(), destination_database_name: db.name, user_name: caller.login, backup_set_id: last.backup_set_id, restore_type: 'D', replace: false, recovery: true });
    },
  };
}

/** `RESTORE DATABASE db FROM DISK = device WITH [REPLACE], [NO]RECOVERY, FILE = n`. */
/** `MOVE 'logical' TO 'physical'` of a RESTORE DATABASE. */
export interface FileMove {
  readonly logical: string;
  readonly physical: string;
}

const folderOf = (file: string) => file.slice(0, Math.max(0, file.lastIndexOf('\\'))).toLowerCase();

/**
 * Where RESTORE DATABASE puts each file of the backup: its MOVE target, else the path the backup
 * records. The folder must exist on the server — the lab knows the instance's data folder and
 * those of its databases' files (5133) — and no other database may use the file (1834).
 */
function placeFiles(instance: LabInstance, dbName: string, set: BackupSetHeader, moves: readonly FileMove[], operation: string): LabDatabaseFile[] {
  const files = set.files ?? defaultDatabaseFiles(instance, set.database);
  for (const m of moves) {
    if (!files.some((f) => f.logical.toLowerCase() === m.logical.toLowerCase())) throw backupRestoreError(msg.notLogicalFile(m.logical, set.database), operation);
  }
  const others = instance.databases.filter((d) => d.name.toLowerCase() !== dbName.toLowerCase());
  const folders = new Set([instance.dataFolder.toLowerCase(), ...instance.databases.flatMap((d) => databaseFiles(instance, d).map((f) => folderOf(f.physical)))]);
  return files.map((f) => {
    const physical = moves.find((m) => m.logical.toLowerCase() === f.logical.toLowerCase())?.physical ?? f.physical;
    const planning = [msg.cannotRestoreFile(f.logical, physical), msg.restorePlanning(), msg.terminating(operation)];
    if (!folders.has(folderOf(physical))) throw new SqlError(msg.directoryLookup(physical), planning);
    const user = others.find((d) => databaseFiles(instance, d).some((g) => g.physical.toLowerCase() === physical.toLowerCase()));
    if (user) throw new SqlError(msg.fileInUse(physical, user.name), planning);
    return { ...f, physical };
  });
}

export function prepareRestoreDatabase(
  ctx: ModelContext,
  instance: LabInstance,
  caller: Caller,
  dbName: string,
  device: string,
  opts: { file: number; replace: boolean; moves?: readonly FileMove[] } & RestoreEnd,
): PreparedOperation {
  const operation = 'RESTORE DATABASE';
  const existing = instance.database(dbName);
  if (existing) {
    if (existing.system) throw backupRestoreError({ number: 3108, class: 16, state: 1, message: 'To restore the master database, the server must be running in single-user mode. For information about starting in single-user mode, see "How to: Start an Instance of SQL Server (sqlservr.exe)" in Books Online.' }, operation);
    if (existing.mirroring) throw backupRestoreError(msg.mirrored(existing.name), operation);
    requireExclusive(instance, caller, existing.name, operation, 'RESTORE');
  }
  const set = backupSet(readDevice(ctx, instance, device, operation), opts.file, device, operation);
  if (set.type !== 'D') throw backupRestoreError(msg.wrongBackupKind(device, 'BACKUP LOG'), operation);
  if (existing && !opts.replace) {
    if (set.database.toLowerCase() !== existing.name.toLowerCase()) throw backupRestoreError(msg.otherDatabase(existing.name), operation);
    if (existing.state === 'ONLINE' && existing.recoveryModel !== 'SIMPLE') throw backupRestoreError(msg.tailNotBackedUp(existing.name), operation);
  }
  const files = placeFiles(instance, dbName, set, opts.moves ?? [], operation);
  return {
    operation, database: dbName, files: dataAndLogFiles(dbName, set.pages),
    apply() {
      const db = existing ?? instance.createDatabase(dbName, { created: ctx.now(), logEnd: set.lastLsn });
      Object.assign(db, {
        state: 'RESTORING', recoveryModel: set.recoveryModel === 'SIMPLE' ? 'SIMPLE' : 'FULL', bindingId: set.bindingId, forkGuid: set.recoveryForkId,
        redoLsn: set.lastLsn, logEnd: set.lastLsn, logBackupStart: set.lastLsn, lastFullBackupLsn: set.checkpointLsn, mirroring: null, files,
      } satisfies Partial<LabDatabase>);
      recordRestore(ctx, instance, caller, db, set, device, { replace: opts.replace, recovery: opts.recovery });
      endRestore(db, opts);
    },
  };
}

/** How much log one simulated minute of Persistent Chat activity writes, in log blocks. */
export const LOG_BLOCKS_PER_MINUTE = 37;

function backupHeader(ctx: ModelContext, instance: LabInstance, db: LabDatabase, type: 'D' | 'L', first: bigint, last: bigint, checkpoint: bigint): BackupSetHeader {
  const finish = ctx.now();
  return {
    type, database: db.name, server: instance.serverName, machine: instance.machineName, recoveryForkId: db.forkGuid,
    firstLsn: first, lastLsn: last, checkpointLsn: checkpoint, databaseBackupLsn: db.lastFullBackupLsn,
    backupStart: new Date(finish.getTime() - 2000), backupFinish: finish, backupSetGuid: newGuid(), familyGuid: db.bindingId, bindingId: db.bindingId,
    recoveryModel: db.recoveryModel, pages: type === 'D' ? 344 : Math.max(8, Number((last - first) / 100_000n)),
    ...(type === 'D' ? { files: databaseFiles(instance, db) } : {}),
  };
}

function recordBackup(instance: LabInstance, set: BackupSetHeader, device: string, user: string, copyOnly: boolean): void {
  instance.msdb.addBackupSet(
    {
      backup_set_uuid: set.backupSetGuid, name: null, user_name: user, database_name: set.database, server_name: set.server, machine_name: set.machine,
      type: set.type, first_lsn: set.firstLsn, last_lsn: set.lastLsn, checkpoint_lsn: set.checkpointLsn, database_backup_lsn: set.databaseBackupLsn,
      backup_start_date: set.backupStart, backup_finish_date: set.backupFinish, backup_size: BigInt(set.pages * 8192), is_copy_only: copyOnly,
      first_recovery_fork_guid: set.recoveryForkId, last_recovery_fork_guid: set.recoveryForkId, recovery_model: set.recoveryModel,
    },
    device,
  );
}

/** `BACKUP DATABASE db TO DISK = device [WITH INIT | NOINIT, COPY_ONLY]`. */
export function prepareBackupDatabase(ctx: ModelContext, instance: LabInstance, caller: Caller, dbName: string, device: string, opts: { init: boolean; copyOnly: boolean }): PreparedOperation {
  const operation = 'BACKUP DATABASE';
  const db = instance.database(dbName);
  if (!db) throw backupRestoreError(msg.dbNotExist(dbName), operation);
  if (db.state === 'RESTORING') throw backupRestoreError(msg.dbRestoring(db.name), operation);
  const where = deviceFile(ctx, instance, device, 'write');
  if ('osError' in where) {
    const m = where.osError === OS_ERRORS.diskFull ? msg.writeFailed(device, where.osError) : msg.cannotOpenDevice(device, where.osError);
    throw backupRestoreError(m, operation);
  }
  return {
    operation, database: db.name, files: dataAndLogFiles(db.name, 344),
    apply() {
      const checkpoint = db.logEnd;
      db.logEnd = advanceLsn(db.logEnd, 2);
      const set = backupHeader(ctx, instance, db, 'D', checkpoint, db.logEnd, checkpoint);
      writeBackupFile(where.file, [set], opts.init ? 'init' : 'append');
      if (!opts.copyOnly) db.lastFullBackupLsn = checkpoint;
      recordBackup(instance, set, device, caller.login, opts.copyOnly);
    },
  };
}

/**
 * `BACKUP LOG db TO DISK = device [WITH NORECOVERY, INIT]`: everything since the previous log
 * backup. WITH NORECOVERY is the tail-log backup of a log-shipping failover: it needs exclusive
 * access and leaves the database RESTORING ("unavailable to users", domain reference §1.5(a)).
 */
export function prepareBackupLog(ctx: ModelContext, instance: LabInstance, caller: Caller, dbName: string, device: string, opts: { init: boolean; norecovery: boolean }): PreparedOperation {
  const operation = 'BACKUP LOG';
  const db = instance.database(dbName);
  if (!db) throw backupRestoreError(msg.dbNotExist(dbName), operation);
  if (db.state === 'RESTORING') throw backupRestoreError(msg.dbRestoring(db.name), operation);
  if (db.recoveryModel === 'SIMPLE') throw backupRestoreError(msg.logBackupSimple(), operation);
  if (opts.norecovery) requireExclusive(instance, caller, db.name, operation, 'BACKUP LOG');
  const where = deviceFile(ctx, instance, device, 'write');
  if ('osError' in where) {
    const m = where.osError === OS_ERRORS.diskFull ? msg.writeFailed(device, where.osError) : msg.cannotOpenDevice(device, where.osError);
    throw backupRestoreError(m, operation);
  }
  const set = backupHeader(ctx, instance, db, 'L', db.logBackupStart, db.logEnd, db.logBackupStart);
  return {
    operation, database: db.name, files: [{ logical: `${db.name}_log`, pages: set.pages }],
    apply() {
      writeBackupFile(where.file, [set], opts.init ? 'init' : 'append');
      db.logBackupStart = db.logEnd;
      recordBackup(instance, set, device, caller.login, false);
      if (opts.norecovery) Object.assign(db, { state: 'RESTORING', redoLsn: db.logEnd } satisfies Partial<LabDatabase>);
    },
  };
}

/** A log backup by the log-shipping backup job: everything since the previous one. */
export function writeLogBackup(ctx: ModelContext, instance: LabInstance, db: LabDatabase, device: string, file: string): BackupSetHeader {
  const set = backupHeader(ctx, instance, db, 'L', db.logBackupStart, db.logEnd, db.logBackupStart);
  writeBackupFile(file, [set], 'init');
  db.logBackupStart = db.logEnd;
  recordBackup(instance, set, device, 'NT SERVICE\\SQLSERVERAGENT', false);
  return set;
}

/** `ALTER DATABASE db SET PARTNER OFF` on either partner: both copies stop mirroring; the mirror copy stays RESTORING. */
export function partnerOff(ctx: ModelContext, instance: LabInstance, dbName: string): void {
  const db = instance.database(dbName);
  if (!db) throw new SqlError(msg.dbNotExist(dbName));
  if (!db.mirroring) throw new SqlError(msg.notMirrored(db.name));
  const partner = ctx.instance(db.mirroring.partnerId)?.database(db.name);
  if (partner?.mirroring?.guid === db.mirroring.guid) partner.mirroring = null;
  db.mirroring = null;
}

