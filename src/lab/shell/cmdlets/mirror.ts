/**
 * SQL mirroring cmdlets: Install-/Uninstall-CsMirrorDatabase (domain reference §4.6, §4.7) and
 * Get-CsDatabaseMirrorState (§4.8). They act on the SQL side of the lab: the store whose
 * principal is `-SqlServerFqdn`/`-SqlInstanceName` gets (or loses) the mirror the estate
 * defines for it (`mirror` for the primary store, `backupMirror` for the backup store).
 */
import type { Command, InvocationContext } from '../commands';
import { enumName, flag, str } from '../commands';
import { cmdletFailure } from '../errors';
import type { PcDatabase, Pool, SqlInstance, StoreRole } from '../../../core/estate/model';
import { DATABASE_TYPE, NS, lyncObject } from './types';

const DB_OF_TYPE: Record<string, PcDatabase> = { PersistentChat: 'mgc', PersistentChatCompliance: 'mgccomp' };
const MIRROR_OF: Partial<Record<StoreRole, StoreRole>> = { primary: 'mirror', backup: 'backupMirror' };

interface MirrorTarget {
  readonly pool: Pool;
  readonly database: PcDatabase;
  readonly principal: SqlInstance;
  readonly mirror: SqlInstance;
}

function findInstance(ctx: InvocationContext, server: string, instanceName: string | undefined): SqlInstance {
  const found = ctx.env.lync.estate.sqlInstances.find((i) => i.server.toLowerCase() === server.toLowerCase() && (i.instance ?? '').toLowerCase() === (instanceName ?? '').toLowerCase());
  if (!found) {
    const name = instanceName ? `${server}\\${instanceName}` : server;
    throw cmdletFailure(`Cannot find SQL Server store "${name}" in the topology. Verify the SqlServerFqdn and SqlInstanceName parameters.`, 'ArgumentException', 'ProcessingFailed', 'InvalidArgument');
  }
  return found;
}

/** The databases of the store whose principal is `principal`, with the mirror the topology defines. */
function targets(ctx: InvocationContext, principal: SqlInstance, databases: readonly PcDatabase[]): MirrorTarget[] {
  const estate = ctx.env.lync.estate;
  const out: MirrorTarget[] = [];
  for (const pool of estate.pools) {
    for (const database of databases) {
      const store = pool.stores?.[database];
      if (!store) continue;
      for (const [role, mirrorRole] of Object.entries(MIRROR_OF) as [StoreRole, StoreRole][]) {
        if (store[role] !== principal.id) continue;
        const mirror = estate.sqlInstances.find((i) => i.id === store[mirrorRole]);
        if (mirror) out.push({ pool, database, principal, mirror });
      }
    }
  }
  return out;
}

function requireTargets(ctx: InvocationContext, databases: readonly PcDatabase[]): MirrorTarget[] {
  const principal = findInstance(ctx, str(ctx.binding, 'SqlServerFqdn') ?? '', str(ctx.binding, 'SqlInstanceName') ?? str(ctx.binding, 'ForInstance'));
  if (!ctx.env.sql.instanceReachable(principal.id)) {
    throw cmdletFailure(`Cannot connect to SQL Server "${principal.server}${principal.instance ? `\\${principal.instance}` : ''}". Verify that the server is running and reachable.`, 'SqlException', 'ProcessingFailed', 'ConnectionError');
  }
  const found = targets(ctx, principal, databases);
  if (!found.length) {
    throw cmdletFailure(`No mirror is defined in the topology for the databases of SQL Server store "${principal.server}${principal.instance ? `\\${principal.instance}` : ''}". Define the mirror in Topology Builder and publish the topology.`);
  }
  return found;
}

function requestedDatabases(ctx: InvocationContext): PcDatabase[] {
  if (ctx.binding.set === 'ConfiguredDatabases') return ['mgc', 'mgccomp'];
  const type = enumName(ctx.binding, 'DatabaseType') ?? '';
  const db = DB_OF_TYPE[type];
  if (!db) {
    throw cmdletFailure(`No database of type "${type}" is installed on the specified SQL Server store. The lab models Persistent Chat databases only.`, 'ArgumentException', 'ProcessingFailed', 'InvalidArgument');
  }
  return [db];
}

const COMMON_INSTALL = [
  { name: 'FileShare', type: { kind: 'string' as const }, all: { mandatory: true } },
  { name: 'DatabasePathMap', type: { kind: 'hashtable' as const } },
  { name: 'DropExistingDatabasesOnMirror', type: { kind: 'switch' as const } },
  { name: 'ExcludeDatabaseList', type: { kind: 'strings' as const } },
  { name: 'Report', type: { kind: 'string' as const } },
];

export const installMirrorDatabase: Command = {
  name: 'Install-CsMirrorDatabase',
  className: `${NS.deployment}.InstallMirrorDatabaseCmdlet`,
  shouldProcess: true,
  stateChanging: true,
  params: [
    { name: 'ConfiguredDatabases', type: { kind: 'switch' }, sets: { ConfiguredDatabases: { mandatory: true } } },
    { name: 'DatabaseType', type: { kind: 'enum', type: DATABASE_TYPE }, sets: { DatabaseType: { mandatory: true } } },
    { name: 'SqlServerFqdn', type: { kind: 'fqdn' }, sets: { ConfiguredDatabases: { mandatory: true }, DatabaseType: { mandatory: true } } },
    { name: 'SqlInstanceName', type: { kind: 'string' }, sets: { DatabaseType: {} } },
    { name: 'ForDefaultInstance', type: { kind: 'switch' }, sets: { ConfiguredDatabases: {} } },
    { name: 'ForInstance', type: { kind: 'string' }, sets: { ConfiguredDatabases: {} } },
    ...COMMON_INSTALL.map((p) => ({ ...p, sets: { ConfiguredDatabases: p.all ?? {}, DatabaseType: p.all ?? {} } })),
  ],
  whatIf: (ctx) => ({ operation: 'Install mirror database', target: str(ctx.binding, 'SqlServerFqdn') ?? '' }),
  run(ctx) {
    const wanted = requestedDatabases(ctx);
    const excluded = new Set((ctx.binding.values.get('ExcludeDatabaseList') as string[] | undefined)?.map((d) => d.toLowerCase()) ?? []);
    for (const t of requireTargets(ctx, wanted)) {
      if (excluded.has(t.database)) continue;
      if (!ctx.env.sql.instanceReachable(t.mirror.id)) {
        throw cmdletFailure(`Cannot connect to mirror SQL Server "${t.mirror.server}${t.mirror.instance ? `\\${t.mirror.instance}` : ''}". Verify that the server is running and reachable.`, 'SqlException', 'ProcessingFailed', 'ConnectionError');
      }
      const state = ctx.env.sql.databaseState(t.principal.id, t.database);
      if (state !== 'ONLINE') {
        throw cmdletFailure(`Database "${t.database}" on "${t.principal.server}" is ${state ?? 'missing'}. Mirroring can be set up only for an online database.`);
      }
      const existing = ctx.env.sql.databaseState(t.mirror.id, t.database);
      if (existing !== undefined && !flag(ctx.binding, 'DropExistingDatabasesOnMirror')) {
        throw cmdletFailure(`Database "${t.database}" already exists on mirror "${t.mirror.server}". Use DropExistingDatabasesOnMirror to replace it.`);
      }
      ctx.verbose(`Mirroring database "${t.database}" from "${t.principal.server}" to "${t.mirror.server}" through "${str(ctx.binding, 'FileShare')}".`);
      ctx.env.sql.setMirroring(t.principal.id, t.database, t.mirror.id);
    }
    return [];
  },
};

export const uninstallMirrorDatabase: Command = {
  name: 'Uninstall-CsMirrorDatabase',
  className: `${NS.deployment}.UninstallMirrorDatabaseCmdlet`,
  shouldProcess: true,
  stateChanging: true,
  params: [
    { name: 'DatabaseType', type: { kind: 'enum', type: DATABASE_TYPE }, all: { mandatory: true } },
    { name: 'SqlServerFqdn', type: { kind: 'fqdn' }, all: { mandatory: true } },
    { name: 'SqlInstanceName', type: { kind: 'string' } },
    { name: 'DropExistingDatabasesOnMirror', type: { kind: 'switch' } },
    { name: 'Report', type: { kind: 'string' } },
  ],
  whatIf: (ctx) => ({ operation: 'Uninstall mirror database', target: str(ctx.binding, 'SqlServerFqdn') ?? '' }),
  run(ctx) {
    for (const t of requireTargets(ctx, requestedDatabases(ctx))) {
      ctx.verbose(`Removing mirroring of database "${t.database}" on "${t.principal.server}".`);
      ctx.env.sql.setMirroring(t.principal.id, t.database, null);
    }
    return [];
  },
};

const MIRROR_STATE_TYPE = 'Microsoft.Rtc.Management.Deployment.DatabaseMirrorState';
const NOT_MIRRORED = 'DatabaseInaccessibleOrMirroringNotEnabled';

export const getDatabaseMirrorState: Command = {
  name: 'Get-CsDatabaseMirrorState',
  className: `${NS.deployment}.GetDatabaseMirrorStateCmdlet`,
  params: [
    { name: 'PoolFqdn', type: { kind: 'fqdn' }, all: { mandatory: true } },
    { name: 'DatabaseType', type: { kind: 'enum', type: DATABASE_TYPE } },
    { name: 'LocalStore', type: { kind: 'switch' } },
    { name: 'Report', type: { kind: 'string' } },
  ],
  run(ctx) {
    const fqdn = str(ctx.binding, 'PoolFqdn') ?? '';
    const pool = ctx.env.lync.estatePool(fqdn);
    if (!pool) throw cmdletFailure(`Cannot find pool "${fqdn}" in the topology.`, 'ArgumentException', 'ProcessingFailed', 'InvalidArgument');
    const type = enumName(ctx.binding, 'DatabaseType');
    const databases = (Object.entries(DB_OF_TYPE) as [string, PcDatabase][]).filter(([t]) => type === undefined || t === type).map(([, db]) => db);
    // After a Persistent Chat failover the pool runs on its backup store and that store's mirror.
    const failedOver = ctx.env.lync.pcPool(fqdn)?.poolState === 'FailedOver';
    const sql = ctx.env.sql;
    const roleText = (instanceId: string | undefined, database: string) => {
      if (!instanceId || !sql.instanceReachable(instanceId)) return { state: NOT_MIRRORED, status: '' };
      const m = sql.mirroringStatus(instanceId, database);
      if (!m.role) return { state: NOT_MIRRORED, status: '' };
      return { state: m.role === 'PRINCIPAL' ? 'Principal' : 'Mirror', status: (m.state ?? '').toLowerCase() };
    };
    return databases.flatMap((database) => {
      const store = pool.stores?.[database];
      if (!store) return [];
      const onPrimary = roleText(failedOver ? store.backup : store.primary, database);
      const onMirror = roleText(failedOver ? store.backupMirror : store.mirror, database);
      return [
        lyncObject(MIRROR_STATE_TYPE, [
          ['DatabaseName', database],
          ['StateOnPrimary', onPrimary.state],
          ['StateOnMirror', onMirror.state],
          ['MirroringStatusOnPrimary', onPrimary.status],
          ['MirroringStatusOnMirror', onMirror.status],
        ]),
      ];
    });
  },
};
