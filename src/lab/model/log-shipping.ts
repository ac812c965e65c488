/**
 * SQL Server log shipping between a primary and a secondary instance, on the simulated clock.
 * The backup job writes a log backup `<db>_<yyyymmddhhmmss>.trn` (UTC) to the share every
 * `backupEveryMinutes`; the copy job copies files older than `copyLagMinutes` to the copy folder;
 * the restore job applies files older than `copyLagMinutes + restoreLagMinutes` WITH NORECOVERY.
 * So `last_copied_file` and `last_restored_file` trail the newest backup, as they do for real.
 * The jobs work from the folders (like the real ones), so faults that remove or damage files act on them.
 * Retention, as the log-shipping tables define it: each backup job deletes the log backups in its
 * backup directory older than `backup_retention_period` minutes ("The length of time, in minutes,
 * that a log backup file is retained in the backup directory before being deleted",
 * log_shipping_primary_databases); the secondary deletes copied files older than
 * `file_retention_period` ("The length of time, in minutes, that a backup file is retained on the
 * secondary server before being deleted", log_shipping_secondary) — the restore job here, and only
 * files it has restored (assumption: the lab never deletes a file the chain still needs). The
 * two periods are independent (the SSMS wizard's default for both: 72 hours = 4320 minutes), so
 * the share and the copy folder hold different sets of files.
 * With `shipFromMirror` the primary's mirror is a log-shipping primary too, to the same share
 * (domain reference §1.5(b)): the backup job of whichever copy is the principal (ONLINE) writes
 * the next log backup; the other copy cannot be backed up, so its job does nothing.
 */
import fs from 'node:fs';
import { type LabDatabase, type LabInstance, newGuid } from './instance';
import { advanceLsn } from './lsn';
import { type Caller, type ModelContext, prepareRestoreLog, writeLogBackup } from './operations';
import { labPathFor, windowsJoin } from './paths';
import { SqlError } from './sql-error';

export interface LogShippingTiming {
  readonly backupEveryMinutes: number;
  readonly copyLagMinutes: number;
  readonly restoreLagMinutes: number;
  /** backup_retention_period of the primary (and the mirror): share files older than this are deleted. */
  readonly backupRetentionMinutes: number;
  /** file_retention_period of the secondary: restored files in the copy folder older than this are deleted. */
  readonly fileRetentionMinutes: number;
}

export const DEFAULT_TIMING: LogShippingTiming = { backupEveryMinutes: 5, copyLagMinutes: 12, restoreLagMinutes: 12, backupRetentionMinutes: 4320, fileRetentionMinutes: 4320 };

const AGENT: Caller = { spid: 0, database: 'msdb', login: 'NT SERVICE\\SQLSERVERAGENT' };

/** `mgc_20240506081500.trn` for a backup taken at 2024-05-06T08:15:00Z. */
export function logBackupName(database: string, at: Date): string {
  return `${database}_${at.toISOString().replace(/[-:T]/g, '').slice(0, 14)}.trn`;
}

/** The UTC time in a log backup's name, or undefined when the name is not one of `database`'s. */
export function logBackupTime(database: string, name: string): Date | undefined {
  const m = new RegExp(`^${database}_(\\d{4})(\\d{2})(\\d{2})(\\d{2})(\\d{2})(\\d{2})\\.trn$`, 'i').exec(name);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}

export class LogShippingLink {
  readonly secondaryId = newGuid();
  readonly #copyJobId = newGuid();
  readonly #restoreJobId = newGuid();
  /** The instances whose backup job writes to the share: the primary, and its mirror after `shipFromMirror`. */
  readonly #writers: LabInstance[];

  constructor(
    readonly ctx: ModelContext,
    readonly primary: LabInstance,
    readonly secondary: LabInstance,
    readonly database: string,
    /** UNC share the primary backs up to. */
    readonly share: string,
    /** Copy destination folder on the secondary (drive path). */
    readonly copyFolder: string,
    readonly timing: LogShippingTiming,
  ) {
    this.#writers = [primary];
  }

  get shareDir(): string {
    return labPathFor(this.share, { root: this.ctx.root });
  }

  get copyDir(): string {
    return labPathFor(this.copyFolder, { root: this.ctx.root, server: this.secondary.server });
  }

  /** Configures log shipping as the SSMS wizard leaves it: full backup restored WITH NORECOVERY, jobs, msdb rows. */
  setUp(): void {
    const now = this.ctx.now();
    const source = this.primary.database(this.database);
    if (!source) throw new Error(`log shipping: ${this.primary.id} has no database ${this.database}`);
    fs.mkdirSync(this.shareDir, { recursive: true });
    fs.mkdirSync(this.copyDir, { recursive: true });
    const checkpoint = source.logEnd;
    source.logEnd = advanceLsn(source.logEnd, 2);
    source.lastFullBackupLsn = checkpoint;
    const target = this.secondary.database(this.database) ?? this.secondary.createDatabase(this.database, { created: now });
    Object.assign(target, {
      state: 'RESTORING', recoveryModel: source.recoveryModel, forkGuid: source.forkGuid, bindingId: source.bindingId,
      redoLsn: source.logEnd, logEnd: source.logEnd, logBackupStart: source.logEnd, lastFullBackupLsn: checkpoint, standby: false, mirroring: null,
    } satisfies Partial<LabDatabase>);
    const device = windowsJoin(this.share, `${this.database}_init.bak`);
    const common = {
      backup_set_uuid: newGuid(), name: `${this.database}-Full Database Backup`, user_name: 'sa', database_name: this.database,
      server_name: this.primary.serverName, machine_name: this.primary.machineName, type: 'D' as const, first_lsn: checkpoint, last_lsn: source.logEnd,
      checkpoint_lsn: checkpoint, database_backup_lsn: 0n, backup_start_date: now, backup_finish_date: now, backup_size: 344n * 8192n, is_copy_only: false,
      first_recovery_fork_guid: source.forkGuid, last_recovery_fork_guid: source.forkGuid, recovery_model: source.recoveryModel,
    };
    this.primary.msdb.addBackupSet(common, device);
    const setId = this.secondary.msdb.addBackupSet(common, device);
    this.secondary.msdb.addRestore({ restore_date: now, destination_database_name: this.database, user_name: 'sa', backup_set_id: setId, restore_type: 'D', replace: true, recovery: false });

    this.#configurePrimary(this.primary, now);
    const job = (job_id: string, name: string) => ({ job_id, name, enabled: true, description: 'Log shipping job', date_created: now });
    const primaryServer = this.primary.serverName;
    this.secondary.msdb.sysjobs.push(job(this.#copyJobId, `LSCopy_${primaryServer}_${this.database}`), job(this.#restoreJobId, `LSRestore_${primaryServer}_${this.database}`));
    this.secondary.msdb.log_shipping_secondary.push({
      secondary_id: this.secondaryId, primary_server: primaryServer, primary_database: this.database, backup_source_directory: this.share,
      backup_destination_directory: this.copyFolder, file_retention_period: this.timing.fileRetentionMinutes, copy_job_id: this.#copyJobId, restore_job_id: this.#restoreJobId,
      monitor_server: this.secondary.serverName, monitor_server_security_mode: 1, last_copied_file: null, last_copied_date: null,
    });
    this.secondary.msdb.log_shipping_secondary_databases.push({
      secondary_database: this.database, secondary_id: this.secondaryId, restore_delay: 0, restore_all: true, restore_mode: false, disconnect_users: false,
      block_size: -1, buffer_count: -1, max_transfer_size: -1, last_restored_file: null, last_restored_date: null,
    });
    this.secondary.msdb.log_shipping_monitor_secondary.push({
      secondary_server: this.secondary.serverName, secondary_database: this.database, secondary_id: this.secondaryId, primary_server: primaryServer,
      primary_database: this.database, restore_threshold: 45, threshold_alert: 14421, threshold_alert_enabled: true, last_copied_file: null,
      last_copied_date: null, last_copied_date_utc: null, last_restored_file: null, last_restored_date: null, last_restored_date_utc: null,
      last_restored_latency: null, history_retention_period: 5760,
    });
  }

  /**
   * The documented "log shipping from the primary mirror" set-up (S-LSMIR steps 1–22): the
   * mirror's database is a log-shipping primary to the same share with the same schedule; only
   * the primary half of the script runs there, so the secondary's rows keep naming the primary.
   */
  shipFromMirror(mirror: LabInstance): void {
    if (this.#writers.includes(mirror)) return;
    this.#configurePrimary(mirror, this.ctx.now());
    this.#writers.push(mirror);
  }

  #configurePrimary(instance: LabInstance, now: Date): void {
    const backupJobId = newGuid();
    instance.msdb.sysjobs.push({ job_id: backupJobId, name: `LSBackup_${this.database}`, enabled: true, description: 'Log shipping job', date_created: now });
    instance.msdb.log_shipping_primary_databases.push({
      primary_id: newGuid(), primary_database: this.database, backup_directory: this.share, backup_share: this.share, backup_retention_period: this.timing.backupRetentionMinutes,
      backup_job_id: backupJobId, monitor_server: this.secondary.serverName, monitor_server_security_mode: 1, last_backup_file: null, last_backup_date: null,
    });
  }

  /** Runs whatever jobs are due at the current simulated minute. */
  tick(): void {
    const now = this.ctx.now();
    if (Math.floor(now.getTime() / 60_000) % this.timing.backupEveryMinutes === 0) this.#backup(now);
    this.#copy(now);
    this.#restore(now);
    this.#pruneCopies(now);
  }

  /** Names of the log backups in a folder, oldest first. */
  logBackupsIn(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).filter((n) => logBackupTime(this.database, n)).sort();
  }

  #backup(now: Date): void {
    if (this.ctx.faults.has('share-unreachable')) return;
    for (const writer of this.#writers) {
      const config = writer.msdb.log_shipping_primary_databases.find((r) => r.primary_database.toLowerCase() === this.database.toLowerCase());
      const db = writer.database(this.database);
      if (!config || !db || db.state !== 'ONLINE' || !writer.reachable) continue;
      const name = logBackupName(this.database, now);
      writeLogBackup(this.ctx, writer, db, windowsJoin(this.share, name), `${this.shareDir}/${name}`);
      config.last_backup_file = windowsJoin(this.share, name);
      config.last_backup_date = now;
      this.#prune(this.shareDir, now, config.backup_retention_period, () => true);
    }
  }

  /** Deletes the log backups in `dir` older than `retentionMinutes` that `deletable` allows. */
  #prune(dir: string, now: Date, retentionMinutes: number, deletable: (name: string) => boolean): void {
    const cutoff = now.getTime() - retentionMinutes * 60_000;
    for (const name of this.logBackupsIn(dir)) {
      if (logBackupTime(this.database, name)!.getTime() < cutoff && deletable(name)) fs.rmSync(`${dir}/${name}`, { force: true });
    }
  }

  #secondaryRows() {
    const s = this.secondary.msdb;
    const secondary = s.log_shipping_secondary.find((r) => r.secondary_id === this.secondaryId);
    const database = s.log_shipping_secondary_databases.find((r) => r.secondary_id === this.secondaryId && r.secondary_database.toLowerCase() === this.database.toLowerCase());
    const monitor = s.log_shipping_monitor_secondary.find((r) => r.secondary_id === this.secondaryId);
    return secondary && database ? { secondary, database, monitor } : undefined;
  }

  #due(name: string, now: Date, lagMinutes: number): boolean {
    const at = logBackupTime(this.database, name);
    return at !== undefined && at.getTime() <= now.getTime() - lagMinutes * 60_000;
  }

  #copy(now: Date): void {
    const rows = this.#secondaryRows();
    const faults = this.ctx.faults;
    if (!rows || !this.secondary.reachable || faults.has('share-unreachable') || faults.has('copy-disk-full')) return;
    const last = rows.secondary.last_copied_file?.split('\\').pop() ?? '';
    for (const name of this.logBackupsIn(this.shareDir)) {
      if (name <= last || !this.#due(name, now, this.timing.copyLagMinutes)) continue;
      fs.copyFileSync(`${this.shareDir}/${name}`, `${this.copyDir}/${name}`);
      const file = windowsJoin(this.copyFolder, name);
      rows.secondary.last_copied_file = file;
      rows.secondary.last_copied_date = now;
      if (rows.monitor) Object.assign(rows.monitor, { last_copied_file: file, last_copied_date: now, last_copied_date_utc: now });
    }
  }

  /** The secondary's clean-up: restored files older than file_retention_period. */
  #pruneCopies(now: Date): void {
    const rows = this.#secondaryRows();
    if (!rows || !this.secondary.reachable) return;
    const restored = rows.database.last_restored_file?.split('\\').pop() ?? '';
    this.#prune(this.copyDir, now, rows.secondary.file_retention_period, (name) => name <= restored);
  }

  #restore(now: Date): void {
    const rows = this.#secondaryRows();
    if (!rows || !this.secondary.reachable) return;
    const last = rows.database.last_restored_file?.split('\\').pop() ?? '';
    for (const name of this.logBackupsIn(this.copyDir)) {
      if (name <= last || !this.#due(name, now, this.timing.copyLagMinutes + this.timing.restoreLagMinutes)) continue;
      const file = windowsJoin(this.copyFolder, name);
      try {
        prepareRestoreLog(this.ctx, this.secondary, AGENT, this.database, file, { file: 1, recovery: false }).apply();
      } catch (e) {
        // The real restore job skips files it already applied (too early) and stops at anything else.
        if (!(e instanceof SqlError) || e.number !== 4326) return;
      }
      rows.database.last_restored_file = file;
      rows.database.last_restored_date = now;
      if (rows.monitor) {
        const latency = Math.round((now.getTime() - logBackupTime(this.database, name)!.getTime()) / 60_000);
        Object.assign(rows.monitor, { last_restored_file: file, last_restored_date: now, last_restored_date_utc: now, last_restored_latency: latency });
      }
    }
  }
}
