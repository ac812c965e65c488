/**
 * Live readings: what a status read found, as plain data, and the parsers from query rows and
 * shell JSON into it. Pure: no `vscode`, no I/O.
 */
import { CancelledError, ConnectionError, ShellError, SqlLoginError, TimeoutError, type SqlRow } from '../../core/recovery/ports';

export interface ReadMeta {
  /** When the read finished (ms since epoch). */
  readonly readAt: number;
  /** How long it took. */
  readonly ms: number;
}

export type Failure =
  /** No answer within the per-target timeout. */
  | 'timeout'
  /** Connection refused, host unknown, connection dropped. */
  | 'unreachable'
  | 'tls'
  /** The server refused the login. */
  | 'login'
  /** No connection settings for the instance. */
  | 'unconfigured'
  /** No saved password, and the read was not allowed to ask. */
  | 'no-password'
  /** Not in the estate / lab. */
  | 'unknown'
  /** The shell could not start (executable, module import, remote session). */
  | 'shell'
  /** The command or query failed. */
  | 'command'
  /** The read was stopped (target changed). */
  | 'cancelled';

export interface MirroringStatus {
  /** `PRINCIPAL`, `MIRROR`. */
  readonly role: string;
  /** `SYNCHRONIZED`, `SUSPENDED`, `DISCONNECTED`… */
  readonly state: string;
  readonly partner?: string;
}

export interface LogShippingStatus {
  readonly primaryServer?: string;
  readonly lastCopiedFile?: string;
  readonly lastCopiedAt?: number;
  readonly lastRestoredFile?: string;
  readonly lastRestoredAt?: number;
}

export interface DatabaseStatus {
  readonly db: string;
  /** False: the instance has no database of that name. */
  readonly exists: boolean;
  /** `ONLINE`, `RESTORING`, `RECOVERING`, `RECOVERY_PENDING`, `SUSPECT`, `EMERGENCY`, `OFFLINE`. */
  readonly state?: string;
  readonly userAccess?: string;
  /** null: not mirrored. */
  readonly mirroring?: MirroringStatus | null;
  /** null: not a log-shipping secondary (read only where the instance is the backup). */
  readonly logShipping?: LogShippingStatus | null;
  /** Where the next roll-forward begins (RESTORING databases). */
  readonly redoLsn?: string;
  /** A query about this database failed (the instance answered). */
  readonly error?: string;
}

export type SqlReading =
  | (ReadMeta & { readonly status: 'up'; readonly serverName: string; readonly version: string; readonly productVersion?: string; readonly databases: readonly DatabaseStatus[] })
  | (ReadMeta & { readonly status: 'failed'; readonly failure: Failure; readonly message: string });

export interface BackupModuleStatus {
  readonly module: string;
  readonly exportStatus: string;
  readonly importStatus: string;
}

export type PoolReading =
  | (ReadMeta & { readonly status: 'ok'; readonly kind: 'persistent-chat'; readonly poolState: string; readonly identity?: string })
  | (ReadMeta & { readonly status: 'ok'; readonly kind: 'front-end'; readonly modules: readonly BackupModuleStatus[] })
  | (ReadMeta & { readonly status: 'failed'; readonly failure: Failure; readonly message: string });

/** A row's reading: the last one finished (if any), and whether a read is running. */
export interface LiveEntry<R> {
  readonly last?: R;
  readonly reading: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
const time = (v: unknown): number | undefined => {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.getTime();
  if (typeof v === 'string' || typeof v === 'number') {
    const t = new Date(v).getTime();
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
};

export function parseIdentity(row: SqlRow | undefined): { serverName: string; version: string; productVersion?: string } {
  const productVersion = str(row?.product_version);
  return { serverName: str(row?.server_name) ?? '(no @@SERVERNAME)', version: str(row?.version) ?? '', ...(productVersion ? { productVersion } : {}) };
}

export function parseDatabaseRow(db: string, row: SqlRow | undefined): Pick<DatabaseStatus, 'db' | 'exists' | 'state' | 'userAccess'> {
  if (!row) return { db, exists: false };
  const state = str(row.state_desc);
  const userAccess = str(row.user_access_desc);
  return { db, exists: true, ...(state ? { state } : {}), ...(userAccess ? { userAccess } : {}) };
}

export function parseMirroringRow(row: SqlRow | undefined): MirroringStatus | null {
  if (!row || row.mirroring_guid === null || row.mirroring_guid === undefined) return null;
  const partner = str(row.mirroring_partner_instance) ?? str(row.mirroring_partner_name);
  return { role: str(row.mirroring_role_desc) ?? '?', state: str(row.mirroring_state_desc) ?? '?', ...(partner ? { partner } : {}) };
}

export function parseLogShippingRow(row: SqlRow | undefined): LogShippingStatus | null {
  if (!row) return null;
  const out: { -readonly [K in keyof LogShippingStatus]: LogShippingStatus[K] } = {};
  const primary = str(row.primary_server);
  if (primary) out.primaryServer = primary;
  const copied = str(row.last_copied_file);
  if (copied) out.lastCopiedFile = copied;
  const copiedAt = time(row.last_copied_date);
  if (copiedAt !== undefined) out.lastCopiedAt = copiedAt;
  const restored = str(row.last_restored_file);
  if (restored) out.lastRestoredFile = restored;
  const restoredAt = time(row.last_restored_date);
  if (restoredAt !== undefined) out.lastRestoredAt = restoredAt;
  return out;
}

/**
 * Lync's PoolState, by name: the command casts it to [string] (getPersistentChatState), because its
 * numbers are documented nowhere (domain audit D7); a number that still arrives is not guessed.
 */
function enumText(value: unknown): string {
  if (typeof value === 'number') return `unknown (${value}: not a name)`;
  if (typeof value === 'string' && value !== '') return value;
  if (value && typeof value === 'object' && 'Value' in value) return enumText((value as { Value: unknown }).Value);
  return '?';
}

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

/** `Get-CsPersistentChatState` output objects → the pool's state (the first object). */
export function parsePoolState(objects: readonly unknown[]): { poolState: string; identity?: string } {
  const first = asRecord(objects[0]);
  if (objects.length === 0) throw new Error('Get-CsPersistentChatState returned nothing for this pool');
  const identity = str(first.Identity);
  return { poolState: enumText(first.PoolState), ...(identity ? { identity } : {}) };
}

/**
 * A Backup Service status by name. The status is read with `getBackupModuleStatus`, which casts the
 * enums to [string]: their numbering is undocumented, so a number is shown as such, never mapped.
 */
function statusText(value: unknown): string {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return `#${value} (unknown)`;
  return '?';
}

/** `getBackupModuleStatus` output (one object per module; a bare `BackupModules` list also reads) → one entry per module. */
export function parseBackupServiceStatus(objects: readonly unknown[]): BackupModuleStatus[] {
  const modules: BackupModuleStatus[] = [];
  for (const object of objects) {
    const nested = asRecord(object).BackupModules;
    const list = nested === undefined ? [object] : Array.isArray(nested) ? nested : nested ? [nested] : [];
    for (const m of list) {
      const r = asRecord(m);
      const module = str(r.Identity) ?? str(r.Name);
      if (!module) continue;
      modules.push({ module, exportStatus: statusText(r.ExportStatus), importStatus: statusText(r.ImportStatus) });
    }
  }
  if (modules.length === 0) throw new Error('Get-CsBackupServiceStatus returned no backup modules for this pool');
  return modules;
}

/** What kind of failure an error from a port is, and its message (already redacted by the adapters). */
export function classifyError(error: unknown, timeoutMs: number): { failure: Failure; message: string } {
  const message = error instanceof Error ? error.message || error.name : String(error);
  if (error instanceof TimeoutError) return { failure: 'timeout', message: `No answer within ${formatSeconds(timeoutMs)}.` };
  if (error instanceof ConnectionError) {
    if (error.failure === 'timeout') return { failure: 'timeout', message: `No answer within ${formatSeconds(timeoutMs)} (${error.host}${error.port ? `:${error.port}` : ''}).` };
    if (error.failure === 'tls') return { failure: 'tls', message };
    return { failure: 'unreachable', message };
  }
  if (error instanceof SqlLoginError) return { failure: 'login', message };
  if (error instanceof CancelledError) return { failure: 'cancelled', message };
  if (error instanceof ShellError) {
    return { failure: error.failure === 'not-found' || error.failure === 'prelude-failed' ? 'shell' : 'command', message };
  }
  return { failure: 'command', message };
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
