/**
 * Reading the Lync cmdlets' JSON replies. Windows PowerShell 5.1's ConvertTo-Json writes enums as
 * numbers; a reply may also carry names (when the command casts them to [string]). Both are
 * accepted: numbers map through the enum's declaration order.
 */
import { SYNCED_EXPORT_STATES } from '../procedures/types';

/** PoolState as declared by the cmdlets: Normal, FailedOver. */
const POOL_STATES = ['Normal', 'FailedOver'] as const;
/**
 * ExportStatus values (domain reference §3.2). The numeric order is not documented; this is the
 * order the rehearsal lab uses. Casting to [string] in the command makes it irrelevant.
 */
const EXPORT_STATES = ['NotInitialized', 'SteadyState', 'NonSteadyState', 'FinalState', 'ErrorState'] as const;
const IMPORT_STATES = ['NormalState', 'ErrorState'] as const;

function enumName(value: unknown, names: readonly string[]): string | undefined {
  if (typeof value === 'string') return names.find((n) => n.toLowerCase() === value.toLowerCase()) ?? value;
  if (typeof value === 'number' && Number.isInteger(value)) return names[value];
  return undefined;
}

const record = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** PoolState of the Get-CsPersistentChatState object for `pool` (identities end with the FQDN). */
export function poolStateOf(objects: readonly unknown[], pool: string): string | undefined {
  const wanted = pool.toLowerCase();
  const match = objects.map(record).find((o) => typeof o?.['Identity'] === 'string' && (o['Identity'] as string).toLowerCase().endsWith(`:${wanted}`));
  return match ? enumName(match['PoolState'], POOL_STATES) : undefined;
}

export interface ModuleSyncState {
  readonly exportStatus: string;
  readonly importStatus: string;
  /** Export steady or final, import normal: the restore is complete. */
  readonly synced: boolean;
  readonly failed: boolean;
}

/** The module's state in a Get-CsBackupServiceStatus reply; undefined when the module is not listed. */
export function moduleSyncState(objects: readonly unknown[], module: string): ModuleSyncState | undefined {
  for (const o of objects.map(record)) {
    const modules = o?.['BackupModules'];
    const list = Array.isArray(modules) ? modules : modules !== undefined ? [modules] : [];
    const m = list.map(record).find((x) => typeof x?.['Identity'] === 'string' && (x['Identity'] as string).toLowerCase() === module.toLowerCase());
    if (!m) continue;
    const exportStatus = enumName(m['ExportStatus'], EXPORT_STATES) ?? String(m['ExportStatus']);
    const importStatus = enumName(m['ImportStatus'], IMPORT_STATES) ?? String(m['ImportStatus']);
    return {
      exportStatus,
      importStatus,
      synced: (SYNCED_EXPORT_STATES as readonly string[]).includes(exportStatus) && importStatus === 'NormalState',
      failed: exportStatus === 'ErrorState' || importStatus === 'ErrorState',
    };
  }
  return undefined;
}

/** The partner in a Get-CsPoolBackupRelationship reply. */
export function backupPoolOf(objects: readonly unknown[]): string | undefined {
  for (const o of objects.map(record)) {
    const partner = o?.['BackupPoolFqdn'];
    if (typeof partner === 'string' && partner !== '') return partner;
  }
  return undefined;
}
