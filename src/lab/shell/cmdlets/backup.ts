/**
 * Backup Service and pool failover cmdlets: Invoke-CsBackupServiceSync (§4.10),
 * Get-CsBackupServiceStatus (§4.11), Get-CsPoolBackupRelationship (§4.14),
 * Invoke-CsPoolFailOver / Invoke-CsPoolFailBack (§4.13).
 */
import { BACKUP_CATEGORIES, BACKUP_MODULES, BACKUP_MODULES_2013, DATA_CONF, type BackupModule } from '../../lync/backup';
import { enumValue, flag, invalidArgument, lyncObject, str, type CmdletContext, type LabCmdlet } from '../commands';
import { EXPORT_STATUS, IMPORT_STATUS } from './types';

function requireFrontEnd(ctx: CmdletContext): string {
  const pool = str(ctx.params, 'PoolFqdn') ?? '';
  if (!ctx.env.lync.fePool(pool)) throw invalidArgument(`Cannot find Front End pool "${pool}" in the topology.`);
  return pool;
}

export const invokeBackupServiceSync: LabCmdlet = {
  name: 'Invoke-CsBackupServiceSync',
  stateChanging: true,
  run(ctx) {
    const requested = str(ctx.params, 'BackupModule');
    let modules: BackupModule[];
    if (requested === undefined) modules = [...BACKUP_MODULES_2013];
    else {
      // The module's [ValidateSet] holds the catalogue's names; the lab's Lync 2013 list may be shorter.
      const m = BACKUP_MODULES.find((x) => x.toLowerCase() === requested.toLowerCase());
      if (!m) throw invalidArgument(`"${requested}" is not a valid backup module. Valid values are: ${BACKUP_MODULES.join(', ')}.`);
      modules = [m];
    }
    const pool = requireFrontEnd(ctx);
    const failDataConf = modules.includes(DATA_CONF) && ctx.env.faults.take('backup-sync-error');
    ctx.env.lync.startBackupSync(pool, modules, failDataConf);
    ctx.verbose(`Backup Service sync started on pool "${pool}" for ${modules.join(', ')}.`);
    return [];
  },
};

const STATUS_TYPE = 'Microsoft.Rtc.Management.Hadr.BackupService.BackupServiceStatus';
const MODULE_TYPE = 'Microsoft.Rtc.Management.Hadr.BackupService.BackupModuleStatus';

export const getBackupServiceStatus: LabCmdlet = {
  name: 'Get-CsBackupServiceStatus',
  run(ctx) {
    const pool = requireFrontEnd(ctx);
    const category = str(ctx.params, 'Category') as keyof typeof BACKUP_CATEGORIES | undefined;
    const modules = ctx.env.lync
      .backupStatus(pool)
      .filter((s) => category === undefined || (BACKUP_CATEGORIES[category] ?? []).includes(s.module))
      .map((s) => lyncObject(MODULE_TYPE, { Identity: s.module, ExportStatus: enumValue(EXPORT_STATUS, s.exportStatus), ImportStatus: enumValue(IMPORT_STATUS, s.importStatus) }, s.module));
    return [lyncObject(STATUS_TYPE, { PoolFqdn: pool, BackupModules: modules })];
  },
};

export const getPoolBackupRelationship: LabCmdlet = {
  name: 'Get-CsPoolBackupRelationship',
  run(ctx) {
    const fqdn = str(ctx.params, 'PoolFqdn') ?? '';
    const pool = ctx.env.lync.fePool(fqdn);
    if (!pool) throw invalidArgument(`Cannot find Front End pool "${fqdn}" in the topology.`);
    if (!pool.backupPool) return [];
    return [lyncObject('Microsoft.Rtc.Management.Hadr.BackupService.BackupRelation', { PoolFqdn: pool.fqdn, BackupPoolFqdn: pool.backupPool }, pool.backupPool)];
  },
};

export const invokePoolFailOver: LabCmdlet = {
  name: 'Invoke-CsPoolFailover',
  stateChanging: true,
  run(ctx) {
    for (const m of ctx.env.lync.failOver(str(ctx.params, 'PoolFqdn') ?? '', flag(ctx.params, 'DisasterMode'))) ctx.verbose(m);
    return [];
  },
};

export const invokePoolFailBack: LabCmdlet = {
  name: 'Invoke-CsPoolFailback',
  stateChanging: true,
  run(ctx) {
    for (const m of ctx.env.lync.failBack(str(ctx.params, 'PoolFqdn') ?? '', flag(ctx.params, 'DisasterMode'))) ctx.verbose(m);
    return [];
  },
};
