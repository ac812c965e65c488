/**
 * Published topology → draft estate. The topology knows pools, machines, SQL instances and the
 * primary Persistent Chat stores; what it cannot tell becomes a TODO at the path the admin must
 * complete (docs/topology-import.md).
 */
import {
  ESTATE_VERSION,
  PC_DATABASES,
  STORE_ROLES,
  type Datacenter,
  type Estate,
  type PcDatabase,
  type Pool,
  type PoolKind,
  type SourcePath,
  type SqlInstance,
  type StoreAssignment,
  type StoreRole,
} from './model';
import type { TopologyTodo } from './topology';
import { datacenterIdCandidates, sqlInstanceIdCandidates, uniqueIds } from './topology-ids';
import type { PublishedTopology, TopologyCluster, TopologyService } from './topology-published';

/**
 * Assumed encoding (domain reference §5.3 [U]): a `Dependency Usage="Backup"` from a Front End
 * pool's Registrar/UserServices to its partner's, and from the PersistentChatService to its
 * backup (log-shipping secondary) stores.
 */
export const ASSUMED_BACKUP_USAGE = 'Backup';

const PC_SERVICE_ROLE = 'PersistentChatService';
const FRONT_END_ROLES = ['UserServices', 'Registrar'];
const STORE_SERVICE_ROLE: Record<PcDatabase, string> = { mgc: 'PersistentChatStore', mgccomp: 'PersistentChatComplianceStore' };

export interface EstateDraft {
  readonly estate: Estate;
  readonly todos: TopologyTodo[];
}

interface Context {
  readonly topology: PublishedTopology;
  readonly services: ReadonlyMap<string, TopologyService>;
  readonly siteNames: ReadonlyMap<string, string>;
  readonly datacenterOfSite: ReadonlyMap<string, string>;
  readonly datacenterIds: readonly string[];
  readonly sqlIds: ReadonlyMap<string, string>;
  readonly todos: TopologyTodo[];
  /** SQL instances whose physical data center may not be their host's site, and why. */
  readonly uncertainSql: Map<string, string>;
}

export function draftEstate(topology: PublishedTopology): EstateDraft {
  const datacenterIds = uniqueIds(
    topology.sites.map((site) => datacenterIdCandidates(site, topology.clusters.filter((c) => c.siteId === site.siteId))),
  );
  const datacenters: Datacenter[] = topology.sites.map((site, i) => ({ id: datacenterIds[i], name: site.name, path: ['datacenters', i] }));
  const clusters = new Map(topology.clusters.map((c) => [c.key, c]));
  const sqlIdList = uniqueIds(topology.sqlInstances.map((s) => sqlInstanceIdCandidates(clusters.get(s.clusterKey)?.fqdn ?? s.key, s.name)));
  const poolTodos: TopologyTodo[] = [];
  const context: Context = {
    topology,
    services: new Map(topology.services.map((s) => [s.key, s])),
    siteNames: new Map(topology.sites.map((s) => [s.siteId, s.name])),
    datacenterOfSite: new Map(topology.sites.map((s, i) => [s.siteId, datacenterIds[i]])),
    datacenterIds,
    sqlIds: new Map(topology.sqlInstances.map((s, i) => [s.key, sqlIdList[i]])),
    todos: poolTodos,
    uncertainSql: new Map(),
  };

  const candidates = topology.clusters
    .filter((cluster) => context.siteNames.has(cluster.siteId))
    .map((cluster) => ({ cluster, kind: poolKind(topology.services.filter((s) => s.clusterKey === cluster.key)) }));
  const frontEnds = candidates.filter((c) => c.kind === 'front-end').map((c) => c.cluster);
  const persistentChat = candidates.filter((c) => c.kind === 'persistent-chat').map((c) => c.cluster);
  const pools = [
    ...frontEnds.map((cluster, i) => frontEndPool(context, cluster, i, frontEnds)),
    ...persistentChat.map((cluster, i) => persistentChatPool(context, cluster, frontEnds.length + i)),
  ];

  const sqlTodos: TopologyTodo[] = [];
  const sqlInstances = topology.sqlInstances.map((instance, i): SqlInstance => {
    const cluster = clusters.get(instance.clusterKey);
    const path: SourcePath = ['sqlInstances', i];
    const server = cluster?.fqdn ?? instance.key;
    const reason = context.uncertainSql.get(instance.key);
    const datacenter = reason || !cluster ? undefined : context.datacenterOfSite.get(cluster.siteId);
    if (datacenter === undefined) {
      const site = cluster ? context.siteNames.get(cluster.siteId) : undefined;
      sqlTodos.push({
        path: [...path, 'datacenter'],
        message:
          `Physical data center of ${server}${instance.name ? `\\${instance.name}` : ''}: ` +
          `${reason ?? 'its host is in no central site'}${site ? `, whatever its topology site (${site})` : ''}.${oneOf(context)}`,
      });
    }
    return {
      id: context.sqlIds.get(instance.key) ?? instance.key,
      server,
      ...(instance.name ? { instance: instance.name } : {}),
      ...(datacenter ? { datacenter } : {}),
      path,
    };
  });

  const estate: Estate = {
    version: ESTATE_VERSION,
    name: topology.defaultDomain ?? topology.sites[0]?.name ?? 'Lync estate',
    datacenters,
    sqlInstances,
    pools,
  };
  return { estate, todos: [...sqlTodos, ...poolTodos] };
}

function poolKind(services: readonly TopologyService[]): PoolKind | undefined {
  if (services.some((s) => s.role === PC_SERVICE_ROLE)) return 'persistent-chat';
  const frontEnd = services.filter((s) => FRONT_END_ROLES.includes(s.role));
  if (frontEnd.some((s) => s.role === 'UserServices' || !s.isDirector)) return 'front-end';
  return undefined;
}

function frontEndPool(context: Context, cluster: TopologyCluster, index: number, frontEnds: readonly TopologyCluster[]): Pool {
  const path: SourcePath = ['pools', index];
  const partnerKeys = context.topology.services
    .filter((s) => s.clusterKey === cluster.key && FRONT_END_ROLES.includes(s.role))
    .flatMap((s) => s.dependsOn.filter((d) => d.usage === ASSUMED_BACKUP_USAGE))
    .map((d) => context.services.get(d.serviceKey)?.clusterKey);
  const partner = frontEnds.find((fe) => fe.key !== cluster.key && partnerKeys.includes(fe.key));
  if (!partner && frontEnds.length > 1) {
    context.todos.push({
      path: [...path, 'backupPool'],
      message:
        `Paired Front End pool of ${cluster.fqdn} (Backup Service, pool failover): set in Topology Builder ` +
        `(Edit Properties → Resiliency → Associated Backup Pool) and shown by Get-CsPoolBackupRelationship -PoolFqdn ` +
        `${cluster.fqdn}; the topology as read does not encode it. Delete the line if the pool is not paired.`,
    });
  }
  const site = context.siteNames.get(cluster.siteId);
  const datacenter = context.datacenterOfSite.get(cluster.siteId);
  return {
    fqdn: cluster.fqdn,
    kind: 'front-end',
    ...(site ? { site } : {}),
    ...(datacenter ? { datacenter } : {}),
    servers: cluster.machines.map((fqdn, i) => ({ fqdn, path: [...path, 'servers', i] })),
    ...(partner ? { backupPool: partner.fqdn } : {}),
    path,
  };
}

function persistentChatPool(context: Context, cluster: TopologyCluster, index: number): Pool {
  const path: SourcePath = ['pools', index];
  const site = context.siteNames.get(cluster.siteId);
  const onlyDatacenter = context.datacenterIds.length === 1 ? context.datacenterIds[0] : undefined;
  const servers = cluster.machines.map((fqdn, i) => {
    const serverPath: SourcePath = [...path, 'servers', i];
    if (!onlyDatacenter) {
      context.todos.push({
        path: [...serverPath, 'datacenter'],
        message:
          `Physical data center of ${fqdn}: a Persistent Chat pool is one logical site (${site}) even when stretched ` +
          `across data centers, so the topology cannot tell.${oneOf(context)}`,
      });
    }
    return { fqdn, ...(onlyDatacenter ? { datacenter: onlyDatacenter } : {}), path: serverPath };
  });
  const service = context.topology.services.find((s) => s.clusterKey === cluster.key && s.role === PC_SERVICE_ROLE);
  const stores: Partial<Record<PcDatabase, StoreAssignment>> = {};
  for (const database of PC_DATABASES) {
    const assignment = service && storeAssignment(context, service, database, [...path, 'stores', database]);
    if (assignment) stores[database] = assignment;
  }
  context.todos.push(
    {
      path: [...path, 'logShipping', 'share'],
      message:
        'UNC share the primary SQL Server writes the mgc log backups to: log shipping is set up in SQL Server, not in the ' +
        'topology (backup_source_directory in msdb.dbo.log_shipping_secondary on the backup instance).',
    },
    {
      path: [...path, 'logShipping', 'copyFolder'],
      message:
        'Folder on the backup SQL Server the log-shipping copy job copies into ' +
        '(backup_destination_directory in msdb.dbo.log_shipping_secondary on the backup instance).',
    },
    {
      path: [...path, 'activeServerCollection'],
      message:
        'Identity of the active-server collection: global on Lync Server 2013 (Skype for Business Server: see ' +
        'Get-CsService -PersistentChatServer). Not part of the topology.',
    },
    {
      path: [...path, 'activeServers'],
      message:
        'Servers active in normal operation: at most 4, in the data center of the primary database ' +
        '(Set-CsPersistentChatActiveServer). Not part of the topology; delete the line to leave it undeclared.',
    },
  );
  return {
    fqdn: cluster.fqdn,
    kind: 'persistent-chat',
    ...(site ? { site } : {}),
    servers,
    ...(Object.keys(stores).length > 0 ? { stores } : {}),
    path,
  };
}

/** Which SQL instance plays which role for one database; undefined when the database has no store at all. */
function storeAssignment(context: Context, pcService: TopologyService, database: PcDatabase, path: SourcePath): StoreAssignment | undefined {
  const role = STORE_SERVICE_ROLE[database];
  const stores = context.topology.services.filter((s) => s.role === role && s.sqlInstanceKey);
  if (stores.length === 0) return undefined;
  const linked = (usage: string) =>
    pcService.dependsOn
      .filter((d) => d.usage === usage)
      .map((d) => context.services.get(d.serviceKey))
      .find((s): s is TopologyService => s?.role === role && !!s.sqlInstanceKey);
  const primary = linked('Default') ?? (stores.length === 1 ? stores[0] : undefined);
  const backup = linked(ASSUMED_BACKUP_USAGE);
  const sqlKeys: Partial<Record<StoreRole, string>> = {
    primary: primary?.sqlInstanceKey,
    mirror: primary?.mirrorSqlInstanceKey,
    backup: backup?.sqlInstanceKey,
    backupMirror: backup?.mirrorSqlInstanceKey,
  };
  const unlinked = stores.filter((s) => s !== primary && s !== backup).map((s) => s.sqlInstanceKey as string);
  const backupReason = 'it holds a Persistent Chat backup store (or its mirror), which lives in the secondary data center';
  for (const key of [sqlKeys.backup, sqlKeys.backupMirror]) if (key) context.uncertainSql.set(key, backupReason);
  const unlinkedReason = 'it holds a Persistent Chat store the topology does not link to a pool, maybe the backup store of the secondary data center';
  for (const key of unlinked) if (!context.uncertainSql.has(key)) context.uncertainSql.set(key, unlinkedReason);

  const assignment: Partial<Record<StoreRole, string>> = {};
  for (const storeRole of STORE_ROLES) {
    const key = sqlKeys[storeRole];
    if (key) assignment[storeRole] = context.sqlIds.get(key) ?? key;
    else context.todos.push({ path: [...path, storeRole], message: missingStoreRole(context, storeRole, database, role, unlinked) });
  }
  return assignment;
}

function missingStoreRole(context: Context, storeRole: StoreRole, database: PcDatabase, serviceRole: string, unlinked: readonly string[]): string {
  const candidates = [...new Set(unlinked.map((key) => context.sqlIds.get(key) ?? key))];
  const hint = candidates.length > 0 ? ` ${serviceRole} stores the topology does not link to this pool: ${candidates.join(', ')}.` : '';
  switch (storeRole) {
    case 'primary':
      return `SQL instance holding the primary ${database} database: the PersistentChatService links no ${serviceRole}.${hint}`;
    case 'mirror':
      return `SQL instance mirroring the primary ${database} database; remove the entry if it is not mirrored. The topology as read does not encode Persistent Chat store mirroring.`;
    case 'backup':
      return `Backup (log-shipping secondary) SQL instance for ${database}, in the secondary data center: the topology as read does not encode which store is the backup store.${hint}`;
    case 'backupMirror':
      return `SQL instance mirroring the backup ${database} database; remove the entry if it has none. The topology as read does not encode Persistent Chat store mirroring.`;
  }
}

function oneOf(context: Context): string {
  return context.datacenterIds.length > 0 ? ` One of: ${context.datacenterIds.join(', ')}.` : '';
}
