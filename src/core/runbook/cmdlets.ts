/**
 * The cmdlet catalogue: the one place that knows the Lync / Skype for Business cmdlets a recovery
 * runbook uses, their parameter sets, mandatory parameters and enumerations. Completion, hover and
 * the rules all read it. Facts from the Lync Server 2013 cmdlet reference (domain reference §4, §9).
 */

import { BACKUP_CATEGORIES, BACKUP_MODULES, BACKUP_MODULES_LYNC_2013, DATABASE_TYPES, DATABASE_TYPES_LYNC_2013, DATABASE_TYPES_SFB_2015, POOL_STATES } from '../commands/enums';
import type { LyncProduct } from '../estate/model';

export type ParameterType = 'string' | 'switch' | 'fqdn' | 'enum' | 'identity' | 'list' | 'timespan' | 'int' | 'hashtable' | 'object';

/** What an FQDN parameter must name, for completion and checks. */
export type FqdnKind = 'front-end-pool' | 'persistent-chat-pool' | 'sql-server' | 'pc-server' | 'any-pool';

export interface ParameterSpec {
  readonly name: string;
  readonly type: ParameterType;
  readonly help: string;
  readonly values?: readonly string[];
  /** The values one product accepts, where they differ from `values` (which holds every product's). */
  readonly valuesIn?: Readonly<Partial<Record<LyncProduct, readonly string[]>>>;
  readonly fqdn?: FqdnKind;
  /** Parameter sets the parameter belongs to; absent = every set. */
  readonly sets?: readonly string[];
  /** Sets in which it is mandatory; absent = optional. */
  readonly mandatoryIn?: readonly string[];
  /** Exists only from Skype for Business Server 2015 on. */
  readonly sfbOnly?: boolean;
  /** Used by a procedure page but absent from the cmdlet's documented syntax. */
  readonly undocumented?: boolean;
  /** Position when given without its name (0 = first); absent = named only. */
  readonly position?: number;
  /** Takes its value from pipeline input (ByValue). */
  readonly pipeline?: boolean;
  readonly aliases?: readonly string[];
}

export interface CmdletSpec {
  readonly name: string;
  readonly synopsis: string;
  /** Parameter set names; absent = one set. */
  readonly sets?: readonly string[];
  /** The set PowerShell picks when the given parameters fit several; absent = the first of `sets`. */
  readonly defaultSet?: string;
  /**
   * How much a change asks for confirmation: `High` prompts under PowerShell's default
   * `$ConfirmPreference` (and so fails under `-NonInteractive` unless `-Confirm:$false` is given).
   * Absent = Medium. The reference documents a prompt for Install-CsMirrorDatabase only.
   */
  readonly confirmImpact?: 'Low' | 'Medium' | 'High';
  readonly parameters: readonly ParameterSpec[];
}

export const ENUMS = {
  PoolState: POOL_STATES,
  BackupModule: BACKUP_MODULES,
  BackupCategory: BACKUP_CATEGORIES,
  // BIStaging, named in one mirroring page's prose, is in no DatabaseNameType list of the reference.
  DatabaseType: DATABASE_TYPES,
  MirrorRole: ['Primary', 'Mirror'],
} as const satisfies Record<string, readonly string[]>;

/** Short `-BackupModule` forms printed on one management page; not in the cmdlet reference. */
export const BACKUP_MODULE_SHORT_FORMS: Readonly<Record<string, string>> = {
  presencefocus: 'UserServices.PresenceFocus',
  dataconf: 'ConfServices.DataConf',
  cmsmaster: 'CentralMgmt.CMSMaster',
  confservices: 'ConfServices.DataConf',
  conference: 'ConfServices.DataConf',
};

/** Parameters every cmdlet accepts. */
export const COMMON_PARAMETERS: readonly string[] = [
  'Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ErrorVariable', 'WarningVariable',
  'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable',
];

/**
 * Parameter names copied from the documentation examples → the real name. `binds`: PowerShell binds
 * the written name by unique prefix, so it is wrong only when it is left without a value
 * (Invoke-CsDatabaseFailover example 2 writes `-ExcludeDatabase -NewPrincipal "Mirror"`).
 */
export const DOC_TYPO_PARAMETERS: Readonly<Record<string, { readonly name: string; readonly binds?: boolean }>> = {
  dropexisitingdatabasesonmirror: { name: 'DropExistingDatabasesOnMirror' },
  excludedatabase: { name: 'ExcludeDatabaseList', binds: true },
  // Printed by the pool failover page (CMS step 5); the cmdlet reference has no such parameters.
  mirrorsqlserverfqdn: { name: 'BackupMirrorSqlServerFqdn' },
  mirrorsqlinstancename: { name: 'BackupMirrorSqlInstanceName' },
};

/** Cmdlets that do not exist although runbooks call them → what to do instead. */
export const NONEXISTENT_CMDLETS: Readonly<Record<string, string>> = {
  'get-cspersistentchatactiveserver':
    'no cmdlet reads the active-server list; check the Persistent Chat service (Get-CsService -PersistentChatServer) or client sign-in instead',
  'set-cspoolbackuprelationship': 'pool pairing is set in Topology Builder (Associated Backup Pool) and published',
  'invoke-csbackupservicestatus': 'use Get-CsBackupServiceStatus',
  'get-cspersistentchatpoolstate': 'use Get-CsPersistentChatState',
};

const sw = (name: string, help: string, extra: Partial<ParameterSpec> = {}): ParameterSpec => ({ name, type: 'switch', help, ...extra });
const force = sw('Force', 'Suppresses confirmation prompts.');
const confirm = sw('Confirm', 'Prompts for confirmation before running.');
const whatIf = sw('WhatIf', 'Describes what would happen without making changes.');
const localStore = sw('LocalStore', 'Reads from the local replica of the Central Management Store.');
const report = { name: 'Report', type: 'string', help: 'Path of an HTML report of the operation.' } as const;
const poolFqdn = (help: string, fqdn: FqdnKind, mandatory = true): ParameterSpec => ({
  name: 'PoolFqdn', type: 'fqdn', fqdn, help, ...(mandatory ? { mandatoryIn: ['default'] } : {}),
});
const databaseType = (mandatoryIn?: readonly string[], sets?: readonly string[]): ParameterSpec => ({
  name: 'DatabaseType', type: 'enum', values: ENUMS.DatabaseType, valuesIn: { lync2013: DATABASE_TYPES_LYNC_2013, sfb2015: DATABASE_TYPES_SFB_2015 }, help: 'Type of database (DatabaseNameType), e.g. PersistentChat, PersistentChatCompliance, User.',
  ...(mandatoryIn ? { mandatoryIn } : {}), ...(sets ? { sets } : {}),
});

/** Get-CsService's role switches (Lync Server 2013 and later, cmdlet reference `Get-CsService`). */
const SERVICE_ROLES = [
  'ApplicationDatabase', 'ApplicationServer', 'ArchivingDatabase', 'ArchivingServer', 'CentralManagement', 'CentralManagementDatabase',
  'ConferencingServer', 'Director', 'EdgeServer', 'FileStore', 'ManagementServer', 'MediationServer', 'MonitoringServer',
  'MonitoringDatabase', 'ProvisionServer', 'ProvisionDatabase', 'PstnGateway', 'Registrar', 'TrustedApplicationPool', 'UserDatabase',
  'UserServer', 'WebServer', 'BackupServer', 'LegalInterceptServer', 'PersistentChatComplianceDatabase', 'PersistentChatDatabase',
  'PersistentChatServer', 'WacServer', 'VideoGateway', 'VideoInteropServer',
] as const;

/** Set-CsEdgeServer's port parameters (Lync Server 2010 and later, cmdlet reference `Set-CsEdgeServer`). */
const EDGE_PORTS = [
  'AccessEdgeClientSipPort', 'AccessEdgeExternalSipPort', 'AccessEdgeInternalSipPort', 'DataPsomClientPort', 'DataPsomServerPort',
  'MediaCommunicationPortCount', 'MediaCommunicationPortStart', 'MediaRelayAuthEdgePort', 'MediaRelayExternalTurnTcpPort',
  'MediaRelayExternalTurnUdpPort', 'MediaRelayInternalTurnTcpPort', 'MediaRelayInternalTurnUdpPort', 'SkypeSearchProxyPort',
  'XmppInternalPort', 'XmppListeningPort',
] as const;

export const CMDLETS: readonly CmdletSpec[] = [
  {
    name: 'Set-CsPersistentChatState',
    synopsis: 'Switches a Persistent Chat pool between its primary databases (Normal) and its backup databases (FailedOver).',
    sets: ['Identity', 'Instance'],
    parameters: [
      { name: 'Identity', type: 'identity', fqdn: 'persistent-chat-pool', sets: ['Identity'], position: 0, help: 'The Persistent Chat pool: `PersistentChatServer:<pool fqdn>` (reference form) or `service:<pool fqdn>`.' },
      { name: 'Instance', type: 'object', sets: ['Instance'], mandatoryIn: ['Instance'], pipeline: true, help: 'An object from Get-CsPersistentChatState.' },
      { name: 'PoolState', type: 'enum', values: ENUMS.PoolState, help: 'Normal = primary databases; FailedOver = backup databases. Optional, and the default is Normal: a failover must say FailedOver.' },
      force, confirm, whatIf,
    ],
  },
  {
    name: 'Get-CsPersistentChatState',
    synopsis: 'Reads the state (Normal or FailedOver) of Persistent Chat pools.',
    sets: ['Identity', 'Filter'],
    parameters: [
      { name: 'Identity', type: 'identity', fqdn: 'persistent-chat-pool', sets: ['Identity'], position: 0, help: '`PersistentChatServer:<pool fqdn>`.' },
      { name: 'Filter', type: 'string', sets: ['Filter'], help: 'Wildcard on the identity, e.g. `*.litwareinc.com`.' },
      localStore,
    ],
  },
  {
    name: 'Set-CsPersistentChatActiveServer',
    synopsis: 'Sets which Persistent Chat servers of the pool are active (accept client connections); at most 4.',
    sets: ['Explicit', 'Swap'],
    parameters: [
      { name: 'Identity', type: 'identity', position: 0, help: 'The active-server collection: `global` on Lync Server 2013 (`PChatServerCollection` in Skype for Business examples).' },
      { name: 'ActiveServers', type: 'list', fqdn: 'pc-server', sets: ['Explicit'], mandatoryIn: ['Explicit'], help: 'Server FQDNs: `@{Add="fqdn"}`, `@{Remove="fqdn"}`, `@{Replace="a","b"}`, a list, or `$Null` to clear.' },
      sw('Swap', 'Swaps active and inactive servers of the pool.', { sets: ['Swap'], mandatoryIn: ['Swap'] }),
      force, confirm, whatIf,
    ],
  },
  {
    name: 'Install-CsMirrorDatabase',
    synopsis: 'Creates SQL Server mirroring for the databases of a SQL store (the mirror comes from the topology).',
    sets: ['ByConfigured', 'ByDatabase'],
    // The reference's procedure shows its Y/A/N prompt (domain audit R1); the product passes -Confirm:$false.
    confirmImpact: 'High',
    parameters: [
      sw('ConfiguredDatabases', 'Mirrors every database configured on the store.', { sets: ['ByConfigured'], mandatoryIn: ['ByConfigured'] }),
      databaseType(['ByDatabase'], ['ByDatabase']),
      { name: 'FileShare', type: 'string', mandatoryIn: ['ByConfigured', 'ByDatabase'], help: 'UNC share used to move the backup from the primary to the mirror; both SQL service accounts need read/write.' },
      { name: 'SqlServerFqdn', type: 'fqdn', fqdn: 'sql-server', mandatoryIn: ['ByConfigured', 'ByDatabase'], help: 'FQDN of the principal SQL server — during a Persistent Chat failover, the backup server that became primary.' },
      sw('ForDefaultInstance', 'The default SQL instance.', { sets: ['ByConfigured'] }),
      { name: 'ForInstance', type: 'string', sets: ['ByConfigured'], help: 'A named SQL instance.' },
      { name: 'SqlInstanceName', type: 'string', sets: ['ByDatabase'], help: 'Named SQL instance of the principal.' },
      { name: 'DatabasePathMap', type: 'hashtable', help: 'Data/log paths on the mirror.' },
      sw('DropExistingDatabasesOnMirror', 'Drops databases already on the mirror first.'),
      { name: 'ExcludeDatabaseList', type: 'list', help: 'Databases not to mirror.' },
      report, confirm, whatIf,
    ],
  },
  {
    name: 'Uninstall-CsMirrorDatabase',
    synopsis: 'Removes SQL Server mirroring for a database type (not for removing only a witness).',
    parameters: [
      databaseType(['default']),
      { name: 'SqlServerFqdn', type: 'fqdn', fqdn: 'sql-server', mandatoryIn: ['default'], help: 'FQDN of the principal SQL server.' },
      { name: 'SqlInstanceName', type: 'string', help: 'Named SQL instance.' },
      sw('DropExistingDatabasesOnMirror', 'Deletes the databases on the mirror.'),
      report, confirm, whatIf,
    ],
  },
  {
    name: 'Get-CsDatabaseMirrorState',
    synopsis: 'Reads the mirroring state of a pool\'s databases.',
    parameters: [
      poolFqdn('Pool whose databases are inspected.', 'any-pool'),
      databaseType(),
      localStore, report,
    ],
  },
  {
    name: 'Invoke-CsDatabaseFailover',
    synopsis: 'Fails a mirrored database over to its mirror (or back to the primary).',
    parameters: [
      poolFqdn('Pool whose database fails over.', 'any-pool'),
      databaseType(['default']),
      { name: 'NewPrincipal', type: 'enum', values: ENUMS.MirrorRole, mandatoryIn: ['default'], help: 'Primary or Mirror: which copy becomes the principal.' },
      { name: 'ExcludeDatabaseList', type: 'list', help: 'Databases not to fail over.' },
      force, localStore, report, confirm, whatIf,
    ],
  },
  {
    name: 'Invoke-CsBackupServiceSync',
    synopsis: 'Runs a Backup Service synchronisation now, from the given pool to its paired pool.',
    parameters: [
      poolFqdn('The pool that holds the data to copy — for a conference restore, the partner of the pool that lost it.', 'front-end-pool'),
      { name: 'BackupModule', type: 'enum', values: ENUMS.BackupModule, valuesIn: { lync2013: BACKUP_MODULES_LYNC_2013 }, help: 'Module to sync: UserServices.PresenceFocus, ConfServices.DataConf (conference content) or CentralMgmt.CMSMaster; optional — without it every module syncs.' },
      force,
    ],
  },
  {
    name: 'Get-CsBackupServiceStatus',
    synopsis: 'Reads Backup Service status (ExportStatus/ImportStatus per module) from the pool to its partner.',
    parameters: [
      poolFqdn('Pool whose outgoing replication is reported.', 'front-end-pool'),
      { name: 'Category', type: 'enum', values: ENUMS.BackupCategory, help: 'UserData or CMS (RGS on later versions); omitted = all.' },
      { name: 'BackupModule', type: 'string', undocumented: true, help: 'Printed by the conference-restore page but absent from the documented syntax: filter `BackupModules` of the result instead.' },
      force,
    ],
  },
  {
    name: 'Get-CsBackupServiceConfiguration',
    synopsis: 'Reads the Backup Service configuration (SyncInterval, …).',
    sets: ['Identity', 'Filter'],
    parameters: [
      { name: 'Identity', type: 'identity', sets: ['Identity'], position: 0, help: '`global`.' },
      { name: 'Filter', type: 'string', sets: ['Filter'], help: 'Wildcard on the identity.' },
      localStore,
    ],
  },
  {
    name: 'Set-CsBackupServiceConfiguration',
    synopsis: 'Changes the Backup Service configuration.',
    sets: ['Identity', 'Instance'],
    parameters: [
      { name: 'Identity', type: 'identity', sets: ['Identity'], position: 0, help: '`global`.' },
      { name: 'SyncInterval', type: 'timespan', help: 'hh:mm:ss between 00:00:05 and 03:00:00 (default 00:02:00).' },
      { name: 'MaxConcurrentCalls', type: 'int', help: 'WCF concurrent calls (default 10).' },
      { name: 'AuthorizedUniversalGroups', type: 'list', help: 'Groups allowed to query the Backup Service.' },
      { name: 'AuthorizedLocalAccounts', type: 'list', help: 'Local accounts allowed to query the Backup Service.' },
      { name: 'MaxBatchesPerCmsSync', type: 'int', help: 'Default 500.' },
      { name: 'MaxBatchesPerUserStoreSync', type: 'int', help: 'Default 500.' },
      { name: 'MaxDataConfPackageSizeKB', type: 'int', help: 'Default 102400.' },
      { name: 'MaxHighPriQueuePercentagePerUserStoreSync', type: 'int', sfbOnly: true, help: 'Skype for Business Server 2015 and later only.' },
      { name: 'Instance', type: 'object', sets: ['Instance'], mandatoryIn: ['Instance'], pipeline: true, help: 'A configuration object from Get-CsBackupServiceConfiguration.' },
      // EnableRgsBackupService is Skype for Business Server 2019 only: not a parameter of the products this catalogue covers.
      force, confirm, whatIf,
    ],
  },
  {
    name: 'Invoke-CsPoolFailover',
    synopsis: 'Fails the users of a Front End pool over to its paired backup pool.',
    parameters: [
      poolFqdn('The pool being failed over FROM (the failed pool), never the surviving backup pool.', 'front-end-pool'),
      sw('DisasterMode', 'Required when the pool is no longer reachable (unplanned failover).'),
      sw('FlushStorageService', 'Flushes the storage service on each Front End first.'),
      { name: 'WaitTime', type: 'timespan', help: 'Time to wait for data to sync before failing over.' },
      { name: 'DatabaseCommandTimeoutInSeconds', type: 'int', sfbOnly: true, help: 'Skype for Business Server 2015 and later only.' },
      { name: 'ServicesStopDelayMins', type: 'int', sfbOnly: true, help: 'Skype for Business Server 2015 and later only.' },
      sw('SkipDataVerification', 'Skype for Business Server 2015 and later only.', { sfbOnly: true }),
      force, confirm, whatIf,
    ],
  },
  {
    name: 'Invoke-CsPoolFailback',
    synopsis: 'Fails the users of a pool back to it from its backup pool (same -PoolFqdn as the failover).',
    parameters: [
      poolFqdn('The pool the users originally belong to (the same FQDN as the failover).', 'front-end-pool'),
      sw('DisasterMode', 'Fails back even if the backup pool is unavailable (its changes are lost).'),
      { name: 'WaitTime', type: 'timespan', help: 'Default 00:00:15.' },
      { name: 'DatabaseCommandTimeoutInSeconds', type: 'int', sfbOnly: true, help: 'Skype for Business Server 2015 and later only.' },
      sw('SkipDataVerification', 'Skype for Business Server 2015 and later only.', { sfbOnly: true }),
      force, confirm, whatIf,
    ],
  },
  {
    name: 'Get-CsPoolBackupRelationship',
    synopsis: 'Returns the backup pool paired with a pool (pairing is set in Topology Builder).',
    parameters: [poolFqdn('Pool whose partner is returned.', 'front-end-pool'), force, localStore],
  },
  {
    name: 'Get-CsPool',
    synopsis: 'Lists pools with their Services and Computers.',
    sets: ['Identity', 'Filter'],
    parameters: [
      { name: 'Identity', type: 'fqdn', fqdn: 'any-pool', sets: ['Identity'], position: 0, help: 'Pool FQDN.' },
      { name: 'Filter', type: 'string', sets: ['Filter'], help: 'Wildcard on the pool FQDN.' },
      { name: 'Site', type: 'string', help: 'Site display name (not `site:Name`).' },
      localStore,
    ],
  },
  {
    name: 'Get-CsService',
    synopsis: 'Lists services of the topology; at most one role switch per call (each role is its own parameter set).',
    sets: ['Identity', 'Filter', ...SERVICE_ROLES],
    defaultSet: 'Identity',
    parameters: [
      { name: 'Identity', type: 'identity', sets: ['Identity'], position: 0, help: '`<Role>:<fqdn>`, e.g. `PersistentChatServer:<pool fqdn>`.' },
      { name: 'Filter', type: 'string', sets: ['Filter'], help: 'Wildcard on the identity.' },
      { name: 'PoolFqdn', type: 'fqdn', fqdn: 'any-pool', help: 'Limit to one pool.' },
      ...SERVICE_ROLES.map((role) => sw(role, `Only ${role} services.`, { sets: [role], ...(role === 'ConferencingServer' ? { aliases: ['ConferenceServer'] } : {}) })),
    ],
  },
  {
    name: 'Get-CsTopology',
    synopsis: 'Returns the published topology.',
    parameters: [sw('AsXml', 'Returns the topology as XML.'), localStore],
  },
  {
    name: 'Invoke-CsManagementServerFailover',
    synopsis: 'Fails the Central Management Server over to the backup pool (DisasterRecovery: the CMS is down; Normal: it is up).',
    sets: ['DisasterRecovery', 'Normal'],
    parameters: [
      { name: 'BackupSqlServerFqdn', type: 'fqdn', fqdn: 'sql-server', sets: ['DisasterRecovery'], mandatoryIn: ['DisasterRecovery'], help: 'Back End of the backup pool (the CMS database defined in the topology).' },
      { name: 'BackupSqlInstanceName', type: 'string', sets: ['DisasterRecovery'], help: 'SQL instance of the backup pool Back End.' },
      { name: 'BackupMirrorSqlServerFqdn', type: 'fqdn', fqdn: 'sql-server', sets: ['DisasterRecovery'], help: 'Mirror of the backup pool Back End, when it is mirrored.' },
      { name: 'BackupMirrorSqlInstanceName', type: 'string', sets: ['DisasterRecovery'], help: 'SQL instance of that mirror.' },
      sw('Force', 'Required in disaster recovery: fails over without waiting for replication.', { sets: ['DisasterRecovery'], mandatoryIn: ['DisasterRecovery'] }),
      sw('Restore', 'Restores the existing Central Management Server database.', { sets: ['Normal'] }),
      report, confirm, whatIf,
    ],
  },
  {
    name: 'Get-CsManagementStoreReplicationStatus',
    synopsis: 'Reads Central Management Store replication status.',
    sets: ['CmsStatus', 'ReplicaStatus'],
    defaultSet: 'ReplicaStatus',
    parameters: [
      sw('CentralManagementStoreStatus', 'Shows the active master and file transfer agents.', { sets: ['CmsStatus'], mandatoryIn: ['CmsStatus'] }),
      { name: 'ReplicaFqdn', type: 'fqdn', sets: ['ReplicaStatus'], help: 'One replica.' },
    ],
  },
  {
    name: 'Set-CsEdgeServer',
    synopsis: 'Changes an Edge pool, e.g. its next-hop Registrar.',
    parameters: [
      { name: 'Identity', type: 'identity', position: 0, help: '`EdgeServer:<Edge pool FQDN>`.' },
      { name: 'Registrar', type: 'identity', help: '`Registrar:<next hop pool FQDN>`: the next hop of the Edge pool.' },
      // The port parameters (cmdlet reference `Set-CsEdgeServer`), so a documented call is not an unknown parameter.
      ...EDGE_PORTS.map((name): ParameterSpec => ({ name, type: 'int', help: 'A port of the Edge Server (see the cmdlet reference).' })),
      force, confirm, whatIf,
    ],
  },
  {
    name: 'Start-CsWindowsService',
    synopsis: 'Starts Lync Windows services, e.g. `-Name LYNCBACKUP`.',
    sets: ['Name', 'InputObject'],
    parameters: [
      { name: 'Name', type: 'string', sets: ['Name'], position: 0, help: 'Service name, e.g. LYNCBACKUP; without it, every Lync service of the computer.' },
      { name: 'ComputerName', type: 'fqdn', sets: ['Name'], help: 'Remote computer.' },
      { name: 'InputObject', type: 'object', sets: ['InputObject'], pipeline: true, help: 'A service object from Get-CsWindowsService.' },
      sw('NoWait', 'Returns at once.'),
      force,
      report, whatIf, confirm,
    ],
  },
];

const BY_NAME = new Map(CMDLETS.map((c) => [c.name.toLowerCase(), c]));

export const findCmdlet = (name: string): CmdletSpec | undefined => BY_NAME.get(name.toLowerCase());

/** Whether a name looks like a Lync/SfB cmdlet (`Verb-Cs…`). */
export const isCsCmdletName = (name: string): boolean => /^[a-z]+-cs[a-z]/i.test(name);

export type ParameterResolution =
  | { readonly kind: 'found'; readonly spec: ParameterSpec }
  | { readonly kind: 'common' }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly string[] }
  | { readonly kind: 'unknown' };

/** Binds a written parameter name like PowerShell does: exact name, else a unique prefix. */
export function resolveParameter(cmdlet: CmdletSpec, written: string): ParameterResolution {
  const lower = written.toLowerCase();
  const exact = cmdlet.parameters.find((p) => p.name.toLowerCase() === lower);
  if (exact) return { kind: 'found', spec: exact };
  if (COMMON_PARAMETERS.some((c) => c.toLowerCase() === lower)) return { kind: 'common' };
  const prefixed = cmdlet.parameters.filter((p) => p.name.toLowerCase().startsWith(lower));
  if (prefixed.length === 1) return { kind: 'found', spec: prefixed[0]! };
  if (prefixed.length > 1) return { kind: 'ambiguous', candidates: prefixed.map((p) => p.name) };
  return { kind: 'unknown' };
}

export function isSwitchParameter(cmdletName: string, parameter: string): boolean {
  const cmdlet = findCmdlet(cmdletName);
  if (!cmdlet) return false;
  const r = resolveParameter(cmdlet, parameter);
  return r.kind === 'found' && r.spec.type === 'switch';
}

/**
 * Whether a parameter must be given, per parameter set: `mandatory` when every parameter set of the
 * cmdlet needs it, `mandatory in parameter set Instance` when only some do (Set-CsPersistentChatState
 * works without -Instance, through -Identity), undefined when it is optional.
 */
export function mandatoryText(c: CmdletSpec, p: ParameterSpec): string | undefined {
  const mandatoryIn = p.mandatoryIn ?? [];
  if (!mandatoryIn.length) return undefined;
  if ((c.sets ?? ['default']).every((set) => mandatoryIn.includes(set))) return 'mandatory';
  return `mandatory in parameter set${mandatoryIn.length > 1 ? 's' : ''} ${mandatoryIn.join(', ')}`;
}

/** Markdown help of a cmdlet, for hover. */
export function cmdletHelp(c: CmdletSpec): string {
  const params = c.parameters.map((p) => {
    const mandatory = mandatoryText(c, p);
    return `- \`-${p.name}\`${mandatory ? ` (${mandatory})` : ''}${p.values ? ` — one of ${p.values.join(', ')}` : ''}: ${p.help}`;
  });
  return [`**${c.name}**`, '', c.synopsis, '', ...params].join('\n');
}

export function parameterHelp(c: CmdletSpec, p: ParameterSpec): string {
  const values = p.values ? `\n\nValues: ${p.values.map((v) => `\`${v}\``).join(', ')}` : '';
  const mandatory = mandatoryText(c, p);
  return `**${c.name} -${p.name}** (${p.type}${mandatory ? `, ${mandatory}` : ''}${p.sfbOnly ? ', Skype for Business 2015+ only' : ''})\n\n${p.help}${values}`;
}
