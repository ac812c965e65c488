/**
 * The Backup Service between paired Front End pools (domain reference §3.2): per pool and
 * module an export status (pool → partner) and an import status. A sync started with
 * `Invoke-CsBackupServiceSync` keeps the module in `NonSteadyState` for the configured
 * duration, then it settles to `SteadyState` (or `FinalState` when the pool is failed over and
 * read-only) — or `ErrorState` when the sync was made to fail.
 */

import { BACKUP_MODULES as CORE_BACKUP_MODULES, type BackupModule, type ExportStatus, type ImportStatus } from '../../core/commands/enums';

export type { BackupModule, ExportStatus, ImportStatus };

/** Modules the cmdlet accepts (the product's list): Lync 2013's plus the two Response Group modules added later. */
export const BACKUP_MODULES: readonly BackupModule[] = CORE_BACKUP_MODULES;
/** Lync Server 2013's modules, in the order the Backup Service lists them. */
export const BACKUP_MODULES_2013: readonly BackupModule[] = ['UserServices.PresenceFocus', 'ConfServices.DataConf', 'CentralMgmt.CMSMaster'];

export const DATA_CONF: BackupModule = 'ConfServices.DataConf';
export const CMS_MASTER: BackupModule = 'CentralMgmt.CMSMaster';

/** Which modules belong to a `-Category` (UserData ↔ PresenceFocus + DataConf, CMS ↔ CMSMaster). */
export const BACKUP_CATEGORIES: Readonly<Record<string, readonly BackupModule[]>> = {
  UserData: ['UserServices.PresenceFocus', 'ConfServices.DataConf'],
  CMS: ['CentralMgmt.CMSMaster'],
};


export interface ModuleStatus {
  readonly module: BackupModule;
  readonly exportStatus: ExportStatus;
  readonly importStatus: ImportStatus;
}

interface SyncRun {
  readonly endsAt: number;
  readonly fails: boolean;
}

export class BackupSyncs {
  private readonly runs = new Map<string, SyncRun>();
  private readonly failed = new Set<string>();

  start(pool: string, module: BackupModule, now: number, durationMs: number, fails: boolean): void {
    this.runs.set(key(pool, module), { endsAt: now + durationMs, fails });
  }

  running(pool: string, module: BackupModule, now: number): boolean {
    const run = this.runs.get(key(pool, module));
    return run !== undefined && now < run.endsAt;
  }

  lastFailed(pool: string, module: BackupModule): boolean {
    return this.failed.has(key(pool, module));
  }

  /** Finishes the syncs whose time is up; returns those that succeeded. */
  settle(now: number): { pool: string; module: BackupModule }[] {
    const done: { pool: string; module: BackupModule }[] = [];
    for (const [k, run] of this.runs) {
      if (now < run.endsAt) continue;
      this.runs.delete(k);
      const [pool, module] = k.split('|') as [string, BackupModule];
      if (run.fails) this.failed.add(k);
      else {
        this.failed.delete(k);
        done.push({ pool, module });
      }
    }
    return done;
  }
}

const key = (pool: string, module: BackupModule) => `${pool}|${module}`;
