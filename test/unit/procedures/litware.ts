/** The Litware estate of runbook-format.md, completed with the mirrors and the Dallas pool. */
import type { Estate } from '../../../src/core/estate/model';

export function litware(): Estate {
  return {
    version: 1,
    name: 'Litware',
    datacenters: [
      { id: 'atl', name: 'Atlanta', path: [] },
      { id: 'dal', name: 'Dallas', path: [] },
    ],
    sqlInstances: [
      { id: 'atl-pcsql', server: 'atl-pcsql-001.litwareinc.com', instance: 'pchat', datacenter: 'atl', path: [] },
      { id: 'atl-pcsqlm', server: 'atl-pcsqlm-001.litwareinc.com', instance: 'pchat', datacenter: 'atl', path: [] },
      { id: 'dal-pcbak', server: 'dal-pcbak-001.litwareinc.com', instance: 'pchat', datacenter: 'dal', port: 1433, path: [] },
      { id: 'dal-pcbakm', server: 'dal-pcbakm-001.litwareinc.com', instance: 'pchat', datacenter: 'dal', path: [] },
    ],
    pools: [
      {
        fqdn: 'atl-cs-001.litwareinc.com',
        kind: 'front-end',
        site: 'Atlanta',
        datacenter: 'atl',
        servers: [
          { fqdn: 'atl-fe-001.litwareinc.com', path: [] },
          { fqdn: 'atl-fe-002.litwareinc.com', path: [] },
        ],
        backupPool: 'dal-cs-001.litwareinc.com',
        path: [],
      },
      {
        fqdn: 'dal-cs-001.litwareinc.com',
        kind: 'front-end',
        site: 'Dallas',
        datacenter: 'dal',
        servers: [{ fqdn: 'dal-fe-001.litwareinc.com', path: [] }],
        backupPool: 'atl-cs-001.litwareinc.com',
        path: [],
      },
      {
        fqdn: 'atl-gc-001.litwareinc.com',
        kind: 'persistent-chat',
        site: 'Atlanta',
        servers: [
          { fqdn: 'atl-pc-001.litwareinc.com', datacenter: 'atl', path: [] },
          { fqdn: 'dal-pc-001.litwareinc.com', datacenter: 'dal', path: [] },
        ],
        stores: {
          mgc: { primary: 'atl-pcsql', mirror: 'atl-pcsqlm', backup: 'dal-pcbak', backupMirror: 'dal-pcbakm' },
          mgccomp: { primary: 'atl-pcsql', backup: 'dal-pcbak', backupMirror: 'dal-pcbakm' },
        },
        logShipping: { share: '\\\\atl-fs-001.litwareinc.com\\pchat-logs', copyFolder: 'D:\\LogShipping\\mgc' },
        activeServerCollection: 'global',
        path: [],
      },
    ],
  };
}
