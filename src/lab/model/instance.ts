/**
 * One simulated SQL Server instance: its databases, msdb history and log-shipping tables, and
 * sessions. Plain state plus the small invariants (database ids, spids); the operations that
 * follow SQL Server's rules (RESTORE, BACKUP, mirroring) live in operations.ts.
 */
import { randomUUID } from 'node:crypto';
import type { SqlInstance } from '../../core/estate/model';
import { sqlVersionProfile, type SqlVersionProfile } from '../sql/version';
import type { BackupType } from './backup-file';
import type { Lsn } from './lsn';

export type DatabaseState = 'ONLINE' | 'RESTORING' | 'RECOVERING' | 'RECOVERY_PENDING' | 'SUSPECT' | 'EMERGENCY' | 'OFFLINE';
export const DATABASE_STATE_CODES: Readonly<Record<DatabaseState, number>> = {
  ONLINE: 0, RESTORING: 1, RECOVERING: 2, RECOVERY_PENDING: 3, SUSPECT: 4, EMERGENCY: 5, OFFLINE: 6,
};
export type RecoveryModel = 'FULL' | 'BULK_LOGGED' | 'SIMPLE';
export const RECOVERY_MODEL_CODES: Readonly<Record<RecoveryModel, number>> = { FULL: 1, BULK_LOGGED: 2, SIMPLE: 3 };

export type MirroringRole = 'PRINCIPAL' | 'MIRROR';
export type MirroringState = 'SYNCHRONIZED' | 'SYNCHRONIZING' | 'SUSPENDED' | 'DISCONNECTED';

export interface Mirroring {
  role: MirroringRole;
  state: MirroringState;
  /** Estate id of the partner instance. */
  partnerId: string;
  guid: string;
}

/** A data or log file of a database (sys.master_files, RESTORE FILELISTONLY). */
export interface LabDatabaseFile {
  readonly logical: string;
  /** Windows path on the instance's host. */
  readonly physical: string;
  /** D = data (ROWS), L = log (RESTORE FILELISTONLY's Type). */
  readonly type: 'D' | 'L';
}

export interface LabDatabase {
  readonly id: number;
  readonly name: string;
  readonly system: boolean;
  state: DatabaseState;
  recoveryModel: RecoveryModel;
  createDate: Date;
  /** Recovery fork of the database (redo_start_fork_guid, RecoveryForkID). */
  forkGuid: string;
  /** Identity of the database across backups (BindingID); a log of another database has another one. */
  bindingId: string;
  /** End of the log of an ONLINE database: where the next log backup ends. */
  logEnd: Lsn;
  /** Where the next log backup begins (the previous log backup's LastLSN). */
  logBackupStart: Lsn;
  /** CheckpointLSN of the newest full backup (DatabaseBackupLSN of later backups). */
  lastFullBackupLsn: Lsn;
  /** redo_start_lsn: set only while RESTORING. */
  redoLsn: Lsn | null;
  /**
   * Left by a restore WITH STANDBY: still in its restore sequence (more logs apply), but readable,
   * so it shows as ONLINE, standby, read-only (sys.databases.is_in_standby).
   */
  standby: boolean;
  mirroring: Mirroring | null;
  /** Where its files are; unset = `<instance dataFolder>\\<name>.mdf` and `<name>_log.ldf` (`databaseFiles`). */
  files?: readonly LabDatabaseFile[];
}

export interface BackupSetRow {
  readonly backup_set_id: number;
  readonly media_set_id: number;
  readonly backup_set_uuid: string;
  readonly name: string | null;
  readonly user_name: string;
  readonly database_name: string;
  readonly server_name: string;
  readonly machine_name: string;
  readonly type: BackupType;
  readonly first_lsn: Lsn;
  readonly last_lsn: Lsn;
  readonly checkpoint_lsn: Lsn;
  readonly database_backup_lsn: Lsn;
  readonly backup_start_date: Date;
  readonly backup_finish_date: Date;
  readonly backup_size: bigint;
  readonly is_copy_only: boolean;
  readonly first_recovery_fork_guid: string;
  readonly last_recovery_fork_guid: string;
  readonly recovery_model: string;
}

export interface BackupMediaFamilyRow {
  readonly media_set_id: number;
  readonly family_sequence_number: number;
  readonly physical_device_name: string;
  readonly device_type: number;
}

export interface RestoreHistoryRow {
  readonly restore_history_id: number;
  readonly restore_date: Date;
  readonly destination_database_name: string;
  readonly user_name: string;
  readonly backup_set_id: number;
  readonly restore_type: 'D' | 'L';
  readonly replace: boolean;
  readonly recovery: boolean;
  readonly restart: boolean;
  readonly stop_at: Date | null;
  readonly device_count: number;
  readonly stop_at_mark_name: string | null;
  readonly stop_before: boolean;
}

export interface LogShippingSecondaryRow {
  readonly secondary_id: string;
  readonly primary_server: string;
  readonly primary_database: string;
  readonly backup_source_directory: string;
  readonly backup_destination_directory: string;
  readonly file_retention_period: number;
  readonly copy_job_id: string;
  readonly restore_job_id: string;
  readonly monitor_server: string;
  readonly monitor_server_security_mode: number;
  last_copied_file: string | null;
  last_copied_date: Date | null;
}

export interface LogShippingSecondaryDatabaseRow {
  readonly secondary_database: string;
  readonly secondary_id: string;
  readonly restore_delay: number;
  readonly restore_all: boolean;
  readonly restore_mode: boolean;
  readonly disconnect_users: boolean;
  readonly block_size: number;
  readonly buffer_count: number;
  readonly max_transfer_size: number;
  last_restored_file: string | null;
  last_restored_date: Date | null;
}

export interface LogShippingMonitorSecondaryRow {
  readonly secondary_server: string;
  readonly secondary_database: string;
  readonly secondary_id: string;
  readonly primary_server: string;
  readonly primary_database: string;
  readonly restore_threshold: number;
  readonly threshold_alert: number;
  readonly threshold_alert_enabled: boolean;
  last_copied_file: string | null;
  last_copied_date: Date | null;
  last_copied_date_utc: Date | null;
  last_restored_file: string | null;
  last_restored_date: Date | null;
  last_restored_date_utc: Date | null;
  last_restored_latency: number | null;
  readonly history_retention_period: number;
}

export interface LogShippingPrimaryDatabaseRow {
  readonly primary_id: string;
  readonly primary_database: string;
  readonly backup_directory: string;
  readonly backup_share: string;
  readonly backup_retention_period: number;
  readonly backup_job_id: string;
  readonly monitor_server: string;
  readonly monitor_server_security_mode: number;
  last_backup_file: string | null;
  last_backup_date: Date | null;
}

export interface SysJobRow {
  readonly job_id: string;
  readonly name: string;
  enabled: boolean;
  readonly description: string;
  readonly date_created: Date;
}

/** msdb of one instance: backup/restore history and log-shipping configuration. */
export class Msdb {
  readonly backupset: BackupSetRow[] = [];
  readonly backupmediafamily: BackupMediaFamilyRow[] = [];
  readonly restorehistory: RestoreHistoryRow[] = [];
  readonly log_shipping_secondary: LogShippingSecondaryRow[] = [];
  readonly log_shipping_secondary_databases: LogShippingSecondaryDatabaseRow[] = [];
  readonly log_shipping_monitor_secondary: LogShippingMonitorSecondaryRow[] = [];
  readonly log_shipping_primary_databases: LogShippingPrimaryDatabaseRow[] = [];
  readonly sysjobs: SysJobRow[] = [];

  /** Records a backup set and its media; returns the backup_set_id. */
  addBackupSet(row: Omit<BackupSetRow, 'backup_set_id' | 'media_set_id'>, device: string): number {
    const id = this.backupset.length + 1;
    this.backupset.push({ ...row, backup_set_id: id, media_set_id: id });
    this.backupmediafamily.push({ media_set_id: id, family_sequence_number: 1, physical_device_name: device, device_type: 2 });
    return id;
  }

  addRestore(row: Omit<RestoreHistoryRow, 'restore_history_id' | 'restart' | 'stop_at' | 'device_count' | 'stop_at_mark_name' | 'stop_before'>): void {
    this.restorehistory.push({ ...row, restore_history_id: this.restorehistory.length + 1, restart: false, stop_at: null, device_count: 1, stop_at_mark_name: null, stop_before: false });
  }
}

export interface LabSession {
  readonly spid: number;
  readonly system: boolean;
  status: string;
  readonly login: string;
  readonly host: string;
  readonly program: string;
  /** Current database name. */
  database: string;
  command: string;
  readonly loginTime: Date;
  lastBatch: Date;
  /** Ends the session (a real TDS connection closes its socket). */
  readonly kill: () => void;
}

export type NewSession = Omit<LabSession, 'spid' | 'system' | 'status' | 'command' | 'lastBatch'>;

/** Background sessions every instance has (sp_who2 shows them; KILL refuses them). */
const SYSTEM_COMMANDS = ['LOG WRITER', 'RECOVERY WRITER', 'LAZY WRITER', 'SIGNAL HANDLER', 'LOCK MONITOR', 'TASK MANAGER', 'CHECKPOINT', 'BRKR TASK', 'XE DISPATCHER', 'GHOST CLEANUP'];
/** User session ids start here, as on a real server. */
const FIRST_USER_SPID = 51;

export const SYSTEM_DATABASES = ['master', 'tempdb', 'model', 'msdb'] as const;

export class LabInstance {
  readonly id: string;
  /** Host FQDN. */
  readonly server: string;
  readonly instanceName: string | undefined;
  readonly datacenter: string | undefined;
  /** What @@SERVERNAME returns: NETBIOS host name, then `\instance` for a named instance. */
  readonly serverName: string;
  /** Host short name (MachineName). */
  readonly machineName: string;
  /** The SQL Server release it answers as (estate `sqlVersion`). */
  readonly version: SqlVersionProfile;
  reachable = true;
  /**
   * The folder new databases' files go to; the only local folder, with those of existing
   * databases' files, that a RESTORE can write to (elsewhere: Msg 5133). A test can move it to
   * model a rebuilt server whose paths differ.
   */
  dataFolder: string;
  readonly msdb = new Msdb();
  /** Databases a BACKUP or RESTORE is running on (lower-cased names): exclusive access. */
  readonly busy = new Set<string>();
  readonly #databases = new Map<string, LabDatabase>();
  readonly #sessions = new Map<number, LabSession>();
  #nextDatabaseId = 1;

  constructor(def: SqlInstance, created: Date) {
    this.id = def.id;
    this.server = def.server.toLowerCase();
    this.instanceName = def.instance;
    this.datacenter = def.datacenter;
    this.version = sqlVersionProfile(def.sqlVersion);
    this.machineName = def.server.split('.')[0]!.toUpperCase();
    this.serverName = def.instance ? `${this.machineName}\\${def.instance.toUpperCase()}` : this.machineName;
    this.dataFolder = `D:\\SQLData\\${def.instance ?? 'MSSQLSERVER'}`;
    for (const name of SYSTEM_DATABASES) {
      this.createDatabase(name, { created, system: true, recoveryModel: name === 'master' || name === 'tempdb' || name === 'msdb' ? 'SIMPLE' : 'FULL' });
    }
    SYSTEM_COMMANDS.forEach((command, i) => {
      this.#sessions.set(i + 1, {
        spid: i + 1, system: true, status: 'BACKGROUND', login: 'sa', host: '', program: '', database: 'master', command,
        loginTime: created, lastBatch: created, kill: () => undefined,
      });
    });
  }

  get databases(): LabDatabase[] {
    return [...this.#databases.values()].sort((a, b) => a.id - b.id);
  }

  /** Case-insensitive lookup (the lab's collation is SQL_Latin1_General_CP1_CI_AS). */
  database(name: string): LabDatabase | undefined {
    return this.#databases.get(name.toLowerCase());
  }

  databaseById(id: number): LabDatabase | undefined {
    return this.databases.find((d) => d.id === id);
  }

  createDatabase(name: string, opts: { created: Date; system?: boolean; recoveryModel?: RecoveryModel; state?: DatabaseState; logEnd?: Lsn }): LabDatabase {
    const logEnd = opts.logEnd ?? 0n;
    const db: LabDatabase = {
      id: this.#nextDatabaseId++, name, system: opts.system ?? false, state: opts.state ?? 'ONLINE', recoveryModel: opts.recoveryModel ?? 'FULL',
      createDate: opts.created, forkGuid: newGuid(), bindingId: newGuid(), logEnd, logBackupStart: logEnd, lastFullBackupLsn: logEnd, redoLsn: null, standby: false, mirroring: null,
    };
    this.#databases.set(name.toLowerCase(), db);
    return db;
  }

  get sessions(): LabSession[] {
    return [...this.#sessions.values()].sort((a, b) => a.spid - b.spid);
  }

  session(spid: number): LabSession | undefined {
    return this.#sessions.get(spid);
  }

  /** Registers a user session with the lowest free user spid. */
  openSession(s: NewSession): LabSession {
    let spid = FIRST_USER_SPID;
    while (this.#sessions.has(spid)) spid++;
    const session: LabSession = { ...s, spid, system: false, status: 'sleeping', command: 'AWAITING COMMAND', lastBatch: s.loginTime };
    this.#sessions.set(spid, session);
    return session;
  }

  closeSession(spid: number): void {
    this.#sessions.delete(spid);
  }

  /** User sessions other than `exceptSpid` whose current database is `database`. */
  usersIn(database: string, exceptSpid?: number): LabSession[] {
    return this.sessions.filter((s) => !s.system && s.spid !== exceptSpid && s.database.toLowerCase() === database.toLowerCase());
  }
}

export function newGuid(): string {
  return randomUUID().toUpperCase();
}

/** The files a database named `name` gets in the instance's data folder (CREATE DATABASE's defaults). */
export function defaultDatabaseFiles(instance: LabInstance, name: string): LabDatabaseFile[] {
  return [
    { logical: name, physical: `${instance.dataFolder}\\${name}.mdf`, type: 'D' },
    { logical: `${name}_log`, physical: `${instance.dataFolder}\\${name}_log.ldf`, type: 'L' },
  ];
}

/** A database's files: those it was restored to, else the defaults in the instance's data folder. */
export function databaseFiles(instance: LabInstance, db: LabDatabase): readonly LabDatabaseFile[] {
  return db.files ?? defaultDatabaseFiles(instance, db.name);
}
