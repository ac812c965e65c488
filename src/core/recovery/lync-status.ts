/**
 * Reading the Lync cmdlets' JSON replies (and, for `pool-answers`, whether a pool's Backup Service
 * replies at all). Windows PowerShell 5.1's ConvertTo-Json writes enums as numbers, and no enum
 * the product reads has documented numbers (PoolState, ExportStatus, ImportStatus: domain audit
 * D7, reference §4.21) — the only evidence would be the rehearsal lab's own order — so the product
 * never reads them as numbers: its commands (`getPersistentChatState`, `getBackupModuleStatus`)
 * cast them to [string] in PowerShell, and a number that still arrives is reported as unknown
 * rather than guessed.
 */
import { EXPORT_STATUSES, IMPORT_STATUSES, POOL_STATES } from '../commands/enums';
import { SYNCED_EXPORT_STATES, type Check } from '../procedures/types';
import { ShellError } from './ports';

/** ExportStatus and ImportStatus names (domain reference §3.2); their numbers are undocumented. */
const EXPORT_STATES = EXPORT_STATUSES;
const IMPORT_STATES = IMPORT_STATUSES;

/** A status given by name; a number (or anything else) is shown as unknown, never mapped. */
function statusName(value: unknown, names: readonly string[]): string {
  if (typeof value === 'string' && value !== '') return names.find((n) => n.toLowerCase() === value.toLowerCase()) ?? value;
  return `unknown (${JSON.stringify(value) ?? 'nothing'}: not a name)`;
}

const record = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** PoolState of the Get-CsPersistentChatState object for `pool` (identities end with the FQDN), by name only. */
export function poolStateOf(objects: readonly unknown[], pool: string): string | undefined {
  const wanted = pool.toLowerCase();
  const match = objects.map(record).find((o) => typeof o?.['Identity'] === 'string' && (o['Identity'] as string).toLowerCase().endsWith(`:${wanted}`));
  return match ? statusName(match['PoolState'], POOL_STATES) : undefined;
}

export interface ModuleSyncState {
  readonly exportStatus: string;
  readonly importStatus: string;
  /** Export steady or final, import normal: the restore is complete. */
  readonly synced: boolean;
  readonly failed: boolean;
}

/**
 * The module's state in a reply of `getBackupModuleStatus` (one object per module), or of a bare
 * Get-CsBackupServiceStatus (modules under `BackupModules`); undefined when the module is not listed.
 */
export function moduleSyncState(objects: readonly unknown[], module: string): ModuleSyncState | undefined {
  for (const o of objects.map(record)) {
    const nested = o?.['BackupModules'];
    const list = nested === undefined ? [o] : Array.isArray(nested) ? nested : [nested];
    const m = list.map(record).find((x) => typeof x?.['Identity'] === 'string' && (x['Identity'] as string).toLowerCase() === module.toLowerCase());
    if (!m) continue;
    const exportStatus = statusName(m['ExportStatus'], EXPORT_STATES);
    const importStatus = statusName(m['ImportStatus'], IMPORT_STATES);
    return {
      exportStatus,
      importStatus,
      synced: (SYNCED_EXPORT_STATES as readonly string[]).includes(exportStatus) && importStatus === 'NormalState',
      failed: exportStatus === 'ErrorState' || importStatus === 'ErrorState',
    };
  }
  return undefined;
}

/** A property of a reply object, its name matched without regard to case (as PowerShell does). */
function property(o: Record<string, unknown> | undefined, name: string): unknown {
  const key = o && Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : o![key];
}

/** The active master of a `getCentralManagementStoreStatus` reply; undefined when the CMS has none (down). */
export function cmsMasterOf(objects: readonly unknown[]): string | undefined {
  for (const o of objects.map(record)) {
    const master = property(o, 'ActiveMasterFqdn');
    if (typeof master === 'string' && master !== '') return master;
  }
  return undefined;
}

/** Whether a `getDatabaseMirrorState` reply shows a principal (on the primary Back End or its mirror). */
export function hasPrincipal(objects: readonly unknown[]): boolean {
  return objects.map(record).some((o) => ['StateOnPrimary', 'StateOnMirror'].some((p) => String(property(o, p) ?? '').toLowerCase() === 'principal'));
}

/** Every text value in a reply, at any depth (property names aside). */
export function textValues(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(textValues);
  const o = record(value);
  return o ? Object.values(o).flatMap(textValues) : [];
}

/**
 * Whether a Get-CsPoolBackupRelationship reply names `partner`. The cmdlet reference documents
 * that it returns the backup pool's FQDN (output type `BackupRelation`) but not the property that
 * holds it (domain audit R5, reference §4.14): the partner is looked for among the reply's text
 * values, never under a guessed property name.
 */
export function replyNamesPartner(objects: readonly unknown[], partner: string): boolean {
  return textValues(objects).some((v) => v.toLowerCase() === partner.toLowerCase());
}

/**
 * Whether a Front End pool answers: `read` runs Get-CsBackupServiceStatus on the pool itself
 * (`getBackupModuleStatus`). A reply, whatever the module states, means the pool's Backup Service
 * answers (`said`: its modules). The cmdlet's own error ("Unable to contact the Backup Service…")
 * means it does not (`said`: that error); a shell that crashed, timed out or cannot start is thrown
 * on: then nothing is known. Assumption: the Backup Service runs on the pool's Front End servers, so
 * its answer stands for theirs (the same reading the conference restore's `pool-answers` uses).
 */
export async function poolResponse(pool: string, read: () => Promise<readonly unknown[]>): Promise<{ answers: boolean; said: string }> {
  try {
    const modules = (await read())
      .map(record)
      .filter((m) => typeof m?.['Identity'] === 'string')
      .map((m) => `${String(m!['Identity'])} ${statusName(m!['ExportStatus'], EXPORT_STATES)}`);
    return { answers: true, said: `${pool} answers${modules.length > 0 ? ` (Backup Service: ${modules.join(', ')})` : ''}` };
  } catch (e) {
    if (!(e instanceof ShellError) || e.failure !== 'command-failed') throw e;
    return { answers: false, said: `${pool} does not answer — Get-CsBackupServiceStatus -PoolFqdn ${pool}: ${e.message.replace(/[.\s]+$/, '')}` };
  }
}

/** The `pool-answers` check: the lost pool answers again; if not, what it said and the remedy. */
export async function poolAnswers(check: Extract<Check, { kind: 'pool-answers' }>, read: () => Promise<readonly unknown[]>): Promise<{ ok: boolean; detail: string }> {
  const { answers, said } = await poolResponse(check.pool, read);
  return answers ? { ok: true, detail: said } : { ok: false, detail: `${said}. It is still down, or failed over to ${check.partner}. ${check.remedy}` };
}
