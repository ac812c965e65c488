/**
 * SQL mirroring cmdlets: Install-/Uninstall-CsMirrorDatabase (domain reference §4.6, §4.7) and
 * Get-CsDatabaseMirrorState (§4.8). They act on the SQL side of the lab: the store whose
 * principal is `-SqlServerFqdn`/`-SqlInstanceName` gets (or loses) the mirror the estate
 * defines for it (`mirror` for the primary store, `backupMirror` for the backup store).
 */
import type { PcDatabase, Pool, SqlInstance, StoreRole } from '../../../core/estate/model';
import { CmdletFailure, flag, invalidArgument, lyncObject, str, strings, type CmdletContext, type LabCmdlet } from '../commands';

const DB_OF_TYPE: Record<string, PcDatabase> = { PersistentChat: 'mgc', PersistentChatCompliance: 'mgccomp' };
const MIRROR_OF: Partial<Record<StoreRole, StoreRole>> = { primary: 'mirror', backup: 'backupMirror' };

/** A SQL Server that cannot be reached (SqlException in production; the lab's record says ConnectionError). */
const unreachable = (message: string) => new CmdletFailure(message, 'System.InvalidOperationException', 'ConnectionError');

interface MirrorTarget {
  readonly pool: Pool;
  readonly database: PcDatabase;
  readonly principal: SqlInstance;
  readonly mirror: SqlInstance;
}

function findInstance(ctx: CmdletContext, server: string, instanceName: string | undefined): SqlInstance {
  const found = ctx.env.lync.estate.sqlInstances.find((i) => i.server.toLowerCase() === server.toLowerCase() && (i.instance ?? '').toLowerCase() === (instanceName ?? '').toLowerCase());
  if (!found) {
    const name = instanceName ? `${server}\\${instanceName}` : server;
    throw invalidArgument(`Cannot find SQL Server store "${name}" in the topology. Verify the SqlServerFqdn and SqlInstanceName parameters.`);
  }
  return found;
}

/** The databases of the store whose principal is `principal`, with the mirror the topology defines. */
function targets(ctx: CmdletContext, principal: SqlInstance, databases: readonly PcDatabase[]): MirrorTarget[] {
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

function requireTargets(ctx: CmdletContext, databases: readonly PcDatabase[]): MirrorTarget[] {
  const principal = findInstance(ctx, str(ctx.params, 'SqlServerFqdn') ?? '', str(ctx.params, 'SqlInstanceName') ?? str(ctx.params, 'ForInstance'));
  if (!ctx.env.sql.instanceReachable(principal.id)) {
    throw unreachable(`Cannot connect to SQL Server "${principal.server}${principal.instance ? `\\${principal.instance}` : ''}". Verify that the server is running and reachable.`);
  }
  const found = targets(ctx, principal, databases);
  if (!found.length) {
    throw new CmdletFailure(`No mirror is defined in the topology for the databases of SQL Server store "${principal.server}${principal.instance ? `\\${principal.instance}` : ''}". Define the mirror in Topology Builder and publish the topology.`);
  }
  return found;
}

function requestedDatabases(ctx: CmdletContext): PcDatabase[] {
  if (ctx.set === 'ByConfigured') return ['mgc', 'mgccomp'];
  const type = str(ctx.params, 'DatabaseType') ?? '';
  const db = DB_OF_TYPE[type];
  if (!db) {
    throw invalidArgument(`No database of type "${type}" is installed on the specified SQL Server store. The lab models Persistent Chat databases only.`);
  }
  return [db];
}

export const installMirrorDatabase: LabCmdlet = {
  name: 'Install-CsMirrorDatabase',
  stateChanging: true,
  run(ctx) {
    const wanted = requestedDatabases(ctx);
    const excluded = new Set(strings(ctx.params.ExcludeDatabaseList).map((d) => d.toLowerCase()));
    for (const t of requireTargets(ctx, wanted)) {
      if (excluded.has(t.database)) continue;
      if (!ctx.env.sql.instanceReachable(t.mirror.id)) {
        throw unreachable(`Cannot connect to mirror SQL Server "${t.mirror.server}${t.mirror.instance ? `\\${t.mirror.instance}` : ''}". Verify that the server is running and reachable.`);
      }
      const state = ctx.env.sql.databaseState(t.principal.id, t.database);
      if (state !== 'ONLINE') {
        throw new CmdletFailure(`Database "${t.database}" on "${t.principal.server}" is ${state ?? 'missing'}. Mirroring can be set up only for an online database.`);
      }
      const existing = ctx.env.sql.databaseState(t.mirror.id, t.database);
      if (existing !== undefined && !flag(ctx.params, 'DropExistingDatabasesOnMirror')) {
        throw new CmdletFailure(`Database "${t.database}" already exists on mirror "${t.mirror.server}". Use DropExistingDatabasesOnMirror to replace it.`);
      }
      ctx.verbose(`Mirroring database "${t.database}" from "${t.principal.server}" to "${t.mirror.server}" through "${str(ctx.params, 'FileShare')}".`);
      ctx.env.sql.setMirroring(t.principal.id, t.database, t.mirror.id);
    }
    return [];
  },
};

export const uninstallMirrorDatabase: LabCmdlet = {
  name: 'Uninstall-CsMirrorDatabase',
  stateChanging: true,
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

export const getDatabaseMirrorState: LabCmdlet = {
  name: 'Get-CsDatabaseMirrorState',
  run(ctx) {
    const fqdn = str(ctx.params, 'PoolFqdn') ?? '';
    const pool = ctx.env.lync.estatePool(fqdn);
    if (!pool) throw invalidArgument(`Cannot find pool "${fqdn}" in the topology.`);
    const type = str(ctx.params, 'DatabaseType');
    if (pool.kind === 'front-end') return type === undefined || type === 'CentralMgmt' ? cmsMirrorState(ctx, pool) : [];
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
        lyncObject(MIRROR_STATE_TYPE, {
          DatabaseName: database,
          StateOnPrimary: onPrimary.state,
          StateOnMirror: onMirror.state,
          MirroringStatusOnPrimary: onPrimary.status,
          MirroringStatusOnMirror: onMirror.status,
        }),
      ];
    });
  },
};

/**
 * The CMS database (`xds`) of a Front End pool's Back End (estate `backEnd`, `backEndMirror`):
 * principal on the Back End that answers (lab model: the CMS database is not mirrored by the lab's
 * SQL side; which copy is principal follows reachability). Nothing when the estate declares no Back End.
 */
function cmsMirrorState(ctx: CmdletContext, pool: Pool): ReturnType<LabCmdlet['run']> {
  if (pool.backEnd === undefined) return [];
  const up = (id: string | undefined) => id !== undefined && ctx.env.sql.instanceReachable(id);
  const primaryUp = up(pool.backEnd);
  const mirrorUp = up(pool.backEndMirror);
  return [
    lyncObject(MIRROR_STATE_TYPE, {
      DatabaseName: 'xds',
      StateOnPrimary: primaryUp ? 'Principal' : NOT_MIRRORED,
      StateOnMirror: pool.backEndMirror === undefined ? NOT_MIRRORED : mirrorUp ? (primaryUp ? 'Mirror' : 'Principal') : NOT_MIRRORED,
      MirroringStatusOnPrimary: '',
      MirroringStatusOnMirror: '',
    }),
  ];
}
