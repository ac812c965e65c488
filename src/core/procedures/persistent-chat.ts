/**
 * Persistent Chat failover (§1: capture + 7 steps) and failback (§2: 6 steps + return to Normal).
 * The pool's `mgc` store roles come from the estate; `mgccomp` is not failed over (§1.1).
 */
import { parseFileName, parseFqdn, parseUncPath, parseWindowsPath, parseXdsIdentity, persistentChatIdentity, joinPath, parseDatabaseName, type Fqdn, type UncPath } from '../commands/values';
import * as ps from '../commands/powershell';
import * as tsql from '../commands/tsql';
import type { Estate, Pool } from '../estate/model';
import { cmsAnswers } from './cms';
import { estateValue, findPool, instanceLabel, optionalSqlTarget, poolFqdn, requireKind, serverDatacenter, sqlTarget } from './resolve';
import { confirm, databaseState, lync, operatorConfirms, powershell, sql, stepDone } from './steps';
import { ProcedureError, type ProcedureOptions, type ProcedurePlan, type ProcedureStep, type SqlTarget } from './types';

const MGC = parseDatabaseName('mgc');
const MGCCOMP = parseDatabaseName('mgccomp');
/** At most 4 active Persistent Chat servers per pool (§5.1). */
const MAX_ACTIVE = 4;

interface PcContext {
  readonly estate: Estate;
  readonly pool: Pool;
  readonly fqdn: Fqdn;
  readonly notes: string[];
  readonly options: ProcedureOptions;
}

function context(estate: Estate, fqdn: string, options: ProcedureOptions, procedure: string): PcContext {
  const pool = findPool(estate, fqdn);
  requireKind(pool, 'persistent-chat', procedure);
  return { estate, pool, fqdn: poolFqdn(pool), notes: [], options };
}

function logShipping(ctx: PcContext) {
  const ls = ctx.pool.logShipping;
  if (!ls) throw new ProcedureError('no-log-shipping', `Pool ${ctx.pool.fqdn} declares no logShipping (share and copyFolder) in the estate.`, [...ctx.pool.path, 'fqdn']);
  return {
    share: estateValue(parseUncPath, ls.share, `pool ${ctx.pool.fqdn} logShipping.share`, [...ctx.pool.path, 'logShipping', 'share']),
    copyFolder: estateValue(parseWindowsPath, ls.copyFolder, `pool ${ctx.pool.fqdn} logShipping.copyFolder`, [...ctx.pool.path, 'logShipping', 'copyFolder']),
  };
}

/**
 * The servers to activate: the admin's list, or the pool's servers in the data center of the new
 * primary database (§1.3 step 7, §2.2 step 6), at most four.
 */
function activeServers(ctx: PcContext, database: SqlTarget): Fqdn[] {
  if (ctx.options.activeServers) return ctx.options.activeServers.map((s) => estateValue(parseFqdn, s, 'option activeServers'));
  const dc = database.datacenter;
  const local = ctx.pool.servers.filter((s) => dc !== undefined && serverDatacenter(ctx.pool, s.fqdn) === dc).map((s) => estateValue(parseFqdn, s.fqdn, `pool ${ctx.pool.fqdn} server`, s.path));
  if (local.length === 0) {
    throw new ProcedureError(
      'no-active-servers',
      `No server of ${ctx.pool.fqdn} is declared in data center ${dc ?? '(unknown: set datacenter on SQL instance ' + database.instanceId + ')'}, where the ${database.role} database runs. Set each server's datacenter in the estate, or pass the servers to activate.`,
    );
  }
  if (local.length > MAX_ACTIVE) ctx.notes.push(`Only the first ${MAX_ACTIVE} servers in ${dc} are activated (${local.slice(MAX_ACTIVE).join(', ')} left idle): a pool has at most ${MAX_ACTIVE} active servers.`);
  return local.slice(0, MAX_ACTIVE);
}

const collection = (ctx: PcContext) => estateValue(parseXdsIdentity, ctx.pool.activeServerCollection ?? 'global', `pool ${ctx.pool.fqdn} activeServerCollection`, [...ctx.pool.path, 'activeServerCollection']);

function activateStep(ctx: PcContext, database: SqlTarget, poolState: 'FailedOver' | 'Normal', reference: string): ProcedureStep {
  const [first, ...rest] = activeServers(ctx, database);
  return {
    id: 'activate-servers',
    title: 'Activate the Persistent Chat servers',
    why: `Servers on the active list accept client connections. Only servers in the data center of the ${database.role} database (${database.datacenter ?? 'unknown'}), or on a fast link to it, should be active; at most ${MAX_ACTIVE}.`,
    target: { kind: 'shell' },
    preconditions: [{ kind: 'pool-state', pool: ctx.fqdn, identity: persistentChatIdentity(ctx.fqdn), expect: poolState }],
    // Cleared, then added to: the documented forms (§4.4; domain audit R6), never `@{Replace=…}`.
    actions: [powershell(ps.clearPersistentChatActiveServers(collection(ctx))), ...(first ? [powershell(ps.addPersistentChatActiveServers(collection(ctx), [first, ...rest]))] : [])],
    verification: [operatorConfirms('Persistent Chat clients can sign in and post (no cmdlet reports the active list).')],
    destructive: false,
    onFailure: 'Check that every server is a member of the pool (Get-CsPool) and that the collection identity is right (global on Lync 2013).',
    reference,
  };
}

/** A Persistent Chat store mirrored by `Install-CsMirrorDatabase` (failover: the backup's; failback: the primary's again). */
interface MirroredStore {
  readonly type: 'PersistentChat' | 'PersistentChatCompliance';
  readonly database: ReturnType<typeof parseDatabaseName>;
  readonly principal: SqlTarget;
  readonly mirror: SqlTarget;
}

/** Each mirror instance answers, once (mgc and mgccomp may share one). */
const mirrorsReachable = (mirrored: readonly MirroredStore[]) =>
  [...new Map(mirrored.map((m) => [m.mirror.instanceId, m.mirror])).values()].map((target) => ({ kind: 'instance-reachable' as const, target }));

/** One `Install-CsMirrorDatabase` per store, against its principal (§4.6). */
const installMirrors = (mirrored: readonly MirroredStore[], fileShare: UncPath) =>
  mirrored.map((m) =>
    powershell(
      ps.installMirrorDatabase({
        databaseType: m.type,
        sqlServerFqdn: m.principal.server,
        ...(m.principal.instanceName ? { sqlInstanceName: m.principal.instanceName } : {}),
        fileShare,
        dropExistingDatabasesOnMirror: true,
      }),
    ),
  );

const mirroringEstablished = (mirrored: readonly MirroredStore[]) =>
  mirrored.map((m) => ({ kind: 'mirroring-established' as const, target: m.principal, database: m.database, partner: m.mirror }));

export function persistentChatFailover(estate: Estate, fqdn: string, options: ProcedureOptions = {}): ProcedurePlan {
  const ctx = context(estate, fqdn, options, 'Persistent Chat failover');
  const primary = sqlTarget(estate, ctx.pool, 'mgc', 'primary');
  const backup = sqlTarget(estate, ctx.pool, 'mgc', 'backup');
  const backupMirror = optionalSqlTarget(estate, ctx.pool, 'mgc', 'backupMirror');
  const primaryMirror = optionalSqlTarget(estate, ctx.pool, 'mgc', 'mirror');
  const ls = logShipping(ctx);
  const identity = persistentChatIdentity(ctx.fqdn);
  const restoring = databaseState(backup, MGC, 'RESTORING');
  const online = databaseState(backup, MGC, 'ONLINE');

  const steps: ProcedureStep[] = [
    {
      id: 'back-up-tail-log',
      title: 'Back up the tail of the log if the primary still answers',
      why: 'When the primary instance still answers, BACKUP LOG … WITH NORECOVERY saves what was written after its last log backup and leaves its mgc RESTORING, so nothing can write to it any more; the copy and apply steps carry the tail to the backup. SQL Server\'s own log-shipping failover starts so. When the primary does not answer there is nothing to take and the step says so.',
      target: primary,
      // Checked before anything is changed, the tail-log backup included:
      preconditions: [
        // The documented scenario is "primary database and mirror database are down" (§1.1): a
        // mirror that still answers may be the principal now, with newer data than the copy (domain audit D3).
        ...(primaryMirror
          ? [
              {
                kind: 'instance-unreachable' as const,
                target: primaryMirror,
                overridable: true as const,
                warning: `The primary's mirror ${instanceLabel(primaryMirror)} still answers: it may be the principal now (automatic failover with a witness, or Invoke-CsDatabaseFailover), with newer data than the log-shipping copy this failover recovers. Keep the pool on it (Invoke-CsDatabaseFailover -NewPrincipal Mirror) instead of discarding it.`,
              },
            ]
          : []),
        // Set-CsPersistentChatState and Set-CsPersistentChatActiveServer write to the CMS (domain audit D5).
        cmsAnswers(),
      ],
      actions: [lync('back-up-tail-log', [['database', 'mgc']], primary)],
      verification: [],
      destructive: true,
      onFailure: 'Exclusive access: stop the Persistent Chat servers or end the sessions in mgc on the primary, then run again. A mirrored primary refuses BACKUP LOG WITH NORECOVERY: remove mirroring there first (ALTER DATABASE [mgc] SET PARTNER OFF).',
      reference: '§1.5(a)',
    },
    {
      id: 'capture-log-shipping-state',
      title: 'Capture the log-shipping state',
      why: 'The next step deletes the log-shipping metadata and jobs; the folders and the last copied and restored files are needed to finish the copy and the restore by hand.',
      target: backup,
      preconditions: [
        {
          kind: 'instance-unreachable',
          target: primary,
          database: MGC,
          overridable: true,
          warning: `The primary SQL instance ${instanceLabel(primary)} still answers with mgc ONLINE. Failing over while it is up splits the pool between two databases (split brain): take its tail-log backup first (step back-up-tail-log), which leaves it RESTORING. If only the primary is degraded, fail over to its mirror instead (Invoke-CsDatabaseFailover).`,
        },
        restoring,
      ],
      actions: [lync('snapshot-log-shipping', [['database', 'mgc']], backup)],
      verification: [],
      destructive: false,
      onFailure: 'Check that the backup instance is the log-shipping secondary for mgc (msdb.dbo.log_shipping_secondary_databases).',
      reference: '§6.1, §1.4 constraint 6',
    },
    {
      id: 'remove-log-shipping',
      title: 'Remove log shipping from the backup database',
      why: 'Stops the log-shipping jobs from touching mgc on the backup server; must run in master on the backup (secondary) server, never on the primary.',
      target: backup,
      preconditions: [stepDone('capture-log-shipping-state'), restoring],
      actions: [sql(backup, tsql.deleteLogShippingSecondary(MGC))],
      verification: [{ kind: 'log-shipping-removed', target: backup, database: MGC }, restoring],
      destructive: true,
      onFailure: 'The caller must be sysadmin on the backup instance. The procedure does not drop or recover mgc: it stays RESTORING.',
      reference: '§1.3 step 1, §6.2',
    },
    {
      id: 'copy-log-backups',
      title: 'Copy the remaining log backups',
      why: 'Every log backup newer than the last copied file must reach the copy folder before it can be applied.',
      target: { kind: 'files', from: ls.share, to: ls.copyFolder },
      preconditions: [
        {
          kind: 'share-reachable',
          path: ls.share,
          overridable: true,
          warning: 'The log-shipping share does not answer (it may be in the failed data center). Continuing loses every change after the last copied file.',
        },
      ],
      actions: [lync('copy-log-backups', [['database', 'mgc']])],
      verification: [{ kind: 'log-backups-copied', target: backup, database: MGC, from: ls.share, to: ls.copyFolder }],
      destructive: false,
      onFailure: 'Check the share permissions and free space in the copy folder; a partially written newest file is retried, never overwritten when it differs.',
      reference: '§1.3 step 2',
    },
    {
      id: 'apply-log-backups',
      title: 'Apply the unapplied log backups',
      why: 'Rolls the backup mgc forward with every log backup in LSN order, WITH NORECOVERY so later logs can still be applied.',
      target: backup,
      preconditions: [stepDone('copy-log-backups'), restoring],
      actions: [lync('apply-log-backups', [['database', 'mgc']], backup)],
      verification: [restoring],
      destructive: false,
      onFailure: 'A gap in the LSN chain stops here with the missing range: find the missing file, or accept the data loss and recover. Never recover before the last available log is applied.',
      reference: '§1.3 step 3, §6.3, §6.4',
    },
    {
      id: 'bring-backup-database-online',
      title: 'End the sessions and bring the backup database online',
      why: 'Recovery needs exclusive access; RESTORE DATABASE … WITH RECOVERY ends the restore sequence and makes mgc usable. No log can be applied afterwards.',
      target: backup,
      preconditions: [stepDone('apply-log-backups'), restoring],
      actions: [lync('kill-sessions', [['database', 'mgc']], backup), lync('recover-database', [['database', 'mgc']], backup)],
      verification: [online],
      destructive: true,
      onFailure: 'If exclusive access fails, list the sessions again (a query window may be using mgc) and retry.',
      reference: '§1.3 step 4',
    },
    {
      id: 'fail-over-pool',
      title: 'Point the pool at its backup databases',
      why: 'Set-CsPersistentChatState -PoolState FailedOver makes every server of the pool use the backup databases defined in topology.',
      target: { kind: 'shell' },
      preconditions: [online],
      actions: [powershell(ps.setPersistentChatState(identity, 'FailedOver'))],
      verification: [{ kind: 'pool-state', pool: ctx.fqdn, identity, expect: 'FailedOver' }],
      destructive: true,
      onFailure: 'The cmdlet writes to the Central Management Store: check that it is reachable, and that the identity names the Persistent Chat pool.',
      reference: '§1.3 step 5, §4.2',
    },
  ];

  // §1.3 step 6, §4.6: the backup store's mirror (from topology) for mgc — and for mgccomp when
  // the estate defines a backup mirror for it, so the failback's SET PARTNER OFF on both holds.
  const backupComp = optionalSqlTarget(estate, ctx.pool, 'mgccomp', 'backup');
  const backupCompMirror = backupComp ? optionalSqlTarget(estate, ctx.pool, 'mgccomp', 'backupMirror') : undefined;
  const mirrored: MirroredStore[] = [
    ...(backupMirror ? [{ type: 'PersistentChat' as const, database: MGC, principal: backup, mirror: backupMirror }] : []),
    ...(backupComp && backupCompMirror ? [{ type: 'PersistentChatCompliance' as const, database: MGCCOMP, principal: backupComp, mirror: backupCompMirror }] : []),
  ];
  if (mirrored.length > 0) {
    const fileShare = options.mirrorFileShare ? estateValue(parseUncPath, options.mirrorFileShare, 'option mirrorFileShare') : ls.share;
    const mirrors = [...new Set(mirrored.map((m) => m.mirror.instanceId))].join(' and ');
    if (!options.mirrorFileShare) ctx.notes.push(`Install-CsMirrorDatabase uses the log-shipping share ${ls.share}; if it is in the failed data center, choose a share both ${backup.instanceId} and ${mirrors} can write.`);
    const names = mirrored.map((m) => m.database).join(' and ');
    steps.push({
      id: 'mirror-backup-database',
      title: 'Mirror the new primary database',
      why:
        `Gives the backup ${names}, now the pool's databases, a high-availability mirror on ${mirrors} — the backup store's mirror from topology, not the original primary's mirror. ` +
        'The cmdlet asks Y/A/N before it mirrors (Microsoft, "Deploying SQL mirroring…": "Type A and press ENTER") and the product\'s shell cannot answer, so it passes -Confirm:$false. ' +
        'Not verified (reference §4.6, domain audit R1): that -Confirm:$false suppresses this prompt; if the step stops at the prompt, run the command in an interactive Lync Server Management Shell, answer A, and mark the step done.',
      target: { kind: 'shell' },
      preconditions: [
        online,
        ...mirrored.filter((m) => m.database === MGCCOMP).map((m) => databaseState(m.principal, MGCCOMP, 'ONLINE')),
        ...mirrorsReachable(mirrored),
      ],
      actions: installMirrors(mirrored, fileShare),
      verification: mirroringEstablished(mirrored),
      destructive: true,
      onFailure: `Check ports 5022/7022, the share permissions of both SQL service accounts, the same SQL version on both, and that ${names} use${mirrored.length > 1 ? '' : 's'} the FULL recovery model.`,
      reference: '§1.3 step 6, §4.6',
    });
    if (!backupMirror) ctx.notes.push(`The estate declares no backupMirror for mgc of ${ctx.pool.fqdn}: only mgccomp is mirrored.`);
  } else {
    ctx.notes.push(`The estate declares no backupMirror for mgc of ${ctx.pool.fqdn}: the step that mirrors the new primary database is left out.`);
  }
  steps.push(activateStep(ctx, backup, 'FailedOver', '§1.3 step 7, §4.4'));

  return {
    kind: 'persistent-chat-failover',
    title: `Fail over Persistent Chat pool ${ctx.fqdn} to its backup databases`,
    summary: `Recovers mgc on ${instanceLabel(backup)} from the log-shipping copy and switches the pool to it, as in "Failing over Persistent Chat Server". The primary ${instanceLabel(primary)} and its mirror are assumed down; if the primary still answers, the tail of its log is backed up first, as SQL Server's own log-shipping failover does.`,
    pool: ctx.fqdn,
    notes: ctx.notes,
    steps,
  };
}

/**
 * §2.4: the compliance database is not carried back — only mgc is backed up and restored, and
 * after the servers are deactivated nothing translates what is left in the backup mgccomp. No
 * Microsoft procedure drains it; the question is put to the admin before anything changes.
 */
const COMPLIANCE_QUESTION =
  'Compliance data: records in mgccomp on the backup instance that the compliance adapter has not translated yet are not carried back (only mgc is restored, and no server processes them once the servers are deactivated). Either the adapter has caught up (its RunInterval passed since the last posts; Get-CsPersistentChatComplianceConfiguration shows RunInterval and AdapterOutputDirectory), or you took BACKUP DATABASE mgccomp on the backup instance and keep it with the adapter output. No Microsoft procedure drains it.';

/**
 * §2.2 step 5 (5b, 5c), §2.3: after log shipping from the primary (5a), the rest of the design the
 * failback's step 5 links to — the primary's mirror (Install-CsMirrorDatabase against the primary
 * store, which the product runs), then log shipping from that mirror, which the documentation does
 * with the SSMS wizard and two database failovers (an operator step, checked in msdb afterwards).
 * In this order: the second needs the mirror. Without it the first mirror failover in the primary
 * data center stops log shipping without a word, and the next disaster loses everything since.
 */
function rebuildPrimaryMirror(ctx: PcContext, primary: SqlTarget, backup: SqlTarget, share: UncPath): ProcedureStep[] {
  const mirror = optionalSqlTarget(ctx.estate, ctx.pool, 'mgc', 'mirror');
  if (!mirror) {
    ctx.notes.push(`The estate declares no mirror for mgc of ${ctx.pool.fqdn}: re-mirroring the primary and log shipping from its mirror are left out.`);
    return [];
  }
  const primaryComp = optionalSqlTarget(ctx.estate, ctx.pool, 'mgccomp', 'primary');
  const compMirror = primaryComp ? optionalSqlTarget(ctx.estate, ctx.pool, 'mgccomp', 'mirror') : undefined;
  const mirrored: MirroredStore[] = [
    { type: 'PersistentChat' as const, database: MGC, principal: primary, mirror },
    ...(primaryComp && compMirror ? [{ type: 'PersistentChatCompliance' as const, database: MGCCOMP, principal: primaryComp, mirror: compMirror }] : []),
  ];
  const fileShare = ctx.options.mirrorFileShare ? estateValue(parseUncPath, ctx.options.mirrorFileShare, 'option mirrorFileShare') : share;
  const mirrorEstablished = { kind: 'mirroring-established' as const, target: primary, database: MGC, partner: mirror };
  const names = mirrored.map((m) => m.database).join(' and ');
  return [
    {
      id: 're-mirror-primary-database',
      title: 'Mirror the primary database again',
      why: `Before the disaster the primary ${names} had a mirror on ${mirror.instanceId}; Install-CsMirrorDatabase against the primary store re-creates it, as the "SQL Server mirroring" page the failback's step 5 links to does.`,
      target: { kind: 'shell' },
      preconditions: [
        stepDone('re-establish-log-shipping'),
        databaseState(primary, MGC, 'ONLINE'),
        ...mirrorsReachable(mirrored),
      ],
      actions: installMirrors(mirrored, fileShare),
      verification: mirroringEstablished(mirrored),
      destructive: true,
      onFailure: `Check ports 5022/7022, that both SQL service accounts can write ${fileShare}, and the same SQL Server version on ${primary.instanceId} and ${mirror.instanceId}.`,
      reference: '§2.2 step 5 (5b), §2.3, §4.6',
    },
    {
      id: 're-establish-mirror-log-shipping',
      title: 'Re-establish log shipping from the primary mirror',
      why: 'After a mirror failover in the primary data center the mirror is the principal; without its own log-shipping backup job the disaster-recovery copy silently stops receiving log backups.',
      target: { kind: 'operator' },
      preconditions: [stepDone('re-mirror-primary-database'), mirrorEstablished],
      actions: [
        confirm(
          `As in 'Setting up SQL Server Log Shipping between the primary mirror and the Log Shipping secondary database': Invoke-CsDatabaseFailover to ${mirror.instanceId}; in SSMS there enable mgc as a log-shipping primary with the same share and backup settings as on ${primary.instanceId}; add ${backup.instanceId} as secondary with 'No, the secondary database is initialized'; script the configuration and run only the part up to 'End: Script to be run at Primary'; cancel the dialog; Invoke-CsDatabaseFailover back to ${primary.instanceId}. Confirm when ${primary.instanceId} is the principal again.`,
        ),
      ],
      verification: [{ kind: 'log-shipping-primary', target: mirror, database: MGC }, mirrorEstablished],
      destructive: false,
      onFailure: `Never let the wizard initialise the secondary from the mirror ("Yes, generate a full backup…"): it would overwrite the log-shipped copy. Invoke-CsDatabaseFailover needs both the primary and the mirror database configured.`,
      reference: '§2.2 step 5 (5c), §1.5(b)',
    },
  ];
}

export function persistentChatFailback(estate: Estate, fqdn: string, options: ProcedureOptions = {}): ProcedurePlan {
  const ctx = context(estate, fqdn, options, 'Persistent Chat failback');
  const primary = sqlTarget(estate, ctx.pool, 'mgc', 'primary');
  const backup = sqlTarget(estate, ctx.pool, 'mgc', 'backup');
  const backupComp = optionalSqlTarget(estate, ctx.pool, 'mgccomp', 'backup');
  // The failover mirrors mgccomp only when the estate defines a backup mirror for it: only then is
  // there a partnership to remove (otherwise SET PARTNER OFF fails with Msg 1416).
  const backupCompMirrored = backupComp && optionalSqlTarget(estate, ctx.pool, 'mgccomp', 'backupMirror') ? backupComp : undefined;
  const ls = logShipping(ctx);
  const backupFile = joinPath(ls.share, estateValue(parseFileName, options.backupFileName ?? 'mgc_failback.bak', 'option backupFileName'));
  const identity = persistentChatIdentity(ctx.fqdn);

  const unmirror = [sql(backup, tsql.setPartnerOff(MGC))];
  const unmirrored = [{ kind: 'mirroring-removed' as const, target: backup, database: MGC }];
  if (backupCompMirrored) {
    unmirror.push(sql(backupCompMirrored, tsql.setPartnerOff(MGCCOMP)));
    unmirrored.push({ kind: 'mirroring-removed', target: backupCompMirrored, database: MGCCOMP });
  }

  const steps: ProcedureStep[] = [
    {
      id: 'deactivate-servers',
      title: 'Deactivate every Persistent Chat server',
      why: 'With an empty active list no server writes to mgc or mgccomp while the backup database is copied back; otherwise messages posted meanwhile are lost.',
      target: { kind: 'shell' },
      preconditions: [
        cmsAnswers(),
        { kind: 'instance-reachable', target: primary },
        operatorConfirms('The primary data center is rebuilt, mgc and mgccomp were reinstalled with Topology Builder, and SQL Server Agent on the backup server runs under an account that can read the share and write the copy folder.'),
        ...(ctx.pool.stores?.mgccomp ? [operatorConfirms(COMPLIANCE_QUESTION)] : []),
      ],
      actions: [powershell(ps.clearPersistentChatActiveServers(collection(ctx)))],
      verification: [operatorConfirms('Persistent Chat clients can no longer connect.')],
      destructive: true,
      onFailure: 'Check the collection identity (global on Lync 2013, PChatServerCollection on some Skype for Business examples).',
      reference: '§2.2 step 1',
    },
    {
      id: 'remove-mirroring',
      title: 'Remove mirroring from the backup databases',
      why: 'The backup mgc (and mgccomp) was mirrored during the failover; mirroring must go before the database is backed up and the primary takes over again.',
      target: backup,
      preconditions: [stepDone('deactivate-servers'), databaseState(backup, MGC, 'ONLINE')],
      actions: unmirror,
      verification: unmirrored,
      destructive: true,
      onFailure: 'Run it on the backup instance (the current principal), not on its mirror. "not configured for database mirroring" means it is already removed.',
      reference: '§2.2 step 2',
    },
    {
      id: 'back-up-backup-database',
      title: 'Take a full backup of the backup database',
      why: 'A full backup on the log-shipping share, which the primary server can read, carries everything posted during the failover back to the primary.',
      target: backup,
      preconditions: [stepDone('remove-mirroring'), { kind: 'share-reachable', path: ls.share, overridable: false, warning: 'The primary server must be able to read the backup from this share.' }],
      actions: [sql(backup, tsql.backupDatabase(MGC, backupFile))],
      verification: [{ kind: 'backup-file-exists', path: backupFile }],
      destructive: false,
      onFailure: 'Check free space and that the SQL Server service account of the backup instance can write to the share.',
      reference: '§2.2 step 3',
    },
    {
      id: 'restore-primary-database',
      title: 'Restore the backup over the primary database',
      why: 'Overwrites the empty mgc Topology Builder created on the rebuilt primary, and leaves it ready to use.',
      target: primary,
      preconditions: [
        stepDone('back-up-backup-database'),
        { kind: 'instance-reachable', target: primary },
        { kind: 'backup-file-exists', path: backupFile },
        // R7: RESTORE refuses a mirrored database (Msg 3104); if Topology Builder re-created the
        // mirror, it is removed first and re-created after the restore (step re-mirror-primary-database).
        { kind: 'mirroring-removed', target: primary, database: MGC },
        { kind: 'restore-files-fit', target: primary, database: MGC, path: backupFile, moves: [] },
      ],
      actions: [sql(primary, tsql.restoreDatabaseReplace(MGC, backupFile))],
      verification: [databaseState(primary, MGC, 'ONLINE')],
      destructive: true,
      onFailure: `If mgc on the primary is still mirrored, run ALTER DATABASE [mgc] SET PARTNER OFF on ${primary.instanceId} first. If the file paths differ, the check names the RESTORE … WITH MOVE statement to use instead. Never run it on the backup instance.`,
      reference: '§2.2 step 4, audit R7',
    },
    {
      id: 're-establish-log-shipping',
      title: 'Re-establish log shipping from the primary database',
      why: 'Restores the disaster-recovery copy on the backup server; the wizard re-initialises the backup mgc with a fresh full backup.',
      target: { kind: 'operator' },
      preconditions: [databaseState(primary, MGC, 'ONLINE')],
      actions: [
        confirm(
          `In SSMS on ${primary.instanceId}, set up log shipping for mgc to ${backup.instanceId} with the estate's share and copy folder: initialise with a full backup, No recovery mode, restore delay 0 minutes. Confirm when the first restore succeeded.`,
        ),
      ],
      verification: [
        { kind: 'log-shipping-primary', target: primary, database: MGC },
        { kind: 'log-shipping-configured', target: backup, database: MGC },
        databaseState(backup, MGC, 'RESTORING'),
      ],
      destructive: false,
      onFailure: 'Check that SQL Server Agent runs on both servers and the share permissions; the restore job must use No recovery mode.',
      reference: '§2.2 step 5 (5a)',
    },
    ...rebuildPrimaryMirror(ctx, primary, backup, ls.share),
    {
      id: 'return-to-normal',
      title: 'Point the pool at its primary databases',
      why: 'Set-CsPersistentChatState -PoolState Normal switches the pool back to the primary databases. It runs before the servers are activated, so no server reconnects to the backup database.',
      target: { kind: 'shell' },
      preconditions: [databaseState(primary, MGC, 'ONLINE')],
      actions: [powershell(ps.setPersistentChatState(identity, 'Normal'))],
      verification: [{ kind: 'pool-state', pool: ctx.fqdn, identity, expect: 'Normal' }],
      destructive: true,
      onFailure: 'The cmdlet writes to the Central Management Store: check that it is reachable, and that the identity names the Persistent Chat pool.',
      reference: '§2.2 final command, §2.3',
    },
    // §2.3: the documentation prints `-PoolState Normal` after step 6 without a number; a runbook may set it after re-activating the servers.
    { ...activateStep(ctx, primary, 'Normal', '§2.2 step 6'), mayPrecede: ['return-to-normal'] },
  ];

  return {
    kind: 'persistent-chat-failback',
    title: `Fail back Persistent Chat pool ${ctx.fqdn} to its primary databases`,
    summary: `Copies mgc from ${instanceLabel(backup)} back to the rebuilt primary ${instanceLabel(primary)}, rebuilds the disaster-recovery design (log shipping from the primary, the primary's mirror, log shipping from that mirror) and returns the pool to Normal, as in "Failing back Persistent Chat Server" and the pages its step 5 links to.`,
    pool: ctx.fqdn,
    notes: ctx.notes,
    steps,
  };
}
