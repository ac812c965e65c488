/**
 * The closed vocabularies the cmdlets take (domain reference §9). Parsing is case-insensitive
 * (PowerShell binds enums that way) and returns the canonical spelling.
 */
import { InvalidValueError, type ValueKind } from './errors';

function enumParser<const T extends string>(kind: ValueKind, values: readonly T[]): (input: string) => T {
  const byLower = new Map(values.map((v) => [v.toLowerCase(), v]));
  return (input: string): T => {
    const found = typeof input === 'string' ? byLower.get(input.toLowerCase()) : undefined;
    if (found === undefined) throw new InvalidValueError(kind, String(input), `must be one of ${values.join(', ')}`);
    return found;
  };
}

/** Set-CsPersistentChatState -PoolState. */
export const POOL_STATES = ['Normal', 'FailedOver'] as const;
export type PoolState = (typeof POOL_STATES)[number];
export const parsePoolState = enumParser('pool-state', POOL_STATES);

/** -DatabaseType of the mirror cmdlets: the Lync 2013 archive list plus the later additions. */
export const DATABASE_TYPES = [
  'ActiveMonitoring',
  'Application',
  'Archiving',
  'CentralAdmin',
  'CentralMgmt',
  'Edge',
  'Lyss',
  'Monitoring',
  'PersistentChat',
  'PersistentChatCompliance',
  'Provision',
  'Registrar',
  'SigninTelemetry',
  'User',
] as const;
export type DatabaseType = (typeof DATABASE_TYPES)[number];
/** The values Lync Server 2013 itself has (its cmdlet archive): ActiveMonitoring and SigninTelemetry came later. */
export const DATABASE_TYPES_LYNC_2013: readonly DatabaseType[] = DATABASE_TYPES.filter((t) => t !== 'ActiveMonitoring' && t !== 'SigninTelemetry');
/** The values of the current reference (Skype for Business Server 2015 and later): CentralAdmin is not among them. */
export const DATABASE_TYPES_SFB_2015: readonly DatabaseType[] = DATABASE_TYPES.filter((t) => t !== 'CentralAdmin');
export const parseDatabaseType = enumParser('database-type', DATABASE_TYPES);

/** Get-CsBackupServiceStatus -Category (RGS: later versions). */
export const BACKUP_CATEGORIES = ['UserData', 'CMS', 'RGS'] as const;
export type BackupCategory = (typeof BACKUP_CATEGORIES)[number];
/** Lync Server 2013's categories (RGS came with later versions). */
export const BACKUP_CATEGORIES_LYNC_2013: readonly BackupCategory[] = ['UserData', 'CMS'];
export const parseBackupCategory = enumParser('backup-category', BACKUP_CATEGORIES);

/**
 * Invoke-CsBackupServiceSync -BackupModule: the full module names only. The short forms one doc
 * page shows (DataConf, All…) are not documented by the cmdlet reference and are refused.
 */
export const BACKUP_MODULES = [
  'UserServices.PresenceFocus',
  'ConfServices.DataConf',
  'CentralMgmt.CMSMaster',
  'ApplicationServer.RGSDataStore',
  'ApplicationServer.RGSFileStore',
] as const;
export type BackupModule = (typeof BACKUP_MODULES)[number];
/** Lync Server 2013's modules (its cmdlet archive); the two RGS modules came later (domain reference §9). */
export const BACKUP_MODULES_LYNC_2013: readonly BackupModule[] = BACKUP_MODULES.filter((m) => !m.startsWith('ApplicationServer.'));
export const parseBackupModule = enumParser('backup-module', BACKUP_MODULES);

/**
 * Get-CsBackupServiceStatus ExportStatus (domain reference §3.2). The enum's numeric values are
 * not documented: read it as a name (cast to [string] in PowerShell, `getBackupModuleStatus`).
 */
export const EXPORT_STATUSES = ['NotInitialized', 'SteadyState', 'NonSteadyState', 'FinalState', 'ErrorState'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];
/** Get-CsBackupServiceStatus ImportStatus; numbering undocumented too. */
export const IMPORT_STATUSES = ['NormalState', 'ErrorState'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
