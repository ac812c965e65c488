/**
 * In-memory stand-ins for the rest of the lab, for the shell's tests: the Litware estate of
 * samples/litware/lync-estate.yaml as data, a SQL side with mirroring and database states, and
 * a fault set.
 */
import type { Estate, Pool, PoolServer, SqlInstance } from '../../../src/core/estate/model';
import type { LabSqlSide, MirroringStatus } from '../../../src/lab/shell/ports';

const server = (fqdn: string, datacenter?: string): PoolServer => ({ fqdn, datacenter, path: [] });
const sql = (id: string, host: string, instance: string, datacenter: string): SqlInstance => ({ id, server: host, instance, datacenter, path: [] });

export function litwareEstate(): Estate {
  const pools: Pool[] = [
    { fqdn: 'atl-cs-001.litwareinc.com', kind: 'front-end', site: 'Atlanta', datacenter: 'atl', servers: [server('atl-fe-001.litwareinc.com'), server('atl-fe-002.litwareinc.com')], backupPool: 'dal-cs-001.litwareinc.com', path: [] },
    { fqdn: 'dal-cs-001.litwareinc.com', kind: 'front-end', site: 'Dallas', datacenter: 'dal', servers: [server('dal-fe-001.litwareinc.com'), server('dal-fe-002.litwareinc.com')], backupPool: 'atl-cs-001.litwareinc.com', path: [] },
    {
      fqdn: 'atl-gc-001.litwareinc.com',
      kind: 'persistent-chat',
      site: 'Atlanta',
      servers: [server('atl-pc-001.litwareinc.com', 'atl'), server('atl-pc-002.litwareinc.com', 'atl'), server('dal-pc-001.litwareinc.com', 'dal'), server('dal-pc-002.litwareinc.com', 'dal')],
      stores: {
        mgc: { primary: 'atl-pcsql', mirror: 'atl-pcsqlm', backup: 'dal-pcbak', backupMirror: 'dal-pcbakm' },
        mgccomp: { primary: 'atl-pcsql', mirror: 'atl-pcsqlm', backup: 'dal-pcbak', backupMirror: 'dal-pcbakm' },
      },
      logShipping: { share: '\\\\atl-fs-001.litwareinc.com\\pchat-logs', copyFolder: 'D:\\LogShipping\\mgc' },
      activeServerCollection: 'global',
      activeServers: ['atl-pc-001.litwareinc.com', 'atl-pc-002.litwareinc.com'],
      path: [],
    },
  ];
  return {
    version: 1,
    name: 'Litware',
    datacenters: [
      { id: 'atl', name: 'Atlanta', path: [] },
      { id: 'dal', name: 'Dallas', path: [] },
    ],
    sqlInstances: [
      sql('atl-sql', 'atl-sql-001.litwareinc.com', 'rtc', 'atl'),
      sql('dal-sql', 'dal-sql-001.litwareinc.com', 'rtc', 'dal'),
      sql('atl-pcsql', 'atl-pcsql-001.litwareinc.com', 'pchat', 'atl'),
      sql('atl-pcsqlm', 'atl-pcsqlm-001.litwareinc.com', 'pchat', 'atl'),
      sql('dal-pcbak', 'dal-pcbak-001.litwareinc.com', 'pchat', 'dal'),
      sql('dal-pcbakm', 'dal-pcbakm-001.litwareinc.com', 'pchat', 'dal'),
    ],
    pools,
  };
}

/** SQL side of the pchat-dc-loss scenario after the backup `mgc` was recovered: Atlanta is down. */
export class FakeSql implements LabSqlSide {
  readonly down = new Set<string>();
  readonly databases = new Map<string, string>();
  readonly mirrors = new Map<string, string>();
  readonly calls: [string, string, string | null][] = [];

  db(instance: string, database: string, state: string): this {
    this.databases.set(`${instance}|${database}`, state);
    return this;
  }

  mirroringStatus(instanceId: string, database: string): MirroringStatus {
    for (const [k, mirror] of this.mirrors) {
      const [principal, db] = k.split('|');
      if (db !== database) continue;
      if (principal === instanceId) return { role: 'PRINCIPAL', state: 'SYNCHRONIZED', partner: mirror };
      if (mirror === instanceId) return { role: 'MIRROR', state: 'SYNCHRONIZED', partner: principal };
    }
    return { role: null, state: null, partner: null };
  }

  setMirroring(instanceId: string, database: string, mirrorInstanceId: string | null): void {
    this.calls.push([instanceId, database, mirrorInstanceId]);
    if (mirrorInstanceId) this.mirrors.set(`${instanceId}|${database}`, mirrorInstanceId);
    else this.mirrors.delete(`${instanceId}|${database}`);
  }

  databaseState(instanceId: string, database: string): string | undefined {
    return this.databases.get(`${instanceId}|${database}`);
  }

  instanceReachable(instanceId: string): boolean {
    return !this.down.has(instanceId);
  }
}

export class FakeFaults {
  readonly armed = new Set<string>();
  has(name: string): boolean {
    return this.armed.has(name);
  }
}
