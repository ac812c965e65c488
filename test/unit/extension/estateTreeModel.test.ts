import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Estate, Pool } from '../../../src/core/estate/model';
import type { Problem } from '../../../src/core/text';
import {
  MAX_PROBLEM_NODES,
  childrenOf,
  estateDescription,
  estateNodes,
  rootNodes,
  sqlInstanceName,
  type EstateNode,
  type EstateView,
} from '../../../src/extension/estateTree/model';

/** The sample estate (samples/litware/lync-estate.yaml) as the loader gives it. */
function litware(): Estate {
  const sql = (index: number, id: string, server: string, datacenter: string) => ({
    id,
    server,
    instance: id.includes('pc') ? 'pchat' : 'rtc',
    datacenter,
    path: ['sqlInstances', index],
  });
  const servers = (pool: number, fqdns: string[], datacenters?: string[]) =>
    fqdns.map((fqdn, i) => ({ fqdn, ...(datacenters && { datacenter: datacenters[i] }), path: ['pools', pool, 'servers', i] }));
  const stores = { primary: 'atl-pcsql', mirror: 'atl-pcsqlm', backup: 'dal-pcbak', backupMirror: 'dal-pcbakm' };
  return {
    version: 1,
    name: 'Litware',
    datacenters: [
      { id: 'atl', name: 'Atlanta', path: ['datacenters', 0] },
      { id: 'dal', name: 'Dallas', path: ['datacenters', 1] },
    ],
    sqlInstances: [
      sql(0, 'atl-sql', 'atl-sql-001.litwareinc.com', 'atl'),
      sql(1, 'dal-sql', 'dal-sql-001.litwareinc.com', 'dal'),
      sql(2, 'atl-pcsql', 'atl-pcsql-001.litwareinc.com', 'atl'),
      sql(3, 'atl-pcsqlm', 'atl-pcsqlm-001.litwareinc.com', 'atl'),
      sql(4, 'dal-pcbak', 'dal-pcbak-001.litwareinc.com', 'dal'),
      sql(5, 'dal-pcbakm', 'dal-pcbakm-001.litwareinc.com', 'dal'),
    ],
    pools: [
      {
        fqdn: 'atl-cs-001.litwareinc.com',
        kind: 'front-end',
        site: 'Atlanta',
        datacenter: 'atl',
        servers: servers(0, ['atl-fe-001.litwareinc.com', 'atl-fe-002.litwareinc.com']),
        backupPool: 'dal-cs-001.litwareinc.com',
        path: ['pools', 0],
      },
      {
        fqdn: 'dal-cs-001.litwareinc.com',
        kind: 'front-end',
        site: 'Dallas',
        datacenter: 'dal',
        servers: servers(1, ['dal-fe-001.litwareinc.com', 'dal-fe-002.litwareinc.com']),
        backupPool: 'atl-cs-001.litwareinc.com',
        path: ['pools', 1],
      },
      {
        fqdn: 'atl-gc-001.litwareinc.com',
        kind: 'persistent-chat',
        site: 'Atlanta',
        servers: servers(
          2,
          ['atl-pc-001.litwareinc.com', 'atl-pc-002.litwareinc.com', 'dal-pc-001.litwareinc.com', 'dal-pc-002.litwareinc.com'],
          ['atl', 'atl', 'dal', 'dal'],
        ),
        stores: { mgc: stores, mgccomp: stores },
        logShipping: { share: '\\\\atl-fs-001.litwareinc.com\\pchat-logs', copyFolder: 'D:\\LogShipping\\mgc' },
        activeServerCollection: 'global',
        activeServers: ['atl-pc-001.litwareinc.com', 'atl-pc-002.litwareinc.com'],
        path: ['pools', 2],
      },
    ],
  };
}

const loaded = (estate: Estate | undefined, problems: Problem[] = []): EstateView => ({
  kind: 'loaded',
  ...(estate && { estate }),
  problems,
});

function problem(severity: Problem['severity'], line: number, message: string, rule = 'estate/test'): Problem {
  return { rule, severity, message, range: { start: { line, character: 2 }, end: { line, character: 9 } } };
}

const find = (nodes: EstateNode[], id: string): EstateNode => {
  const node = nodes.find((n) => n.id === id);
  assert.ok(node, `no node ${id} among ${nodes.map((n) => n.id).join(', ')}`);
  return node;
};

/** Every node of the tree, depth first, with its depth. */
function walk(nodes: EstateNode[], depth = 0): Array<{ node: EstateNode; depth: number }> {
  return nodes.flatMap((node) => [{ node, depth }, ...walk(childrenOf(node), depth + 1)]);
}

test('no estate, or discovery still running: no rows, so the welcome content shows', () => {
  assert.deepEqual(rootNodes({ kind: 'none' }), []);
  assert.deepEqual(rootNodes({ kind: 'searching' }), []);
});

test('top level: one row per site, in file order, counting its pools', () => {
  const roots = rootNodes(loaded(litware()));
  assert.deepEqual(
    roots.map((n) => [n.id, n.label, n.description, n.contextValue, n.collapsible, n.icon]),
    [
      ['site:Atlanta', 'Atlanta', '2 pools', 'site;source;', 'expanded', 'site'],
      ['site:Dallas', 'Dallas', '1 pool', 'site;source;', 'expanded', 'site'],
    ],
  );
  assert.deepEqual(roots[0].sourcePath, ['pools', 0, 'site']);
});

test('pools: icon and contextValue facets by kind, FQDN to copy, data centers as description', () => {
  const atlanta = childrenOf(find(rootNodes(loaded(litware())), 'site:Atlanta'));
  assert.deepEqual(
    atlanta.map((n) => [n.id, n.label, n.description, n.icon, n.contextValue, n.fqdn, n.collapsible]),
    [
      ['pool:atl-cs-001.litwareinc.com', 'atl-cs-001.litwareinc.com', 'Atlanta', 'front-end-pool', 'pool;kind=front-end;fqdn;source;', 'atl-cs-001.litwareinc.com', 'collapsed'],
      ['pool:atl-gc-001.litwareinc.com', 'atl-gc-001.litwareinc.com', 'Atlanta + Dallas', 'persistent-chat-pool', 'pool;kind=persistent-chat;fqdn;source;', 'atl-gc-001.litwareinc.com', 'collapsed'],
    ],
  );
  assert.deepEqual(atlanta[0].sourcePath, ['pools', 0]);
  assert.match(atlanta[0].tooltip ?? '', /Front End pool/);
  assert.match(atlanta[0].tooltip ?? '', /Backup pool: dal-cs-001\.litwareinc\.com/);
  // Menus match facets by regex: Copy FQDN on pools and servers, never on sites.
  assert.match(atlanta[1].contextValue, /;fqdn;/);
  assert.match(atlanta[1].contextValue, /^pool;kind=persistent-chat;/);
});

test('a Front End pool shows its servers with their data center, then its backup pool', () => {
  const pool = find(childrenOf(find(rootNodes(loaded(litware())), 'site:Atlanta')), 'pool:atl-cs-001.litwareinc.com');
  const children = childrenOf(pool);
  assert.deepEqual(
    children.map((n) => [n.id, n.label, n.description, n.contextValue]),
    [
      ['pool:atl-cs-001.litwareinc.com/server:atl-fe-001.litwareinc.com', 'atl-fe-001.litwareinc.com', 'Atlanta', 'server;fqdn;source;'],
      ['pool:atl-cs-001.litwareinc.com/server:atl-fe-002.litwareinc.com', 'atl-fe-002.litwareinc.com', 'Atlanta', 'server;fqdn;source;'],
      ['pool:atl-cs-001.litwareinc.com/paired', 'Paired with dal-cs-001.litwareinc.com', undefined, 'pairing;fqdn;source;'],
    ],
  );
  const paired = children[2];
  assert.equal(paired.icon, 'pairing');
  assert.equal(paired.fqdn, 'dal-cs-001.litwareinc.com');
  assert.deepEqual(paired.sourcePath, ['pools', 0, 'backupPool']);
  assert.deepEqual(children[1].sourcePath, ['pools', 0, 'servers', 1]);
  assert.deepEqual(childrenOf(children[0]), []);
});

test('a backup pool that the estate does not describe is flagged on the pairing row', () => {
  const estate = litware();
  const pools = [{ ...estate.pools[0], backupPool: 'nowhere.litwareinc.com' }];
  const pool = childrenOf(rootNodes(loaded({ ...estate, pools }))[0])[0];
  const paired = find(childrenOf(pool), 'pool:atl-cs-001.litwareinc.com/paired');
  assert.equal(paired.icon, 'warning');
  assert.equal(paired.description, 'not in this estate');
});

test('a Persistent Chat pool shows servers (active ones marked), then Databases → mgc, mgccomp → roles', () => {
  const pool = find(childrenOf(find(rootNodes(loaded(litware())), 'site:Atlanta')), 'pool:atl-gc-001.litwareinc.com');
  const children = childrenOf(pool);
  const id = 'pool:atl-gc-001.litwareinc.com';
  assert.deepEqual(
    children.map((n) => [n.id, n.description, n.contextValue]),
    [
      [`${id}/server:atl-pc-001.litwareinc.com`, 'Atlanta · active', 'server;active;fqdn;source;'],
      [`${id}/server:atl-pc-002.litwareinc.com`, 'Atlanta · active', 'server;active;fqdn;source;'],
      [`${id}/server:dal-pc-001.litwareinc.com`, 'Dallas', 'server;fqdn;source;'],
      [`${id}/server:dal-pc-002.litwareinc.com`, 'Dallas', 'server;fqdn;source;'],
      [`${id}/databases`, undefined, 'databases;source;'],
    ],
  );
  const databases = children[4];
  assert.equal(databases.label, 'Databases');
  assert.equal(databases.collapsible, 'expanded');
  assert.deepEqual(databases.sourcePath, ['pools', 2, 'stores']);

  const dbs = childrenOf(databases);
  assert.deepEqual(
    dbs.map((n) => [n.id, n.label, n.description, n.contextValue]),
    [
      [`${id}/db:mgc`, 'mgc', 'content', 'database;db=mgc;source;'],
      [`${id}/db:mgccomp`, 'mgccomp', 'compliance', 'database;db=mgccomp;source;'],
    ],
  );
  const roles = childrenOf(dbs[0]);
  assert.deepEqual(
    roles.map((n) => [n.id, n.label, n.description, n.contextValue]),
    [
      [`${id}/db:mgc/role:primary`, 'primary — atl-pcsql-001.litwareinc.com\\pchat', 'Atlanta', 'store;db=mgc;role=primary;source;'],
      [`${id}/db:mgc/role:mirror`, 'mirror — atl-pcsqlm-001.litwareinc.com\\pchat', 'Atlanta', 'store;db=mgc;role=mirror;source;'],
      [`${id}/db:mgc/role:backup`, 'backup — dal-pcbak-001.litwareinc.com\\pchat', 'Dallas', 'store;db=mgc;role=backup;source;'],
      [`${id}/db:mgc/role:backupMirror`, 'backup mirror — dal-pcbakm-001.litwareinc.com\\pchat', 'Dallas', 'store;db=mgc;role=backupMirror;source;'],
    ],
  );
  assert.deepEqual(roles[2].sourcePath, ['pools', 2, 'stores', 'mgc', 'backup']);
  assert.equal(roles[2].icon, 'sql-instance');
});

test('store roles: only the declared ones, unknown SQL instances flagged', () => {
  const estate = litware();
  const pc: Pool = { ...estate.pools[2], stores: { mgccomp: { primary: 'atl-pcsql', backup: 'nope' } } };
  const databases = find(childrenOf(childrenOf(rootNodes(loaded({ ...estate, pools: [pc] }))[0])[0]), 'pool:atl-gc-001.litwareinc.com/databases');
  const dbs = childrenOf(databases);
  assert.deepEqual(dbs.map((n) => n.label), ['mgccomp']);
  const roles = childrenOf(dbs[0]);
  assert.deepEqual(roles.map((n) => [n.label, n.description, n.icon]), [
    ['primary — atl-pcsql-001.litwareinc.com\\pchat', 'Atlanta', 'sql-instance'],
    ['backup — nope', 'unknown SQL instance', 'warning'],
  ]);
});

test('a Persistent Chat pool without stores still shows an empty Databases row', () => {
  const estate = litware();
  const { stores: _stores, ...pc } = estate.pools[2];
  const children = childrenOf(childrenOf(rootNodes(loaded({ ...estate, pools: [pc] }))[0])[0]);
  const databases = find(children, 'pool:atl-gc-001.litwareinc.com/databases');
  assert.equal(databases.collapsible, 'none');
  assert.equal(databases.description, 'none declared');
  assert.deepEqual(childrenOf(databases), []);
});

test('SQL instance names: default instance and port', () => {
  assert.equal(sqlInstanceName({ id: 'a', server: 'sql.litwareinc.com', path: [] }), 'sql.litwareinc.com');
  assert.equal(sqlInstanceName({ id: 'a', server: 'sql.litwareinc.com', instance: 'pchat', port: 1433, path: [] }), 'sql.litwareinc.com\\pchat,1433');
});

test('ids are unique across the whole tree and stable across reloads', () => {
  const first = walk(rootNodes(loaded(litware()))).map(({ node }) => node.id);
  const second = walk(rootNodes(loaded(litware()))).map(({ node }) => node.id);
  assert.equal(new Set(first).size, first.length);
  assert.deepEqual(second, first);
  // An edit elsewhere in the file (a new pool) leaves the other rows' ids alone.
  const estate = litware();
  const grown = { ...estate, pools: [{ ...estate.pools[0], fqdn: 'new-cs-001.litwareinc.com', site: 'Austin' }, ...estate.pools] };
  const after = new Set(walk(rootNodes(loaded(grown))).map(({ node }) => node.id));
  for (const id of first) assert.ok(after.has(id), `${id} survives`);
});

test('duplicated pool and server FQDNs (an estate check reports them) still get unique ids', () => {
  const estate = litware();
  const fe = estate.pools[0];
  const twice = { ...fe, servers: [...fe.servers, fe.servers[0]] };
  const ids = walk(rootNodes(loaded({ ...estate, pools: [twice, twice] }))).map(({ node }) => node.id);
  assert.equal(new Set(ids).size, ids.length);
});

test('pools without a site come last, under "No site"', () => {
  const estate = litware();
  const { site: _site, ...siteless } = estate.pools[1];
  const roots = rootNodes(loaded({ ...estate, pools: [siteless, estate.pools[0]] }));
  assert.deepEqual(roots.map((n) => [n.id, n.label, n.contextValue]), [
    ['site:Atlanta', 'Atlanta', 'site;source;'],
    ['site-unassigned', 'No site', 'site;'],
  ]);
  assert.equal(roots[1].sourcePath, undefined);
});

test('a servers data center falls back to the pools, then says it is not set', () => {
  const estate = litware();
  const { datacenter: _dc, ...noDc } = estate.pools[0];
  const servers = childrenOf(childrenOf(rootNodes(loaded({ ...estate, pools: [noDc] }))[0])[0]);
  assert.equal(servers[0].description, 'data center not set');
});

test('an estate that could not be loaded shows one row per error, opening the file at its range', () => {
  const problems = [
    problem('error', 7, 'Unknown SQL instance "atl-pcsqlx".\nDeclare it under sqlInstances or fix the id.', 'estate/unknown-sql-instance'),
    problem('error', 3, 'Expected a mapping.'),
  ];
  const roots = rootNodes(loaded(undefined, problems));
  assert.deepEqual(
    roots.map((n) => [n.label, n.description, n.icon, n.contextValue, n.range?.start.line]),
    [
      ['Expected a mapping.', 'line 4', 'error', 'problem;severity=error;source;', 3],
      ['Unknown SQL instance "atl-pcsqlx".', 'line 8', 'error', 'problem;severity=error;source;', 7],
    ],
  );
  assert.deepEqual(roots[1].range, problems[0].range);
  assert.equal(roots[1].tooltip, 'Declare it under sqlInstances or fix the id.\n(estate/unknown-sql-instance)');
});

test('errors hide the tree even when an estate was built; warnings follow in their own row', () => {
  const roots = rootNodes(loaded(litware(), [problem('warning', 12, 'Only one active server.'), problem('error', 20, 'A pool paired with itself.')]));
  assert.deepEqual(roots.map((n) => [n.kind, n.label]), [
    ['problem', 'A pool paired with itself.'],
    ['warnings', '1 warning'],
  ]);
});

test('warnings only: the tree shows, with a warnings row first listing them', () => {
  const warnings = [problem('warning', 30, 'Only one active server.'), problem('info', 5, 'Log shipping copy folder is on C:.')];
  const roots = rootNodes(loaded(litware(), warnings));
  assert.deepEqual(roots.map((n) => n.id), ['warnings', 'site:Atlanta', 'site:Dallas']);
  assert.equal(roots[0].label, '2 warnings');
  assert.equal(roots[0].collapsible, 'collapsed');
  const listed = childrenOf(roots[0]);
  assert.deepEqual(listed.map((n) => [n.label, n.icon, n.range?.start.line]), [
    ['Log shipping copy folder is on C:.', 'info', 5],
    ['Only one active server.', 'warning', 30],
  ]);
});

test('a file that cannot be read as an estate but reports no error still says so', () => {
  const roots = rootNodes(loaded(undefined));
  assert.deepEqual(roots.map((n) => [n.kind, n.icon]), [['unreadable', 'error']]);
});

test('an unreadable file is one error row with the reason', () => {
  const roots = rootNodes({ kind: 'unreadable', message: 'lync-estate.yaml is 50.0 MB.', detail: 'An estate may be at most 10 MB.' });
  assert.deepEqual(roots.map((n) => [n.id, n.label, n.icon, n.tooltip]), [
    ['unreadable', 'lync-estate.yaml is 50.0 MB.', 'error', 'lync-estate.yaml is 50.0 MB.\nAn estate may be at most 10 MB.'],
  ]);
});

test('hundreds of problems are capped, the rest summed up in one row', () => {
  const many = Array.from({ length: MAX_PROBLEM_NODES + 5 }, (_, i) => problem('error', i, `Problem ${i}`));
  const roots = rootNodes(loaded(undefined, many));
  assert.equal(roots.length, MAX_PROBLEM_NODES + 1);
  assert.equal(roots.at(-1)?.label, '…and 5 more');
  assert.equal(new Set(roots.map((n) => n.id)).size, roots.length);
});

test('identical problems still get unique ids', () => {
  const roots = rootNodes(loaded(undefined, [problem('error', 1, 'Same'), problem('error', 1, 'Same')]));
  assert.equal(new Set(roots.map((n) => n.id)).size, 2);
});

test('labels go through the translate function', () => {
  const shout = (message: string, ...args: Array<string | number | boolean>) =>
    message.toUpperCase().replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
  const roots = rootNodes(loaded(litware()), shout);
  assert.equal(roots[0].description, '2 POOLS');
  const fe = childrenOf(roots[0])[0];
  assert.equal(childrenOf(fe).at(-1)?.label, 'PAIRED WITH dal-cs-001.litwareinc.com');
});

test('500 pools: the first two levels are built level by level', () => {
  const base = litware();
  const pools: Pool[] = Array.from({ length: 500 }, (_, i) => ({
    ...base.pools[i % 3],
    fqdn: `pool-${String(i).padStart(3, '0')}.litwareinc.com`,
    site: `Site ${i % 10}`,
    path: ['pools', i],
  }));
  const roots = estateNodes({ ...base, pools });
  assert.equal(roots.length, 10);
  const second = roots.flatMap(childrenOf);
  assert.equal(second.length, 500);
  assert.equal(new Set(second.map((n) => n.id)).size, 500);
  assert.equal(roots[0].description, '50 pools');
  assert.equal(second[0].id, 'pool:pool-000.litwareinc.com');
});

test('the shipped sample, through the real loader and checks, shows its tree without problems', async () => {
  const { readFile } = await import('node:fs/promises');
  const { parseEstate } = await import('../../../src/core/estate/load');
  const { checkEstate } = await import('../../../src/core/estate/checks');
  const file = new URL('../../../samples/litware/lync-estate.yaml', import.meta.url);
  const result = parseEstate(await readFile(file, 'utf8'), file.href);
  assert.ok(result.estate, 'the sample loads');
  const problems = [...result.problems, ...checkEstate(result.estate, result.source)];
  const rows = walk(rootNodes(loaded(result.estate, problems)));
  assert.deepEqual(rows.filter(({ node }) => node.kind === 'problem').map(({ node }) => node.label), []);
  assert.deepEqual(rows.filter(({ depth }) => depth <= 1).map(({ node }) => node.id), [
    'site:Atlanta',
    'pool:atl-cs-001.litwareinc.com',
    'pool:atl-gc-001.litwareinc.com',
    'site:Dallas',
    'pool:dal-cs-001.litwareinc.com',
  ]);
  const backup = rows.find(({ node }) => node.id === 'pool:atl-gc-001.litwareinc.com/db:mgc/role:backup')?.node;
  assert.equal(backup?.label, 'backup — dal-pcbak-001.litwareinc.com\\pchat');
  assert.equal(backup?.description, 'Dallas');
  // Reveal in Estate File lands on the line the row comes from.
  assert.ok(backup?.sourcePath);
  const line = result.source.locate(backup.sourcePath).start.line;
  assert.match((await readFile(file, 'utf8')).split('\n')[line], /mgc:.*backup: dal-pcbak/);
});

test('a store tooltip names the SQL Server release when the estate records it', () => {
  const estate = litware();
  const versioned = { ...estate, sqlInstances: estate.sqlInstances.map((i) => (i.id === 'dal-pcbak' ? { ...i, sqlVersion: '2008R2' as const } : i)) };
  const stores = walk(rootNodes(loaded(versioned))).map(({ node }) => node).filter((n) => n.kind === 'store');
  const tooltips = (id: string) => stores.filter((n) => n.live?.kind === 'store' && n.live.instanceId === id).map((n) => n.tooltip ?? '');
  assert.ok(tooltips('dal-pcbak').length > 0 && tooltips('dal-pcbak').every((t) => t.endsWith(', SQL Server 2008 R2')), tooltips('dal-pcbak').join(' | '));
  assert.ok(tooltips('atl-pcsql').every((t) => !t.includes('SQL Server 20')), 'no release when the estate says none');
});

test('the view describes the estate by its name and, when recorded, its Lync product', () => {
  assert.equal(estateDescription(litware()), litware().name);
  assert.equal(estateDescription({ ...litware(), product: 'sfb2015' }), `${litware().name} · Skype for Business Server 2015`);
  assert.equal(estateDescription({ ...litware(), product: 'lync2013' }), `${litware().name} · Lync Server 2013`);
});
