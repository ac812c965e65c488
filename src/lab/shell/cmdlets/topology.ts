/**
 * Topology cmdlets: Get-CsPool (§4.15), Get-CsService (§4.16), Get-CsTopology (§4.17),
 * Get-CsManagementStoreReplicationStatus (§4.20), Invoke-CsManagementServerFailover (§4.19) and
 * Set-CsEdgeServer (§4.22).
 */
import type { Estate, Pool } from '../../../core/estate/model';
import { sqlHostSite, topologyXml } from '../../lync/topology';
import { CmdletFailure, dateValue, flag, invalidArgument, lyncObject, notFound, psLike, str, type LabCmdlet } from '../commands';
import type { WireValue } from '../protocol';

const CLUSTER_TYPE = 'Microsoft.Rtc.Management.Deploy.Internal.Cluster';
const FE_ROLES = ['Registrar', 'UserServer', 'WebServer', 'ConferencingServer'];

interface Cluster {
  readonly identity: string;
  readonly site: string;
  readonly value: WireValue;
}

function siteOf(estate: Estate, pool: Pool): string {
  return `Site:${pool.site ?? estate.pools[0]?.site ?? 'Default'}`;
}

function services(pool: Pool): string[] {
  if (pool.kind === 'persistent-chat') return [`PersistentChatServer:${pool.fqdn}`];
  return FE_ROLES.map((r) => `${r}:${pool.fqdn}`);
}

function cluster(identity: string, services: string[], computers: string[], site: string): Cluster {
  return { identity, site, value: lyncObject(CLUSTER_TYPE, { Identity: identity, Services: services, Computers: computers, Fqdn: identity, Site: site }, identity) };
}

/** Every pool, then every SQL host, as Get-CsPool lists clusters. */
function clusters(estate: Estate): Cluster[] {
  const out = estate.pools.map((p) => cluster(p.fqdn, services(p), p.servers.map((s) => s.fqdn), siteOf(estate, p)));
  for (const server of [...new Set(estate.sqlInstances.map((i) => i.server))]) {
    const ids = estate.sqlInstances.filter((i) => i.server === server).map((i) => i.id);
    const pcStore = estate.pools.some((p) => Object.values(p.stores ?? {}).some((a) => a && Object.values(a).some((id) => ids.includes(id as string))));
    const role = pcStore ? 'PersistentChatStore' : 'UserDatabase';
    out.push(cluster(server, [`${role}:${server}`], [server], `Site:${sqlHostSite(estate, server) ?? 'Default'}`));
  }
  return out;
}

export const getPool: LabCmdlet = {
  name: 'Get-CsPool',
  run(ctx) {
    const estate = ctx.env.lync.estate;
    const identity = str(ctx.params, 'Identity');
    const filter = str(ctx.params, 'Filter');
    const site = str(ctx.params, 'Site');
    const all = clusters(estate).filter((c) => site === undefined || c.site.toLowerCase() === `site:${site}`.toLowerCase());
    if (identity !== undefined) {
      const hit = all.filter((c) => c.identity.toLowerCase() === identity.toLowerCase());
      if (!hit.length) throw notFound(`Cannot find "Cluster" "${identity}" because it does not exist.`);
      return hit.map((c) => c.value);
    }
    return all.filter((c) => filter === undefined || psLike(c.identity, filter)).map((c) => c.value);
  },
};

export const getService: LabCmdlet = {
  name: 'Get-CsService',
  run(ctx) {
    const estate = ctx.env.lync.estate;
    const poolFqdn = str(ctx.params, 'PoolFqdn')?.toLowerCase();
    const identity = str(ctx.params, 'Identity')?.toLowerCase();
    const filter = str(ctx.params, 'Filter');
    // Each role switch is its own parameter set (cmdlet reference, Get-CsService): the set names the role.
    const role = ctx.set === 'Identity' || ctx.set === 'Filter' ? undefined : ctx.set;
    return estate.pools.flatMap((pool) => {
      if (poolFqdn && pool.fqdn.toLowerCase() !== poolFqdn) return [];
      return services(pool)
        .filter((id) => (!role || id.startsWith(`${role}:`)) && (!identity || id.toLowerCase() === identity) && (filter === undefined || psLike(id, filter)))
        .map((id) =>
          lyncObject('Microsoft.Rtc.Management.Xds.DisplayService', { Identity: id, SiteId: `site:${pool.site ?? 'Default'}`, PoolFqdn: pool.fqdn, Role: id.split(':')[0]!, DependentServiceList: [] }, id),
        );
    });
  },
};

export const getTopology: LabCmdlet = {
  name: 'Get-CsTopology',
  run(ctx) {
    const estate = ctx.env.lync.estate;
    if (flag(ctx.params, 'AsXml')) return [topologyXml(estate)];
    return [
      lyncObject('Microsoft.Rtc.Management.Deploy.Internal.DefaultTopology', {
        Sites: [...new Set(estate.pools.map((p) => `Site:${p.site ?? 'Default'}`))],
        Clusters: clusters(estate).map((c) => c.identity),
        Machines: estate.pools.flatMap((p) => p.servers.map((s) => s.fqdn)),
        SqlInstances: estate.sqlInstances.map((i) => (i.instance ? `${i.server}\\${i.instance}` : i.server)),
      }),
    ];
  },
};

/** Get-CsManagementStoreReplicationStatus: the CMS master (§3.4 step 3) and per-server replica status. */
export const getManagementStoreReplicationStatus: LabCmdlet = {
  name: 'Get-CsManagementStoreReplicationStatus',
  run(ctx) {
    const lync = ctx.env.lync;
    const now = dateValue(lync.clock.now());
    if (flag(ctx.params, 'CentralManagementStoreStatus')) {
      const master = lync.cmsPool ? lync.estatePool(lync.cmsPool)?.servers.find((s) => lync.serverUp(s.fqdn))?.fqdn : undefined;
      const agents = master ? [master] : [];
      return [lyncObject('Microsoft.Rtc.Management.Xds.CentralManagementStoreStatus', { ActiveMasterFqdn: master ?? null, ActiveFileTransferAgents: agents, ActiveReplicatorAgents: agents })];
    }
    const only = str(ctx.params, 'ReplicaFqdn')?.toLowerCase();
    return lync.estate.pools
      .flatMap((p) => p.servers.map((s) => s.fqdn.toLowerCase()))
      .filter((fqdn) => only === undefined || fqdn === only)
      .map((fqdn) => lyncObject('Microsoft.Rtc.Management.Xds.ReplicaStatus', { UpToDate: lync.serverUp(fqdn), ReplicaFqdn: fqdn, LastStatusReport: now, LastUpdateCreation: now }, fqdn));
  },
};

/**
 * Invoke-CsManagementServerFailover, DisasterRecovery set: the CMS moves to the backup pool's Back
 * End named by -BackupSqlServerFqdn/-BackupSqlInstanceName (or its mirror, when that is the one
 * that answers). The Normal set (a planned move, or -Restore) is not modelled.
 */
export const invokeManagementServerFailover: LabCmdlet = {
  name: 'Invoke-CsManagementServerFailover',
  stateChanging: true,
  run(ctx) {
    if (ctx.set !== 'DisasterRecovery') throw new CmdletFailure('The lab models the DisasterRecovery parameter set only (-BackupSqlServerFqdn … -Force): the Central Management Store is lost in its scenarios.');
    const { estate } = ctx.env.lync;
    const find = (server: string | undefined, instance: string | undefined) =>
      server === undefined ? undefined : estate.sqlInstances.find((i) => i.server.toLowerCase() === server.toLowerCase() && (i.instance ?? '').toLowerCase() === (instance ?? '').toLowerCase());
    const primary = find(str(ctx.params, 'BackupSqlServerFqdn'), str(ctx.params, 'BackupSqlInstanceName'));
    const mirror = find(str(ctx.params, 'BackupMirrorSqlServerFqdn'), str(ctx.params, 'BackupMirrorSqlInstanceName'));
    if (!primary) throw invalidArgument(`Cannot find SQL Server store "${str(ctx.params, 'BackupSqlServerFqdn')}" in the topology. Verify the BackupSqlServerFqdn and BackupSqlInstanceName parameters.`);
    // Which of the two answers is the principal (whether the real cmdlet picks it itself is unverified, reference §10 item 14).
    const target = mirror && !ctx.env.sql.instanceReachable(primary.id) ? mirror : primary;
    for (const m of ctx.env.lync.failOverCms(target.id, ctx.env.sql.instanceReachable(target.id))) ctx.verbose(m);
    return [];
  },
};

/** Set-CsEdgeServer -Identity EdgeServer:<Edge pool> -Registrar Registrar:<pool>: the Edge pool's next hop. */
export const setEdgeServer: LabCmdlet = {
  name: 'Set-CsEdgeServer',
  stateChanging: true,
  run(ctx) {
    const identity = str(ctx.params, 'Identity') ?? '';
    const registrar = str(ctx.params, 'Registrar');
    const edge = /^EdgeServer:(.+)$/i.exec(identity)?.[1];
    if (!edge) throw invalidArgument(`"${identity}" is not an Edge Server identity: write EdgeServer:<Edge pool FQDN>.`);
    if (registrar === undefined) return [];
    const pool = /^Registrar:(.+)$/i.exec(registrar)?.[1];
    if (!pool) throw invalidArgument(`"${registrar}" is not a Registrar service: write Registrar:<pool FQDN>.`);
    ctx.env.lync.setEdgeNextHop(edge, pool);
    ctx.verbose(`Next hop of Edge pool "${edge}": "${pool}".`);
    return [];
  },
};
