/**
 * The one place that builds PowerShell text for the Lync Management Shell. Every value is a
 * validated value (values.ts, enums.ts); strings are single-quoted by `psString`, so `$`, `$()`,
 * backticks, `;` and double quotes inside them are plain characters. Enum values are written bare:
 * they are one of a closed list of identifiers. Each command is one line: the shell session sends
 * one line per invocation.
 */
import type { BackupCategory, BackupModule, DatabaseType, PoolState } from './enums';
import { rejectUnsafeCharacters, type Branded, type Fqdn, type SqlInstanceName, type UncPath, type XdsIdentity } from './values';

export type PowerShellCommand = Branded<string, 'PowerShellCommand'>;

/** Every character PowerShell's tokenizer takes as a single quote (ASCII and U+2018–U+201B). */
const SINGLE_QUOTES = /['\u2018\u2019\u201a\u201b]/g;

/**
 * A single-quoted PowerShell string. Each quote character is doubled, which is how PowerShell
 * escapes any of its four single-quote characters (the same rule as its own
 * `CodeGeneration.EscapeSingleQuotedStringContent`). Control characters are refused: a newline
 * would end the line-based shell invocation.
 */
export function psString(value: string): string {
  rejectUnsafeCharacters('powershell-string', value);
  return `'${value.replace(SINGLE_QUOTES, (q) => q + q)}'`;
}

const cmd = (...parts: (string | false | undefined)[]): PowerShellCommand =>
  parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join(' ') as PowerShellCommand;

/**
 * The pool state as text: `PoolState`'s numeric values are documented nowhere (domain audit D7,
 * reference §4.21), and Windows PowerShell 5.1's ConvertTo-Json writes enums as numbers, so the
 * enum is cast to `[string]` in PowerShell and the product reads names only.
 */
export function getPersistentChatState(identity?: XdsIdentity): PowerShellCommand {
  return cmd(
    'Get-CsPersistentChatState',
    identity && `-Identity ${psString(identity)}`,
    "| Select-Object @{n='Identity';e={[string]$_.Identity}}, @{n='PoolState';e={[string]$_.PoolState}}",
  );
}

/** `-PoolState` is always explicit: the parameter is optional and defaults to Normal (§4.2). */
export function setPersistentChatState(identity: XdsIdentity, state: PoolState): PowerShellCommand {
  return cmd('Set-CsPersistentChatState', `-Identity ${psString(identity)}`, `-PoolState ${state}`);
}

/**
 * The active-server list is set with the documented forms only (cmdlet reference
 * `Set-CsPersistentChatActiveServer`, examples 1–3: `$Null`, `@{Add=…}`, `@{Remove=…}`): cleared,
 * then added to. `@{Replace=…}` is documented nowhere (domain audit R6); `@{Add=…}` alone would
 * leave servers of the failed data center active.
 */
export function clearPersistentChatActiveServers(collection: XdsIdentity): PowerShellCommand {
  return cmd('Set-CsPersistentChatActiveServer', `-Identity ${psString(collection)}`, '-ActiveServers $null');
}

/** Adds servers to the active list (after `clearPersistentChatActiveServers`, they are the list). */
export function addPersistentChatActiveServers(collection: XdsIdentity, servers: readonly [Fqdn, ...Fqdn[]]): PowerShellCommand {
  return cmd('Set-CsPersistentChatActiveServer', `-Identity ${psString(collection)}`, `-ActiveServers @{Add=${servers.map(psString).join(',')}}`);
}

export interface MirrorDatabaseOptions {
  readonly databaseType: DatabaseType;
  /** The principal SQL server (during a Persistent Chat failover: the backup server). */
  readonly sqlServerFqdn: Fqdn;
  /** Absent for a default instance. */
  readonly sqlInstanceName?: SqlInstanceName;
  readonly dropExistingDatabasesOnMirror?: boolean;
}

/**
 * The cmdlet asks Y/A/N before it mirrors (domain audit R1) and the product's shell is
 * `-NonInteractive`, where a prompt fails: `-Confirm:$false` suppresses it (the lab's LyncLab
 * module models it as a High-impact ShouldProcess; whether the real one is is unverified).
 */
export function installMirrorDatabase(options: MirrorDatabaseOptions & { readonly fileShare: UncPath }): PowerShellCommand {
  return cmd(
    'Install-CsMirrorDatabase',
    `-DatabaseType ${options.databaseType}`,
    `-SqlServerFqdn ${psString(options.sqlServerFqdn)}`,
    options.sqlInstanceName && `-SqlInstanceName ${psString(options.sqlInstanceName)}`,
    `-FileShare ${psString(options.fileShare)}`,
    options.dropExistingDatabasesOnMirror === true && '-DropExistingDatabasesOnMirror',
    '-Confirm:$false',
  );
}

export function uninstallMirrorDatabase(options: MirrorDatabaseOptions): PowerShellCommand {
  return cmd(
    'Uninstall-CsMirrorDatabase',
    `-DatabaseType ${options.databaseType}`,
    `-SqlServerFqdn ${psString(options.sqlServerFqdn)}`,
    options.sqlInstanceName && `-SqlInstanceName ${psString(options.sqlInstanceName)}`,
    options.dropExistingDatabasesOnMirror === true && '-DropExistingDatabasesOnMirror',
  );
}

/**
 * The mirroring state of a pool's databases, the states as text (their enum numbering is not
 * documented, domain audit D7). Property names are the cmdlet reference's (`DatabaseName`,
 * `StateOnPrimary`, `StateOnMirror`, reference §4.8).
 */
export function getDatabaseMirrorState(pool: Fqdn, databaseType?: DatabaseType): PowerShellCommand {
  return cmd(
    'Get-CsDatabaseMirrorState',
    `-PoolFqdn ${psString(pool)}`,
    databaseType && `-DatabaseType ${databaseType}`,
    "| Select-Object @{n='DatabaseName';e={[string]$_.DatabaseName}}, @{n='StateOnPrimary';e={[string]$_.StateOnPrimary}}, @{n='StateOnMirror';e={[string]$_.StateOnMirror}}",
  );
}

/**
 * Where the Central Management Store's active master runs (reference §3.5 C1, §4.20: the
 * properties `ActiveMasterFQDN` and `ActiveFileTransferAgents` are the ones the failover page
 * reads; PowerShell matches property names without regard to case). Empty: the CMS is down.
 */
export function getCentralManagementStoreStatus(): PowerShellCommand {
  return cmd(
    'Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus',
    "| Select-Object @{n='ActiveMasterFqdn';e={[string]$_.ActiveMasterFqdn}}, @{n='ActiveFileTransferAgents';e={@($_.ActiveFileTransferAgents | ForEach-Object { [string]$_ })}}",
  );
}

export interface ManagementServerFailoverTarget {
  /** The Back End of the pool the CMS moves to (mandatory in the DisasterRecovery set). */
  readonly backupSqlServerFqdn: Fqdn;
  readonly backupSqlInstanceName?: SqlInstanceName;
  /** Its mirror, when the Back End is mirrored in the topology. */
  readonly backupMirrorSqlServerFqdn?: Fqdn;
  readonly backupMirrorSqlInstanceName?: SqlInstanceName;
}

/**
 * The CMS failover in disaster-recovery mode (cmdlet reference `Invoke-CsManagementServerFailover`,
 * DisasterRecovery set: `-BackupSqlServerFqdn` and `-Force` mandatory; reference §3.5 C4a/C4b). The
 * failover page's `-MirrorSqlServerFqdn` is not a parameter of the cmdlet (domain audit R3).
 */
export function invokeManagementServerFailover(target: ManagementServerFailoverTarget): PowerShellCommand {
  return cmd(
    'Invoke-CsManagementServerFailover',
    `-BackupSqlServerFqdn ${psString(target.backupSqlServerFqdn)}`,
    target.backupSqlInstanceName && `-BackupSqlInstanceName ${psString(target.backupSqlInstanceName)}`,
    target.backupMirrorSqlServerFqdn && `-BackupMirrorSqlServerFqdn ${psString(target.backupMirrorSqlServerFqdn)}`,
    target.backupMirrorSqlServerFqdn && target.backupMirrorSqlInstanceName && `-BackupMirrorSqlInstanceName ${psString(target.backupMirrorSqlInstanceName)}`,
    '-Force',
  );
}

/** Re-points an Edge pool's next hop (reference §3.4 step 0; cmdlet reference `Set-CsEdgeServer -Registrar`). */
export function setEdgeServerNextHop(edgePool: Fqdn, nextHop: Fqdn): PowerShellCommand {
  return cmd('Set-CsEdgeServer', `-Identity ${psString(`EdgeServer:${edgePool}`)}`, `-Registrar ${psString(`Registrar:${nextHop}`)}`);
}

export function invokeBackupServiceSync(pool: Fqdn, module?: BackupModule): PowerShellCommand {
  return cmd('Invoke-CsBackupServiceSync', `-PoolFqdn ${psString(pool)}`, module && `-BackupModule ${psString(module)}`);
}

/** No `-BackupModule`: the cmdlet does not document one (§3.1); filter `BackupModules` instead. */
export function getBackupServiceStatus(pool: Fqdn, category?: BackupCategory): PowerShellCommand {
  return cmd('Get-CsBackupServiceStatus', `-PoolFqdn ${psString(pool)}`, category && `-Category ${category}`);
}

/** The projection of the modules' status: names, never enum numbers. */
const BACKUP_MODULE_PROJECTION =
  "Select-Object -ExpandProperty BackupModules | Select-Object @{n='Identity';e={[string]$_.Identity}}, @{n='ExportStatus';e={[string]$_.ExportStatus}}, @{n='ImportStatus';e={[string]$_.ImportStatus}}";

/**
 * What the product reads of the Backup Service: one object per module, `Identity`, `ExportStatus`
 * and `ImportStatus`, the enums cast to `[string]` in PowerShell. Windows PowerShell 5.1's
 * ConvertTo-Json writes enums as numbers, and the numbering of ExportStatus/ImportStatus is not
 * documented: the names are the only reliable reading.
 */
export function getBackupModuleStatus(pool: Fqdn, category?: BackupCategory): PowerShellCommand {
  return cmd(getBackupServiceStatus(pool, category), '|', BACKUP_MODULE_PROJECTION);
}

/**
 * `localStore`: read "from the local replica of the Central Management store" (cmdlet reference),
 * for when the CMS master may be down with the pool; whether the read works without it then is
 * unverified (reference §4.14).
 */
export function getPoolBackupRelationship(pool: Fqdn, options: { readonly localStore?: boolean } = {}): PowerShellCommand {
  return cmd('Get-CsPoolBackupRelationship', `-PoolFqdn ${psString(pool)}`, options.localStore === true && '-LocalStore');
}

export function getPool(identity?: Fqdn): PowerShellCommand {
  return cmd('Get-CsPool', identity && `-Identity ${psString(identity)}`);
}

/** `pool` is the pool that failed (the one that homes the users), never the surviving partner. */
export function invokePoolFailOver(pool: Fqdn, options: { readonly disasterMode: boolean }): PowerShellCommand {
  return cmd('Invoke-CsPoolFailOver', `-PoolFqdn ${psString(pool)}`, options.disasterMode && '-DisasterMode');
}

/** Same `pool` as the failover (§3.4 PoolFqdn rule). */
export function invokePoolFailBack(pool: Fqdn, options: { readonly disasterMode?: boolean } = {}): PowerShellCommand {
  return cmd('Invoke-CsPoolFailBack', `-PoolFqdn ${psString(pool)}`, options.disasterMode === true && '-DisasterMode');
}
