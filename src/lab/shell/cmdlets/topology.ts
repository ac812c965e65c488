/**
 * Topology cmdlets: Get-CsPool (§4.15), Get-CsService (§4.16), Get-CsTopology (§4.17).
 */
import type { Command } from '../commands';
import { flag, str } from '../commands';
import { cmdletFailure } from '../errors';
import { PsDate, psLike, type PsObject } from '../values';
import { sqlHostSite, topologyXml } from '../../lync/topology';
import type { Estate, Pool } from '../../../core/estate/model';
import { NS, XDS_GLOBAL_RELATIVE_IDENTITY, lyncObject } from './types';

const CLUSTER_TYPE = 'Microsoft.Rtc.Management.Deploy.Internal.Cluster';
const FE_ROLES = ['Registrar', 'UserServer', 'WebServer', 'ConferencingServer'];

function siteOf(estate: Estate, pool: Pool): string {
  return `Site:${pool.site ?? estate.pools[0]?.site ?? 'Default'}`;
}

function services(pool: Pool): string[] {
  if (pool.kind === 'persistent-chat') return [`PersistentChatServer:${pool.fqdn}`];
  return FE_ROLES.map((r) => `${r}:${pool.fqdn}`);
}

/** Every pool, then every SQL host, as Get-CsPool lists clusters. */
function clusters(estate: Estate): PsObject[] {
  const out = estate.pools.map((p) =>
    lyncObject(CLUSTER_TYPE, [
      ['Identity', p.fqdn],
      ['Services', services(p)],
      ['Computers', p.servers.map((s) => s.fqdn)],
      ['Fqdn', p.fqdn],
      ['Site', siteOf(estate, p)],
    ], p.fqdn),
  );
  for (const server of [...new Set(estate.sqlInstances.map((i) => i.server))]) {
    const ids = estate.sqlInstances.filter((i) => i.server === server).map((i) => i.id);
    const pcStore = estate.pools.some((p) => Object.values(p.stores ?? {}).some((a) => a && Object.values(a).some((id) => ids.includes(id as string))));
    const role = pcStore ? 'PersistentChatStore' : 'UserDatabase';
    const site = `Site:${sqlHostSite(estate, server) ?? 'Default'}`;
    out.push(lyncObject(CLUSTER_TYPE, [['Identity', server], ['Services', [`${role}:${server}`]], ['Computers', [server]], ['Fqdn', server], ['Site', site]], server));
  }
  return out;
}

export const getPool: Command = {
  name: 'Get-CsPool',
  className: `${NS.deploy}.GetPoolCmdlet`,
  defaultSet: 'Identity',
  params: [
    { name: 'Identity', type: { kind: 'identity', typeName: XDS_GLOBAL_RELATIVE_IDENTITY }, sets: { Identity: { position: 0 } } },
    { name: 'Filter', type: { kind: 'string' }, sets: { Filter: {} } },
    { name: 'Site', type: { kind: 'string' } },
    { name: 'LocalStore', type: { kind: 'switch' } },
  ],
  run(ctx) {
    const estate = ctx.env.lync.estate;
    const identity = str(ctx.binding, 'Identity');
    const filter = str(ctx.binding, 'Filter');
    const site = str(ctx.binding, 'Site');
    const all = clusters(estate).filter((c) => site === undefined || String(c.get('Site')).toLowerCase() === `site:${site}`.toLowerCase());
    if (identity !== undefined) {
      const hit = all.filter((c) => String(c.get('Identity')).toLowerCase() === identity.toLowerCase());
      if (!hit.length) throw cmdletFailure(`Cannot find "Cluster" "${identity}" because it does not exist.`, 'ItemNotFoundException', 'ProcessingFailed', 'ObjectNotFound');
      return hit;
    }
    return filter === undefined ? all : all.filter((c) => psLike(String(c.get('Identity')), filter));
  },
};

const SERVICE_ROLES = ['PersistentChatServer', 'Registrar', 'UserServer'] as const;

export const getService: Command = {
  name: 'Get-CsService',
  className: `${NS.deploy}.GetServiceCmdlet`,
  defaultSet: 'Identity',
  params: [
    { name: 'Identity', type: { kind: 'identity', typeName: XDS_GLOBAL_RELATIVE_IDENTITY }, sets: { Identity: { position: 0 } } },
    ...SERVICE_ROLES.map((role) => ({ name: role, type: { kind: 'switch' as const }, sets: { [role]: { mandatory: true } } })),
    { name: 'PoolFqdn', type: { kind: 'string' }, sets: Object.fromEntries(['Identity', ...SERVICE_ROLES].map((s) => [s, {}])) },
  ],
  run(ctx) {
    const estate = ctx.env.lync.estate;
    const poolFqdn = str(ctx.binding, 'PoolFqdn')?.toLowerCase();
    const identity = str(ctx.binding, 'Identity')?.toLowerCase();
    const role = SERVICE_ROLES.find((r) => flag(ctx.binding, r));
    return estate.pools.flatMap((pool) => {
      if (poolFqdn && pool.fqdn.toLowerCase() !== poolFqdn) return [];
      return services(pool)
        .filter((id) => (!role || id.startsWith(`${role}:`)) && (!identity || id.toLowerCase() === identity))
        .map((id) =>
          lyncObject(`Microsoft.Rtc.Management.Xds.DisplayService`, [
            ['Identity', id],
            ['SiteId', `site:${pool.site ?? 'Default'}`],
            ['PoolFqdn', pool.fqdn],
            ['Role', id.split(':')[0]],
            ['DependentServiceList', []],
          ], id),
        );
    });
  },
};

export const getTopology: Command = {
  name: 'Get-CsTopology',
  className: `${NS.deploy}.GetTopologyCmdlet`,
  params: [
    { name: 'AsXml', type: { kind: 'switch' } },
    { name: 'LocalStore', type: { kind: 'switch' } },
  ],
  run(ctx) {
    const estate = ctx.env.lync.estate;
    if (flag(ctx.binding, 'AsXml')) return [topologyXml(estate)];
    const all = clusters(estate);
    return [
      lyncObject('Microsoft.Rtc.Management.Deploy.Internal.DefaultTopology', [
        ['Sites', [...new Set(estate.pools.map((p) => `Site:${p.site ?? 'Default'}`))]],
        ['Clusters', all.map((c) => String(c.get('Identity')))],
        ['Machines', estate.pools.flatMap((p) => p.servers.map((s) => s.fqdn))],
        ['SqlInstances', estate.sqlInstances.map((i) => (i.instance ? `${i.server}\\${i.instance}` : i.server))],
      ]),
    ];
  },
};

/** Get-CsManagementStoreReplicationStatus: the CMS master (§3.4 step 3) and per-server replica status. */
export const getManagementStoreReplicationStatus: Command = {
  name: 'Get-CsManagementStoreReplicationStatus',
  className: `${NS.deploy}.GetManagementStoreReplicationStatusCmdlet`,
  defaultSet: 'ReplicaStatus',
  params: [
    { name: 'CentralManagementStoreStatus', type: { kind: 'switch' }, sets: { CmsStatus: { mandatory: true } } },
    { name: 'ReplicaFqdn', type: { kind: 'fqdn' }, sets: { ReplicaStatus: {} } },
  ],
  run(ctx) {
    const lync = ctx.env.lync;
    const now = new PsDate(lync.clock.now());
    if (flag(ctx.binding, 'CentralManagementStoreStatus')) {
      const master = lync.cmsPool ? lync.estatePool(lync.cmsPool)?.servers.find((s) => lync.serverUp(s.fqdn))?.fqdn : undefined;
      const agents = master ? [master] : [];
      return [lyncObject('Microsoft.Rtc.Management.Xds.CentralManagementStoreStatus', [['ActiveMasterFqdn', master ?? null], ['ActiveFileTransferAgents', agents], ['ActiveReplicatorAgents', agents]])];
    }
    const only = str(ctx.binding, 'ReplicaFqdn');
    return lync.estate.pools
      .flatMap((p) => p.servers.map((s) => s.fqdn.toLowerCase()))
      .filter((fqdn) => only === undefined || fqdn === only)
      .map((fqdn) =>
        lyncObject('Microsoft.Rtc.Management.Xds.ReplicaStatus', [
          ['UpToDate', lync.serverUp(fqdn)],
          ['ReplicaFqdn', fqdn],
          ['LastStatusReport', now],
          ['LastUpdateCreation', now],
        ], fqdn),
      );
  },
};
