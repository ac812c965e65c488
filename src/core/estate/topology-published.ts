/**
 * The parts of a published topology (`Get-CsTopology -AsXml`, domain reference §5.3) the estate
 * draft needs, with the structured ids turned into string keys:
 * cluster `1:4` (SiteId:Number), SQL instance `1:5/pchat`, service `1-PersistentChatStore-1`.
 */
import { attribute, child, children, textOf, type XmlElement } from './topology-xml';

export interface TopologySite {
  readonly siteId: string;
  readonly name: string;
}

export interface TopologyCluster {
  readonly key: string;
  readonly siteId: string;
  readonly fqdn: string;
  readonly machines: readonly string[];
}

export interface TopologySqlInstance {
  readonly key: string;
  readonly clusterKey: string;
  /** '' for the default instance. */
  readonly name: string;
}

export interface TopologyDependency {
  readonly usage: string;
  readonly serviceKey: string;
}

export interface TopologyService {
  readonly key: string;
  readonly siteId: string;
  readonly role: string;
  readonly clusterKey?: string;
  readonly sqlInstanceKey?: string;
  readonly dependsOn: readonly TopologyDependency[];
  /** Assumed encoding: `<PersistentChatStoreService><MirrorSqlInstance><SqlInstanceId …>`. */
  readonly mirrorSqlInstanceKey?: string;
  /** `RegistrarService IsDirector="true"`: a Director pool, not a Front End pool. */
  readonly isDirector: boolean;
}

export interface PublishedTopology {
  readonly defaultDomain?: string;
  readonly sites: readonly TopologySite[];
  readonly clusters: readonly TopologyCluster[];
  readonly sqlInstances: readonly TopologySqlInstance[];
  readonly services: readonly TopologyService[];
}

/** A published topology that is well-formed XML but not usable (missing ids, dangling references). */
export class TopologyFormatError extends Error {}

export function readPublishedTopology(root: XmlElement): PublishedTopology {
  const sites = children(child(root, 'Sites'), 'CentralSite').map((site) => ({
    siteId: required(site, 'SiteId', 'CentralSite'),
    name: textOf(child(site, 'Name')).trim(),
  }));
  const clusters = children(child(root, 'Clusters'), 'Cluster').map(readCluster);
  const sqlInstances = children(child(root, 'SqlInstances'), 'SqlInstance').map((sql) => {
    const id = child(sql, 'SqlInstanceId');
    if (!id) throw new TopologyFormatError('A SqlInstance has no SqlInstanceId.');
    return sqlInstanceRef(id);
  });
  const services = children(child(root, 'Services'), 'Service').map(readService);
  const topology = { defaultDomain: attribute(child(root, 'InternalDomains'), 'DefaultDomain'), sites, clusters, sqlInstances, services };
  checkReferences(topology);
  return topology;
}

function readCluster(cluster: XmlElement): TopologyCluster {
  const fqdn = required(cluster, 'Fqdn', 'Cluster');
  const id = child(cluster, 'ClusterId');
  if (!id) throw new TopologyFormatError(`Cluster ${fqdn} has no ClusterId.`);
  const machines = children(cluster, 'Machine')
    .map((machine) => attribute(machine, 'Fqdn'))
    .filter((machineFqdn): machineFqdn is string => !!machineFqdn);
  return { key: clusterKey(id), siteId: required(id, 'SiteId', 'ClusterId'), fqdn, machines };
}

function readService(service: XmlElement): TopologyService {
  const id = child(service, 'ServiceId');
  if (!id) throw new TopologyFormatError('A Service has no ServiceId.');
  const installedOn = child(service, 'InstalledOn');
  const onCluster = child(installedOn, 'ClusterId');
  const onSql = child(installedOn, 'SqlInstanceId');
  const dependsOn = children(child(service, 'DependsOn'), 'Dependency').map((dependency) => {
    const target = child(dependency, 'ServiceId');
    if (!target) throw new TopologyFormatError(`A dependency of service ${serviceKey(id)} has no ServiceId.`);
    return { usage: attribute(dependency, 'Usage') ?? 'Default', serviceKey: serviceKey(target) };
  });
  const mirror = child(child(child(service, 'PersistentChatStoreService'), 'MirrorSqlInstance'), 'SqlInstanceId');
  return {
    key: serviceKey(id),
    siteId: required(id, 'SiteId', 'ServiceId'),
    role: required(id, 'RoleName', 'ServiceId'),
    clusterKey: onCluster ? clusterKey(onCluster) : undefined,
    sqlInstanceKey: onSql ? sqlInstanceRef(onSql).key : undefined,
    dependsOn,
    mirrorSqlInstanceKey: mirror ? sqlInstanceRef(mirror).key : undefined,
    isDirector: attribute(child(service, 'RegistrarService'), 'IsDirector')?.toLowerCase() === 'true',
  };
}

function clusterKey(id: XmlElement): string {
  return `${required(id, 'SiteId', 'ClusterId')}:${required(id, 'Number', 'ClusterId')}`;
}

function sqlInstanceRef(id: XmlElement): TopologySqlInstance {
  const cluster = child(id, 'ClusterId');
  if (!cluster) throw new TopologyFormatError('A SqlInstanceId has no ClusterId.');
  const name = attribute(id, 'Name') ?? '';
  return { key: `${clusterKey(cluster)}/${name}`, clusterKey: clusterKey(cluster), name };
}

function serviceKey(id: XmlElement): string {
  return `${required(id, 'SiteId', 'ServiceId')}-${required(id, 'RoleName', 'ServiceId')}-${required(id, 'Instance', 'ServiceId')}`;
}

function required(element: XmlElement, name: string, what: string): string {
  const value = attribute(element, name)?.trim();
  if (!value) throw new TopologyFormatError(`A ${what} element has no ${name} attribute.`);
  return value;
}

function checkReferences(topology: PublishedTopology): void {
  const clusters = new Set(topology.clusters.map((c) => c.key));
  const sql = new Set(topology.sqlInstances.map((s) => s.key));
  const services = new Set(topology.services.map((s) => s.key));
  for (const instance of topology.sqlInstances) {
    if (!clusters.has(instance.clusterKey)) throw new TopologyFormatError(`SQL instance ${instance.key} is on cluster ${instance.clusterKey}, which the topology does not define.`);
  }
  for (const service of topology.services) {
    if (service.clusterKey && !clusters.has(service.clusterKey)) {
      throw new TopologyFormatError(`Service ${service.key} is installed on cluster ${service.clusterKey}, which the topology does not define.`);
    }
    for (const key of [service.sqlInstanceKey, service.mirrorSqlInstanceKey]) {
      if (key && !sql.has(key)) throw new TopologyFormatError(`Service ${service.key} refers to SQL instance ${key}, which the topology does not define.`);
    }
    for (const dependency of service.dependsOn) {
      if (!services.has(dependency.serviceKey)) {
        throw new TopologyFormatError(`Service ${service.key} depends on ${dependency.serviceKey}, which the topology does not define.`);
      }
    }
  }
}
