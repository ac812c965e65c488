/**
 * Backup Service and pool failover cmdlets: Invoke-CsBackupServiceSync (§4.10),
 * Get-CsBackupServiceStatus (§4.11), Get-CsPoolBackupRelationship (§4.14),
 * Invoke-CsPoolFailOver / Invoke-CsPoolFailBack (§4.13).
 */
import type { Command } from '../commands';
import { enumName, flag, str } from '../commands';
import { cmdletFailure } from '../errors';
import { BACKUP_CATEGORIES, BACKUP_MODULES, BACKUP_MODULES_2013, DATA_CONF, type BackupModule } from '../../lync/backup';
import { BACKUP_CATEGORY, EXPORT_STATUS, IMPORT_STATUS, NS, lyncObject } from './types';

export const invokeBackupServiceSync: Command = {
  name: 'Invoke-CsBackupServiceSync',
  className: `${NS.hadr}.BackupService.InvokeBackupServiceSyncCmdlet`,
  stateChanging: true,
  params: [
    { name: 'PoolFqdn', type: { kind: 'fqdn' }, all: { mandatory: true }, fromPipeline: true },
    { name: 'BackupModule', type: { kind: 'string' } },
    { name: 'Force', type: { kind: 'switch' } },
  ],
  run(ctx) {
    const pool = str(ctx.binding, 'PoolFqdn') ?? (ctx.input[0] as string);
    const requested = str(ctx.binding, 'BackupModule');
    let modules: BackupModule[];
    if (requested === undefined) modules = [...BACKUP_MODULES_2013];
    else {
      const m = BACKUP_MODULES.find((x) => x.toLowerCase() === requested.toLowerCase());
      if (!m) {
        throw cmdletFailure(`"${requested}" is not a valid backup module. Valid values are: ${BACKUP_MODULES.join(', ')}.`, 'ArgumentException', 'ProcessingFailed', 'InvalidArgument');
      }
      modules = [m];
    }
    if (!ctx.env.lync.fePool(pool)) throw cmdletFailure(`Cannot find Front End pool "${pool}" in the topology.`, 'ArgumentException', 'ProcessingFailed', 'InvalidArgument');
    const failDataConf = modules.includes(DATA_CONF) && ctx.env.faults.take('backup-sync-error');
    ctx.env.lync.startBackupSync(pool, modules, failDataConf);
    ctx.verbose(`Backup Service sync started on pool "${pool}" for ${modules.join(', ')}.`);
    return [];
  },
};

const STATUS_TYPE = 'Microsoft.Rtc.Management.Hadr.BackupService.BackupServiceStatus';
const MODULE_TYPE = 'Microsoft.Rtc.Management.Hadr.BackupService.BackupModuleStatus';

/**
 * `-BackupModule` is used by the conference-restore procedure but is not in the cmdlet's
 * documented syntax (domain reference §3.1, §10.3); the stand-in treats it as unknown, which is
 * what binding would do if the syntax is right, so runbooks that rely on it are caught.
 */
export const getBackupServiceStatus: Command = {
  name: 'Get-CsBackupServiceStatus',
  className: `${NS.hadr}.BackupService.GetBackupServiceStatusCmdlet`,
  params: [
    { name: 'PoolFqdn', type: { kind: 'fqdn' }, all: { mandatory: true } },
    { name: 'Category', type: { kind: 'enum', type: BACKUP_CATEGORY } },
    { name: 'Force', type: { kind: 'switch' } },
  ],
  run(ctx) {
    const pool = str(ctx.binding, 'PoolFqdn') ?? '';
    if (!ctx.env.lync.fePool(pool)) throw cmdletFailure(`Cannot find Front End pool "${pool}" in the topology.`, 'ArgumentException', 'ProcessingFailed', 'InvalidArgument');
    const category = enumName(ctx.binding, 'Category');
    const modules = ctx.env.lync
      .backupStatus(pool)
      .filter((s) => category === undefined || BACKUP_CATEGORIES[category].includes(s.module))
      .map((s) =>
        lyncObject(MODULE_TYPE, [
          ['Identity', s.module],
          ['ExportStatus', EXPORT_STATUS.of(s.exportStatus)],
          ['ImportStatus', IMPORT_STATUS.of(s.importStatus)],
        ], s.module),
      );
    return [lyncObject(STATUS_TYPE, [['PoolFqdn', pool], ['BackupModules', modules]])];
  },
};

export const getPoolBackupRelationship: Command = {
  name: 'Get-CsPoolBackupRelationship',
  className: `${NS.hadr}.BackupService.GetPoolBackupRelationshipCmdlet`,
  params: [
    { name: 'PoolFqdn', type: { kind: 'fqdn' }, all: { mandatory: true } },
    { name: 'Force', type: { kind: 'switch' } },
    { name: 'LocalStore', type: { kind: 'switch' } },
  ],
  run(ctx) {
    const fqdn = str(ctx.binding, 'PoolFqdn') ?? '';
    const pool = ctx.env.lync.fePool(fqdn);
    if (!pool) throw cmdletFailure(`Cannot find Front End pool "${fqdn}" in the topology.`, 'ArgumentException', 'ProcessingFailed', 'InvalidArgument');
    if (!pool.backupPool) return [];
    return [lyncObject('Microsoft.Rtc.Management.Hadr.BackupService.BackupRelation', [['PoolFqdn', pool.fqdn], ['BackupPoolFqdn', pool.backupPool]], pool.backupPool)];
  },
};

const failCommon = [
  { name: 'PoolFqdn', type: { kind: 'fqdn' as const }, all: { mandatory: true } },
  { name: 'DisasterMode', type: { kind: 'switch' as const } },
  { name: 'Force', type: { kind: 'switch' as const } },
  { name: 'WaitTime', type: { kind: 'timespan' as const } },
];

export const invokePoolFailOver: Command = {
  name: 'Invoke-CsPoolFailOver',
  className: `${NS.hadr}.InvokePoolFailOverCmdlet`,
  shouldProcess: true,
  stateChanging: true,
  params: [...failCommon, { name: 'FlushStorageService', type: { kind: 'switch' } }],
  whatIf: (ctx) => ({ operation: 'Fail over pool', target: str(ctx.binding, 'PoolFqdn') ?? '' }),
  run(ctx) {
    for (const m of ctx.env.lync.failOver(str(ctx.binding, 'PoolFqdn') ?? '', flag(ctx.binding, 'DisasterMode'))) ctx.verbose(m);
    return [];
  },
};

export const invokePoolFailBack: Command = {
  name: 'Invoke-CsPoolFailBack',
  className: `${NS.hadr}.InvokePoolFailBackCmdlet`,
  shouldProcess: true,
  stateChanging: true,
  params: failCommon,
  whatIf: (ctx) => ({ operation: 'Fail back pool', target: str(ctx.binding, 'PoolFqdn') ?? '' }),
  run(ctx) {
    for (const m of ctx.env.lync.failBack(str(ctx.binding, 'PoolFqdn') ?? '', flag(ctx.binding, 'DisasterMode'))) ctx.verbose(m);
    return [];
  },
};
