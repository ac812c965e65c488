/**
 * `Get-CsTopology -AsXml`: a published-topology document generated from the estate, in the
 * element and attribute names of the published form (domain reference §5.3). Persistent Chat
 * role names are the documented ones; how mirror and backup stores and pool pairing are encoded
 * in a real export is not known, so they are left out (the estate file carries them).
 */
import type { Estate } from '../../core/estate/model';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Logical site of a SQL host: the site of the pool whose stores use it, else of a Front End
 * pool in the same data center, else the first site.
 */
export function sqlHostSite(estate: Estate, server: string): string | undefined {
  const ids = estate.sqlInstances.filter((i) => i.server === server).map((i) => i.id);
  const user = estate.pools.find((p) => Object.values(p.stores ?? {}).some((a) => a && Object.values(a).some((id) => ids.includes(id as string))));
  if (user) return user.site;
  const dc = estate.sqlInstances.find((i) => i.server === server)?.datacenter;
  return (estate.pools.find((p) => dc && p.datacenter === dc) ?? estate.pools[0])?.site;
}

export function topologyXml(estate: Estate): string {
  const siteNames = [...new Set(estate.pools.map((p) => p.site ?? 'Default'))];
  const siteId = (name: string | undefined) => siteNames.indexOf(name ?? 'Default') + 1;
  const defaultDomain = estate.pools[0]?.fqdn.split('.').slice(1).join('.') ?? 'example.com';
  const lines: string[] = [];
  lines.push('<?xml version="1.0" encoding="utf-16"?>');
  lines.push('<Topology Signature="00000000-0000-0000-0000-000000000000" xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">');
  lines.push(`  <InternalDomains AllowAllDomains="false" DefaultDomain="${esc(defaultDomain)}">`);
  lines.push(`    <InternalDomain Name="${esc(defaultDomain)}" Authoritative="false" AllowSubDomains="false" />`);
  lines.push('  </InternalDomains>');
  lines.push('  <Sites>');
  siteNames.forEach((name, i) => lines.push(`    <CentralSite SiteId="${i + 1}"><Name>${esc(name)}</Name><Location /></CentralSite>`));
  lines.push('  </Sites>');

  // Cluster numbers are per site, as in the published form.
  const numbers = new Map<number, number>();
  const nextNumber = (site: number) => {
    const n = (numbers.get(site) ?? 0) + 1;
    numbers.set(site, n);
    return n;
  };
  const clusterOf = new Map<string, { site: number; number: number }>();
  lines.push('  <Clusters>');
  for (const pool of estate.pools) {
    const site = siteId(pool.site);
    const id = { site, number: nextNumber(site) };
    clusterOf.set(pool.fqdn, id);
    lines.push(`    <Cluster RequiresReplication="true" RequiresSetup="true" Fqdn="${esc(pool.fqdn)}">`);
    lines.push(`      <ClusterId SiteId="${id.site}" Number="${id.number}" />`);
    pool.servers.forEach((s, i) => {
      lines.push(`      <Machine OrdinalInCluster="${i + 1}" Fqdn="${esc(s.fqdn)}" FaultDomain="${esc(s.fqdn)}" UpgradeDomain="${esc(s.fqdn)}">`);
      lines.push('        <NetInterface InterfaceSide="Primary" InterfaceNumber="1" IPAddress="0.0.0.0" />');
      lines.push('      </Machine>');
    });
    lines.push('    </Cluster>');
  }
  for (const server of [...new Set(estate.sqlInstances.map((i) => i.server))]) {
    const site = siteId(sqlHostSite(estate, server));
    const id = { site, number: nextNumber(site) };
    clusterOf.set(server, id);
    lines.push(`    <Cluster RequiresReplication="false" RequiresSetup="false" Fqdn="${esc(server)}"><ClusterId SiteId="${id.site}" Number="${id.number}" /></Cluster>`);
  }
  lines.push('  </Clusters>');

  const sqlId = (instanceId: string) => {
    const inst = estate.sqlInstances.find((i) => i.id === instanceId);
    const c = inst ? clusterOf.get(inst.server) : undefined;
    return inst && c ? `<SqlInstanceId Name="${esc(inst.instance ?? '')}"><ClusterId SiteId="${c.site}" Number="${c.number}" /></SqlInstanceId>` : '';
  };
  lines.push('  <SqlInstances>');
  for (const inst of estate.sqlInstances) lines.push(`    <SqlInstance>${sqlId(inst.id)}</SqlInstance>`);
  lines.push('  </SqlInstances>');

  lines.push('  <Services>');
  const instances = new Map<string, number>();
  const serviceId = (site: number, role: string) => {
    const k = `${site}|${role}`;
    const n = (instances.get(k) ?? 0) + 1;
    instances.set(k, n);
    return `<ServiceId SiteId="${site}" RoleName="${role}" Instance="${n}" />`;
  };
  for (const pool of estate.pools) {
    const c = clusterOf.get(pool.fqdn) as { site: number; number: number };
    const installedOn = `<InstalledOn><ClusterId SiteId="${c.site}" Number="${c.number}" /></InstalledOn>`;
    if (pool.kind === 'front-end') {
      for (const role of ['UserServices', 'Registrar', 'WebServices', 'ConfServices']) {
        lines.push(`    <Service RoleVersion="1" ServiceVersion="6">${serviceId(c.site, role)}<DependsOn />${installedOn}</Service>`);
      }
      continue;
    }
    const primary = pool.stores?.mgc?.primary;
    let storeRef = '';
    if (primary) {
      const store = serviceId(c.site, 'PersistentChatStore');
      storeRef = `<Dependency Usage="Default">${store}</Dependency>`;
      lines.push(`    <Service RoleVersion="1" ServiceVersion="6">${store}<DependsOn /><InstalledOn>${sqlId(primary)}</InstalledOn></Service>`);
    }
    lines.push(`    <Service RoleVersion="1" ServiceVersion="6">${serviceId(c.site, 'PersistentChatService')}<DependsOn>${storeRef}</DependsOn>${installedOn}</Service>`);
  }
  lines.push('  </Services>');
  lines.push('</Topology>');
  return lines.join('\n');
}
