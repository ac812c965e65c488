/**
 * One failing and one passing example per rule (table-driven tests; the rule docs quote them).
 * `bad` must produce the rule, `good` must not.
 */
import type { Estate } from '../../../src/core/estate/model';
import { lync, ps, sql, step, type RunbookSpec } from './harness';

export interface RuleCase extends RunbookSpec {
  readonly bad: string;
  readonly good: string;
  /** Front matter replacements for bad/good (when the rule is about the front matter). */
  readonly badFront?: string;
  readonly goodFront?: string;
  /** Adjust the Litware estate; `null` = no estate at all. */
  readonly estate?: ((e: Estate) => Estate) | null;
}

const PC = 'atl-gc-001.litwareinc.com';
const FO = 'persistent-chat-failover';
const FB = 'persistent-chat-failback';
const fm = (lines: string) => `---\n${lines}\n---\n\n`;
const FM_OK = 'runbook: custom\nestate: ./lync-estate.yaml\npool: atl-gc-001.litwareinc.com';

export const CASES: Record<string, RuleCase> = {
  'front-matter-missing': { bad: step('A', ps('Get-CsPool')), badFront: '', good: step('A', ps('Get-CsPool')), goodFront: fm(FM_OK) },
  'front-matter-unknown-key': { bad: '', badFront: fm(`${FM_OK}\nowner: me`), good: '', goodFront: fm(FM_OK) },
  'front-matter-invalid-value': { bad: '', badFront: fm('runbook: pc-failover\nestate: ./lync-estate.yaml\npool: atl-gc-001.litwareinc.com'), good: '', goodFront: fm(FM_OK) },
  'estate-unavailable': { estate: null, bad: step('A', ps('Get-CsPool')), good: step('A', ps('Get-CsPool')), goodFront: fm('runbook: custom\npool: atl-gc-001.litwareinc.com') },
  'pool-not-in-estate': { kind: 'pool-failover', pool: 'atl-gc-001.litwareinc.com', bad: '', good: '', goodFront: fm('runbook: pool-failover\nestate: ./lync-estate.yaml\npool: atl-cs-001.litwareinc.com') },
  'duplicate-step-id': { bad: step('Check') + step('Check'), good: step('Check') + step('Check again') },
  'sql-target-missing': { bad: step('A', sql('', 'SELECT 1')), good: step('A', sql('backup', 'SELECT 1')) },
  'target-unknown': { bad: step('A', sql('atl-nosuch', 'SELECT 1')), good: step('A', sql('atl-pcsql', 'SELECT 1')) },
  'lync-unknown-action': { bad: step('A', lync('copy-logs database=mgc')), good: step('A', lync('copy-log-backups database=mgc')) },
  'lync-unknown-key': { bad: step('A', lync('copy-log-backups db=mgc database=mgc')), good: step('A', lync('copy-log-backups database=mgc')) },
  'lync-missing-key': { bad: step('A', lync('apply-log-backups on=backup')), good: step('A', lync('apply-log-backups database=mgc on=backup')) },
  'powershell-syntax': { bad: step('A', ps('Get-CsPool -Identity "atl-cs-001.litwareinc.com')), good: step('A', ps('Get-CsPool -Identity "atl-cs-001.litwareinc.com"')) },
  'sql-syntax': { bad: step('A', sql('backup', "SELECT N'mgc")), good: step('A', sql('backup', "SELECT N'mgc'")) },
  'hidden-character': {
    bad: step('A', sql('backup', "RESTORE DATABASE mgc WITH RECOVERY; --\x1b[2K\x1b[1G SELECT state_desc FROM sys.databases WHERE name = N'mgc';")),
    good: step('A', sql('backup', "SELECT state_desc FROM sys.databases WHERE name = N'mgc';")),
  },
  'runbook-too-complex': { bad: step('A', ps(`Write-Output ${'$('.repeat(500)}1${')'.repeat(500)}`)), good: step('A', ps(`Write-Output ${'$('.repeat(5)}1${')'.repeat(5)}`)) },
  'doc-sample-fqdn': { bad: step('A', ps('Get-CsPool -Identity pool1.contoso.com')), good: step('A', ps('Get-CsPool -Identity atl-cs-001.litwareinc.com')) },
  'placeholder-left': { bad: step('A', ps('Invoke-CsBackupServiceSync -PoolFqdn <Pool2 FQDN> -BackupModule ConfServices.DataConf')), good: step('A', ps('Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com -BackupModule ConfServices.DataConf')) },
  'doc-collection-identity': { bad: step('A', ps('Set-CsPersistentChatActiveServer -Identity "PChatServerCollection" -ActiveServers $Null')), good: step('A', ps('Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers $Null')) },
  'nonexistent-cmdlet': { bad: step('A', ps('Get-CsPersistentChatActiveServer')), good: step('A', ps('Get-CsService -PersistentChatServer')) },
  'unknown-cmdlet': { bad: step('A', ps('Set-CsPersistentChatStat -PoolState Normal')), good: step('A', ps('Get-CsUser -Identity x')) },
  'doc-typo-parameter': {
    bad: step('A', ps('Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn dal-pcbak-001.litwareinc.com -FileShare "\\\\dal-pcbak-001.litwareinc.com\\m" -DropExisitingDatabasesOnMirror')),
    good: step('A', ps('Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn dal-pcbak-001.litwareinc.com -FileShare "\\\\dal-pcbak-001.litwareinc.com\\m" -DropExistingDatabasesOnMirror')),
  },
  'unknown-parameter': { bad: step('A', ps('Get-CsBackupServiceStatus -PoolFqdn dal-cs-001.litwareinc.com -Module x')), good: step('A', ps('Get-CsBackupServiceStatus -PoolFqdn dal-cs-001.litwareinc.com -Verbose')) },
  'en-dash-parameter': { bad: step('A', ps(`Set-CsPersistentChatState -Identity "PersistentChatServer:${PC}" \u2013PoolState Normal`)), good: step('A', ps(`Set-CsPersistentChatState -Identity "PersistentChatServer:${PC}" -PoolState Normal`)) },
  'missing-mandatory-parameter': { bad: step('A', ps('Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn dal-pcbak-001.litwareinc.com')), good: step('A', ps('Install-CsMirrorDatabase -ConfiguredDatabases -SqlServerFqdn dal-pcbak-001.litwareinc.com -FileShare "\\\\f\\m"')) },
  'conflicting-parameters': { bad: step('A', ps('Set-CsPersistentChatActiveServer -Identity global -ActiveServers $Null -Swap')), good: step('A', ps('Set-CsPersistentChatActiveServer -Identity global -Swap')) },
  'sfb-only-parameter': { bad: step('A', ps('Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com -DisasterMode -SkipDataVerification')), good: step('A', ps('Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com -DisasterMode')) },
  'pool-state-invalid': { bad: step('A', ps(`Set-CsPersistentChatState -Identity "PersistentChatServer:${PC}" -PoolState Failover`)), good: step('A', ps(`Set-CsPersistentChatState -Identity "PersistentChatServer:${PC}" -PoolState failedover`)) },
  'database-type-invalid': { bad: step('A', ps('Get-CsDatabaseMirrorState -PoolFqdn atl-gc-001.litwareinc.com -DatabaseType mgc')), good: step('A', ps('Get-CsDatabaseMirrorState -PoolFqdn atl-gc-001.litwareinc.com -DatabaseType PersistentChat')) },
  'backup-module-invalid': { bad: step('A', ps('Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com -BackupModule DataConf')), good: step('A', ps('Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com -BackupModule ConfServices.DataConf')) },
  'backup-category-invalid': { bad: step('A', ps('Get-CsBackupServiceStatus -PoolFqdn dal-cs-001.litwareinc.com -Category Conference')), good: step('A', ps('Get-CsBackupServiceStatus -PoolFqdn dal-cs-001.litwareinc.com -Category UserData')) },
  'new-principal-invalid': { bad: step('A', ps('Invoke-CsDatabaseFailover -PoolFqdn atl-cs-001.litwareinc.com -DatabaseType User -NewPrincipal Secondary')), good: step('A', ps('Invoke-CsDatabaseFailover -PoolFqdn atl-cs-001.litwareinc.com -DatabaseType User -NewPrincipal Mirror')) },
  'pool-state-missing': { kind: FO, bad: step('A', ps(`Set-CsPersistentChatState -Identity "service:${PC}"`)), good: step('A', ps(`Set-CsPersistentChatState -Identity "service:${PC}" -PoolState FailedOver`)) },
  'pool-state-wrong-for-kind': { kind: FB, bad: step('A', ps(`Set-CsPersistentChatState -Identity "service:${PC}" -PoolState FailedOver`)), good: step('A', ps(`Set-CsPersistentChatState -Identity "service:${PC}" -PoolState Normal`)) },
  'pool-state-not-set': { kind: FO, bad: step('A', lync('recover-database database=mgc on=backup')), good: step('A', lync('recover-database database=mgc on=backup')) + step('B', ps(`Set-CsPersistentChatState -Identity "service:${PC}" -PoolState FailedOver`)) },
  'pc-identity-whitespace': { bad: step('A', ps(`Set-CsPersistentChatState -Identity "service: ${PC}" -PoolState Normal`)), good: step('A', ps(`Set-CsPersistentChatState -Identity "service:${PC}" -PoolState Normal`)) },
  'pc-identity-form': { bad: step('A', ps(`Set-CsPersistentChatState -Identity "${PC}" -PoolState Normal`)), good: step('A', ps(`Set-CsPersistentChatState -Identity "PersistentChatServer:${PC}" -PoolState Normal`)) },
  'pc-identity-front-end-pool': { bad: step('A', ps('Set-CsPersistentChatState -Identity "service:atl-cs-001.litwareinc.com" -PoolState Normal')), good: step('A', ps(`Set-CsPersistentChatState -Identity "service:${PC}" -PoolState Normal`)) },
  'pc-identity-unknown-pool': { bad: step('A', ps('Set-CsPersistentChatState -Identity "service:atl-gc-002.litwareinc.com" -PoolState Normal')), good: step('A', ps(`Set-CsPersistentChatState -Identity "service:${PC}" -PoolState Normal`)) },
  'ls-removal-wrong-instance': { kind: FO, bad: step('A', lync('snapshot-log-shipping database=mgc on=backup'), sql('primary', "EXEC sp_delete_log_shipping_secondary_database N'mgc'")), good: step('A', lync('snapshot-log-shipping database=mgc on=backup'), sql('backup', "EXEC sp_delete_log_shipping_secondary_database N'mgc'")) },
  'ls-removal-outside-master': { kind: FO, bad: step('A', lync('snapshot-log-shipping database=mgc on=backup'), sql('backup', 'USE mgc', "EXEC sp_delete_log_shipping_secondary_database N'mgc'")), good: step('A', lync('snapshot-log-shipping database=mgc on=backup'), sql('backup', 'USE [master]', "exec sp_delete_log_shipping_secondary_database 'mgc'")) },
  'ls-snapshot-missing': { kind: FO, bad: step('A', sql('backup', "EXEC sp_delete_log_shipping_secondary_database N'mgc'")), good: step('A', lync('snapshot-log-shipping database=mgc on=backup'), sql('backup', "EXEC sp_delete_log_shipping_secondary_database N'mgc'")) },
  'restore-log-without-norecovery': { bad: step('A', sql('backup', "RESTORE LOG mgc FROM DISK = N'D:\\LogShipping\\mgc\\mgc_1.trn'")), good: step('A', sql('backup', "RESTORE LOG mgc FROM DISK = N'D:\\LogShipping\\mgc\\mgc_1.trn' WITH NORECOVERY")) },
  'restore-log-with-recovery': {
    bad: step('A', sql('backup', "RESTORE LOG mgc FROM DISK = N'x1.trn' WITH NORECOVERY")) + step('B', sql('backup', "RESTORE LOG mgc FROM DISK = N'x2.trn' WITH RECOVERY")),
    good: step('A', sql('backup', "RESTORE LOG mgc FROM DISK = N'x1.trn' WITH NORECOVERY", "RESTORE LOG mgc FROM DISK = N'x2.trn' WITH NORECOVERY")) + step('B', sql('backup', 'RESTORE DATABASE mgc WITH RECOVERY')),
  },
  'recovery-before-logs': { bad: step('A', sql('backup', 'RESTORE DATABASE mgc WITH RECOVERY', "RESTORE LOG mgc FROM DISK = N'x.trn' WITH NORECOVERY")), good: step('A', sql('backup', "RESTORE LOG mgc FROM DISK = N'x.trn' WITH NORECOVERY")) + step('B', sql('backup', 'RESTORE DATABASE mgc WITH RECOVERY')) },
  'recovery-with-log-restores': {
    bad: step('A', sql('backup', "RESTORE LOG mgc FROM DISK = N'x1.trn' WITH NORECOVERY", "RESTORE LOG mgc FROM DISK = N'x2.trn' WITH NORECOVERY", 'RESTORE DATABASE mgc WITH RECOVERY')),
    good: step('A', sql('backup', "RESTORE LOG mgc FROM DISK = N'x1.trn' WITH NORECOVERY", "RESTORE LOG mgc FROM DISK = N'x2.trn' WITH NORECOVERY")) + step('B', sql('backup', 'RESTORE DATABASE mgc WITH RECOVERY')),
  },
  'restore-wrong-instance': { kind: FO, bad: step('A', lync('apply-log-backups database=mgc on=mirror')), good: step('A', lync('apply-log-backups database=mgc on=backup')) },
  'mgccomp-failed-over': { kind: FO, bad: step('A', sql('backup:mgccomp', 'RESTORE DATABASE mgccomp WITH RECOVERY')), good: step('A', sql('backup', 'RESTORE DATABASE mgc WITH RECOVERY')) },
  'kill-inside-database': { bad: step('A', sql('backup', 'USE mgc', 'KILL 53')), good: step('A', sql('backup', 'USE master', 'KILL 53')) },
  'mirror-on-dead-primary': { kind: FO, bad: step('A', ps('Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn atl-pcsql-001.litwareinc.com -FileShare "\\\\f\\m"')), good: step('A', ps('Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn dal-pcbak-001.litwareinc.com -FileShare "\\\\f\\m"')) },
  'mirror-backup-store-undefined': {
    kind: FO,
    estate: (e) => ({ ...e, pools: e.pools.map((p) => (p.stores?.mgc ? { ...p, stores: { ...p.stores, mgc: { primary: 'atl-pcsql', backup: 'dal-pcbak' } } } : p)) }),
    bad: step('A', ps('Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn dal-pcbak-001.litwareinc.com -FileShare "\\\\f\\m"')),
    good: step('A', ps('Get-CsDatabaseMirrorState -PoolFqdn atl-gc-001.litwareinc.com')),
  },
  'failback-mirror-removal-incomplete': { kind: FB, bad: step('A', sql('backup', 'ALTER DATABASE mgc SET PARTNER OFF')), good: step('A', sql('backup', 'ALTER DATABASE mgc SET PARTNER OFF', 'ALTER DATABASE mgccomp SET PARTNER OFF')) },
  'active-server-wrong-datacenter': { kind: FO, bad: step('A', ps('Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Replace="atl-pc-001.litwareinc.com"}')), good: step('A', ps('Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Replace="dal-pc-001.litwareinc.com"}')) },
  'active-servers-too-many': {
    bad: step('A', ps('Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Add="dal-pc-001.litwareinc.com","dal-pc-002.litwareinc.com","atl-pc-003.litwareinc.com"}')),
    good: step('A', ps('Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Add="dal-pc-001.litwareinc.com","dal-pc-002.litwareinc.com"}')),
  },
  'active-server-not-member': { bad: step('A', ps('Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Add="dal-pc-009.litwareinc.com"}')), good: step('A', ps('Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Add="dal-pc-002.litwareinc.com"}')) },
  'active-servers-before-pool-state': {
    kind: FO,
    bad: step('A', ps('Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Replace="dal-pc-001.litwareinc.com"}')) + step('B', ps(`Set-CsPersistentChatState -Identity "service:${PC}" -PoolState FailedOver`)),
    good: step('B', ps(`Set-CsPersistentChatState -Identity "service:${PC}" -PoolState FailedOver`)) + step('A', ps('Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Replace="dal-pc-001.litwareinc.com"}')),
  },
  'failback-active-servers-not-cleared': { kind: FB, bad: step('A', sql('backup', "BACKUP DATABASE mgc TO DISK = N'\\\\s\\mgc.bak'")), good: step('Z', ps('Set-CsPersistentChatActiveServer -Identity global -ActiveServers $Null')) + step('A', sql('backup', "BACKUP DATABASE mgc TO DISK = N'\\\\s\\mgc.bak'")) },
  'conference-restore-module': { kind: 'conference-restore', bad: step('A', ps('Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com -BackupModule UserServices.PresenceFocus'), lync('wait-backup-sync pool=dal-cs-001.litwareinc.com module=ConfServices.DataConf')), good: step('A', ps('Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com -BackupModule ConfServices.DataConf'), lync('wait-backup-sync pool=dal-cs-001.litwareinc.com module=ConfServices.DataConf')) },
  'sync-on-lost-pool': { kind: 'conference-restore', bad: step('A', ps('Invoke-CsBackupServiceSync -PoolFqdn atl-cs-001.litwareinc.com -BackupModule ConfServices.DataConf')), good: step('A', ps('Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com -BackupModule ConfServices.DataConf')) },
  'pool-not-paired': {
    estate: (e) => ({ ...e, pools: e.pools.map((p) => (p.fqdn.startsWith('dal-cs') ? { ...p, backupPool: undefined } : p)) }),
    bad: step('A', ps('Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com')),
    good: step('A', ps('Invoke-CsBackupServiceSync -PoolFqdn atl-cs-001.litwareinc.com')),
  },
  'status-backup-module-undocumented': { bad: step('A', ps('Get-CsBackupServiceStatus -PoolFqdn dal-cs-001.litwareinc.com -BackupModule ConfServices.DataConf')), good: step('A', ps('Get-CsBackupServiceStatus -PoolFqdn dal-cs-001.litwareinc.com')) },
  'backup-sync-completion-unchecked': { kind: 'conference-restore', bad: step('A', ps('Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com -BackupModule ConfServices.DataConf')), good: step('A', ps('Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com -BackupModule ConfServices.DataConf'), lync('wait-backup-sync pool=dal-cs-001.litwareinc.com module=ConfServices.DataConf timeout=30m')) },
  'wait-backup-sync-wrong-pool': { bad: step('A', ps('Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com'), lync('wait-backup-sync pool=atl-cs-001.litwareinc.com module=ConfServices.DataConf')), good: step('A', ps('Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com'), lync('wait-backup-sync pool=dal-cs-001.litwareinc.com module=ConfServices.DataConf')) },
  'sync-interval-out-of-range': { bad: step('A', ps('Set-CsBackupServiceConfiguration -Identity global -SyncInterval "04:00:00"')), good: step('A', ps('Set-CsBackupServiceConfiguration -Identity global -SyncInterval "00:10:00"')) },
  'failover-surviving-pool': { kind: 'pool-failover', bad: step('A', ps('Invoke-CsPoolFailover -PoolFqdn dal-cs-001.litwareinc.com -DisasterMode')), good: step('A', ps('Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com -DisasterMode')) },
  'failback-fqdn-mismatch': { kind: 'pool-failback', bad: step('A', ps('Invoke-CsPoolFailback -PoolFqdn dal-cs-001.litwareinc.com')), good: step('A', ps('Invoke-CsPoolFailback -PoolFqdn atl-cs-001.litwareinc.com')) },
  'failover-without-disaster-mode': { kind: 'pool-failover', bad: step('A', ps('Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com')), good: step('A', ps('Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com -DisasterMode')) },
  'pool-without-backup-pool': {
    estate: (e) => ({ ...e, pools: e.pools.map((p) => (p.fqdn.startsWith('atl-cs') ? { ...p, backupPool: undefined } : p)) }),
    bad: step('A', ps('Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com -DisasterMode')),
    good: step('A', ps('Invoke-CsPoolFailover -PoolFqdn dal-cs-001.litwareinc.com -DisasterMode')),
  },
  'failback-without-conference-restore': { kind: 'pool-failback', bad: step('A', ps('Invoke-CsPoolFailback -PoolFqdn atl-cs-001.litwareinc.com')), good: step('A', ps('Invoke-CsPoolFailback -PoolFqdn atl-cs-001.litwareinc.com')) + step('B', ps('Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com -BackupModule ConfServices.DataConf')) },
  'recovery-without-log-restores': { kind: FO, bad: step('A', sql('backup', 'RESTORE DATABASE mgc WITH RECOVERY')), good: step('A', lync('apply-log-backups database=mgc on=backup')) + step('B', lync('recover-database database=mgc on=backup')) },
  'failback-without-restore': {
    kind: FB,
    bad: step('A', ps(`Set-CsPersistentChatState -Identity "PersistentChatServer:${PC}" -PoolState Normal`)),
    good: step('A', sql('backup', "BACKUP DATABASE mgc TO DISK = N'\\\\s\\mgc.bak'")) + step('B', sql('primary', "RESTORE DATABASE mgc FROM DISK = N'\\\\s\\mgc.bak' WITH REPLACE, RECOVERY")) + step('C', ps(`Set-CsPersistentChatState -Identity "PersistentChatServer:${PC}" -PoolState Normal`)),
  },
  'failback-backup-wrong-instance': { kind: FB, bad: step('A', sql('primary', "BACKUP DATABASE mgc TO DISK = N'\\\\s\\mgc.bak'")), good: step('A', sql('backup', "BACKUP DATABASE mgc TO DISK = N'\\\\s\\mgc.bak'")) },
  'restore-left-restoring': { bad: step('A', sql('primary', "RESTORE DATABASE mgc FROM DISK = N'\\\\s\\mgc.bak' WITH REPLACE, NORECOVERY")), good: step('A', sql('primary', "RESTORE DATABASE mgc FROM DISK = N'\\\\s\\mgc.bak' WITH REPLACE, RECOVERY")) },
  'failback-log-shipping-not-rebuilt': {
    kind: FB,
    bad: step('Restore the primary', sql('primary', "RESTORE DATABASE mgc FROM DISK = N'\\\\s\\mgc.bak' WITH REPLACE, RECOVERY")),
    good: step('Restore the primary', sql('primary', "RESTORE DATABASE mgc FROM DISK = N'\\\\s\\mgc.bak' WITH REPLACE, RECOVERY")) + step('Re-establish log shipping', lync('confirm "Log shipping from the primary to the backup is configured"')),
  },
  'restore-log-out-of-order': {
    bad: step('A', sql('backup', "RESTORE LOG mgc FROM DISK = N'D:\\LS\\mgc_20261207101500.trn' WITH NORECOVERY", "RESTORE LOG mgc FROM DISK = N'D:\\LS\\mgc_20261207100000.trn' WITH NORECOVERY")),
    good: step('A', sql('backup', "RESTORE LOG mgc FROM DISK = N'D:\\LS\\mgc_20261207100000.trn' WITH NORECOVERY", "RESTORE LOG mgc FROM DISK = N'D:\\LS\\mgc_20261207101500.trn' WITH NORECOVERY")),
  },
  'statement-on-restoring-database': {
    kind: FO,
    bad: step('A', sql('backup', 'SELECT COUNT(*) FROM mgc.dbo.tblChat')) + step('B', lync('apply-log-backups database=mgc on=backup')) + step('C', lync('recover-database database=mgc on=backup')),
    good: step('A', sql('backup', "SELECT state_desc FROM sys.databases WHERE name = N'mgc'")) + step('B', lync('apply-log-backups database=mgc on=backup')) + step('C', lync('recover-database database=mgc on=backup')),
  },
  'sql-typographic-quote': { bad: step('A', sql('backup', 'SELECT state_desc FROM sys.databases WHERE name = \u2018mgc\u2019')), good: step('A', sql('backup', "SELECT state_desc FROM sys.databases WHERE name = 'mgc'")) },
  'mirror-configured-databases': { kind: FO, bad: step('A', ps('Install-CsMirrorDatabase -ConfiguredDatabases -SqlServerFqdn dal-pcbak-001.litwareinc.com -FileShare "\\\\f\\m"')), good: step('A', ps('Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn dal-pcbak-001.litwareinc.com -FileShare "\\\\f\\m"')) },
  'failback-disaster-mode': { kind: 'pool-failback', bad: step('A', ps('Invoke-CsPoolFailback -PoolFqdn atl-cs-001.litwareinc.com -DisasterMode')), good: step('A', ps('Invoke-CsPoolFailback -PoolFqdn atl-cs-001.litwareinc.com')) },
  'active-servers-in-lost-datacenter': {
    kind: FO,
    bad: step('A', ps('Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Add="dal-pc-001.litwareinc.com","dal-pc-002.litwareinc.com"}')),
    good: step('A', ps('Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Replace="dal-pc-001.litwareinc.com","dal-pc-002.litwareinc.com"}')),
  },
  'active-servers-not-set': {
    kind: FO,
    bad: step('A', ps(`Set-CsPersistentChatState -Identity "PersistentChatServer:${PC}" -PoolState FailedOver`)),
    good: step('A', ps(`Set-CsPersistentChatState -Identity "PersistentChatServer:${PC}" -PoolState FailedOver`)) + step('B', ps('Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Replace="dal-pc-001.litwareinc.com"}')),
  },
  'pool-failover-cms-unchecked': {
    kind: 'pool-failover',
    bad: step('A', ps('Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com -DisasterMode')),
    good: step('A', ps('Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus')) + step('B', ps('Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com -DisasterMode')),
  },
  'pool-failover-edge-unchecked': {
    kind: 'pool-failover',
    bad: step('A', ps('Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com -DisasterMode')),
    good: step('A', ps('Get-CsService -EdgeServer')) + step('B', ps('Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com -DisasterMode')),
  },
  'step-order': {
    kind: FO,
    bad: step('A', ps(`Set-CsPersistentChatState -Identity "service:${PC}" -PoolState FailedOver`)) + step('B', lync('recover-database database=mgc on=backup')),
    good: step('B', lync('recover-database database=mgc on=backup')) + step('A', ps(`Set-CsPersistentChatState -Identity "service:${PC}" -PoolState FailedOver`)),
  },
};
