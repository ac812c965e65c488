import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { SourcePath } from '../../../src/core/estate/model';
import {
  importTopology,
  MAX_TOPOLOGY_CHARS,
  PUBLISHED_TOPOLOGY_NAMESPACE,
  TOPOLOGY_EXPORT_COMMAND,
  type TopologyImportResult,
} from '../../../src/core/estate/topology';
import { TODO_PLACEHOLDER } from '../../../src/core/estate/write';
import { normalizeServers, plainEstate, valueAt, without } from '../../fixtures/topology/plain';

const root = join(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const fixture = (name: string) => read(join('test', 'fixtures', 'topology', name));

function imported(xml: string) {
  const result = importTopology(xml);
  if (!result.ok) assert.fail(`import failed: ${result.error.message}`);
  return result;
}

function refused(result: TopologyImportResult) {
  if (result.ok) assert.fail('import should have been refused');
  return result.error;
}

const todoPaths = (todos: readonly { path: SourcePath }[]) => todos.map((t) => t.path.join('.'));
const published = (body: string) => `<Topology xmlns="${PUBLISHED_TOPOLOGY_NAMESPACE}" Signature="00000000-0000-0000-0000-000000000000">${body}</Topology>`;

describe('importTopology: the Litware sample', () => {
  const result = imported(read('samples/litware/topology.xml'));
  const sample = normalizeServers(parse(read('samples/litware/lync-estate.yaml')));

  test('exactly the fields a topology cannot carry are TODOs', () => {
    assert.deepEqual(todoPaths(result.todos), [
      'sqlInstances.4.datacenter', // dal-pcbak: backup store, defined in site Atlanta, physically in Dallas
      'sqlInstances.5.datacenter', // dal-pcbakm: its mirror
      'pools.2.servers.0.datacenter', // stretched pool: one logical site, no physical data center
      'pools.2.servers.1.datacenter',
      'pools.2.servers.2.datacenter',
      'pools.2.servers.3.datacenter',
      'pools.2.logShipping.share', // log shipping lives in SQL Server, not in the topology
      'pools.2.logShipping.copyFolder',
      'pools.2.activeServerCollection',
      'pools.2.activeServers',
    ]);
  });

  test('reproduces the sample estate apart from the TODOs and the name', () => {
    const estate = plainEstate(result.estate);
    for (const todo of result.todos) {
      assert.equal(valueAt(estate, todo.path), undefined, `${todo.path.join('.')} is left empty`);
      assert.notEqual(valueAt(sample, todo.path), undefined, `${todo.path.join('.')} is something the sample needed`);
    }
    // The topology has no estate name: the default SIP domain stands in.
    assert.equal(result.estate.name, 'litwareinc.com');
    const paths = result.todos.map((t) => t.path);
    assert.deepEqual(without(estate, [['name']]), without(sample, [['name'], ...paths]));
  });

  test('decodes the assumed pairing and store encodings', () => {
    const [atl, dal, pc] = result.estate.pools;
    assert.equal(atl.backupPool, 'dal-cs-001.litwareinc.com');
    assert.equal(dal.backupPool, 'atl-cs-001.litwareinc.com');
    assert.equal(pc.kind, 'persistent-chat');
    assert.equal(pc.datacenter, undefined);
    const roles = { primary: 'atl-pcsql', mirror: 'atl-pcsqlm', backup: 'dal-pcbak', backupMirror: 'dal-pcbakm' };
    assert.deepEqual(pc.stores, { mgc: roles, mgccomp: roles });
  });

  test('source paths are where the YAML puts each entity', () => {
    assert.deepEqual(result.estate.sqlInstances[4].path, ['sqlInstances', 4]);
    assert.deepEqual(result.estate.pools[2].servers[3].path, ['pools', 2, 'servers', 3]);
  });

  test('the YAML parses back to the estate, with placeholders exactly at the TODOs', () => {
    const data = parse(result.yaml);
    for (const todo of result.todos) {
      const expected = todo.path.at(-1) === 'activeServers' ? [TODO_PLACEHOLDER] : TODO_PLACEHOLDER;
      assert.deepEqual(valueAt(data, todo.path), expected, todo.path.join('.'));
    }
    const paths = result.todos.map((t) => t.path);
    assert.deepEqual(without(normalizeServers(data), paths), plainEstate(result.estate));
  });

  test('the YAML has one TODO comment per TODO, right above its placeholder', () => {
    const lines = result.yaml.split('\n');
    assert.equal(lines.filter((l) => /^\s*# TODO:/.test(l)).length, result.todos.length);
    const share = lines.findIndex((l) => l.trim() === `share: ${TODO_PLACEHOLDER}`);
    assert.match(lines.slice(0, share).reverse().find((l) => l.includes('# TODO:')) ?? '', /UNC share/);
    assert.match(lines[0], /^# .*drafted from a published topology/);
  });
});

describe('importTopology: other topologies', () => {
  test('a topology without a Persistent Chat pool: Front End pool only, nothing to complete', () => {
    const result = imported(fixture('no-pc-pool.xml'));
    assert.deepEqual(result.todos, []);
    assert.deepEqual(plainEstate(result.estate), {
      estate: 1,
      name: 'fabrikam.com',
      datacenters: [{ id: 'red', name: 'Redmond' }],
      // the default SQL instance has no name
      sqlInstances: [{ id: 'red-sql', server: 'red-sql-001.fabrikam.com', datacenter: 'red' }],
      // the Director (Registrar IsDirector="true") and the Edge pool are not pools of the estate
      pools: [
        {
          fqdn: 'red-cs-001.fabrikam.com',
          kind: 'front-end',
          site: 'Redmond',
          datacenter: 'red',
          servers: [{ fqdn: 'red-fe-001.fabrikam.com' }, { fqdn: 'red-fe-002.fabrikam.com' }, { fqdn: 'red-fe-003.fabrikam.com' }],
        },
      ],
    });
    assert.doesNotMatch(result.yaml, /TODO/);
  });

  test('without the assumed encodings, pairing, backup and mirrors become TODOs', () => {
    const result = imported(fixture('pc-unlinked.xml'));
    assert.deepEqual(todoPaths(result.todos), [
      'sqlInstances.1.datacenter',
      'pools.0.backupPool',
      'pools.1.backupPool',
      'pools.2.servers.0.datacenter',
      'pools.2.servers.1.datacenter',
      'pools.2.stores.mgc.mirror',
      'pools.2.stores.mgc.backup',
      'pools.2.stores.mgc.backupMirror',
      'pools.2.logShipping.share',
      'pools.2.logShipping.copyFolder',
      'pools.2.activeServerCollection',
      'pools.2.activeServers',
    ]);
    const pc = result.estate.pools[2];
    // primary from the Default dependency; no compliance store in this topology
    assert.deepEqual(pc.stores, { mgc: { primary: 'par-pcsql' } });
    const backup = result.todos.find((t) => t.path.join('.') === 'pools.2.stores.mgc.backup');
    assert.match(backup?.message ?? '', /not link to this pool: lyo-pcsql/);
    assert.equal(result.estate.pools[0].backupPool, undefined);
  });

  test('a BOM and a prefixed root element are accepted', () => {
    const xml = `\uFEFF<t:Topology xmlns:t="${PUBLISHED_TOPOLOGY_NAMESPACE}"><t:Sites><t:CentralSite SiteId="1"><t:Name>Oslo</t:Name></t:CentralSite></t:Sites></t:Topology>`;
    const result = imported(xml);
    assert.deepEqual(plainEstate(result.estate), { estate: 1, name: 'Oslo', datacenters: [{ id: 'oslo', name: 'Oslo' }], sqlInstances: [], pools: [] });
  });

  test('SQL instance ids stay unique when host names collide', () => {
    const cluster = (n: number, fqdn: string) => `<Cluster Fqdn="${fqdn}"><ClusterId SiteId="1" Number="${n}" /></Cluster>`;
    const sql = (n: number, name: string) => `<SqlInstance><SqlInstanceId Name="${name}"><ClusterId SiteId="1" Number="${n}" /></SqlInstanceId></SqlInstance>`;
    const result = imported(
      published(
        `<Sites><CentralSite SiteId="1"><Name>Oslo</Name></CentralSite></Sites>` +
          `<Clusters>${cluster(1, 'osl-sql-001.x.com')}${cluster(2, 'osl-sql-002.x.com')}${cluster(3, 'osl-mon-001.x.com')}</Clusters>` +
          `<SqlInstances>${sql(1, 'rtc')}${sql(1, 'pchat')}${sql(2, 'rtc')}${sql(3, 'rtc')}</SqlInstances>`,
      ),
    );
    assert.deepEqual(
      result.estate.sqlInstances.map((s) => s.id),
      ['osl-sql-001-rtc', 'osl-sql-001-pchat', 'osl-sql-002', 'osl-mon'],
    );
  });
});

describe('importTopology: refusals', () => {
  test('a Topology Builder document (.tbxml) is refused with the export command', () => {
    const error = refused(importTopology(fixture('litware.tbxml')));
    assert.match(error.message, /Topology Builder document \(\.tbxml\)/);
    assert.ok(error.message.includes('Lync Server Management Shell'));
    assert.ok(error.message.includes(TOPOLOGY_EXPORT_COMMAND));
    assert.equal(TOPOLOGY_EXPORT_COMMAND, 'Get-CsTopology -AsXml | Out-File topology.xml');
  });

  test('malformed XML gives the 1-based line and column', () => {
    const error = refused(importTopology(fixture('malformed.xml')));
    assert.match(error.message, /not well-formed XML: Expected closing tag 'CentralSite'/);
    assert.equal(error.line, 6);
    assert.equal(error.column, 5);
  });

  test('a Topology root in another namespace is refused', () => {
    const error = refused(importTopology('<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.WritableTopology.2008" />'));
    assert.match(error.message, /namespace urn:schema:Microsoft\.Rtc\.Management\.Deploy\.WritableTopology\.2008, not urn:schema:Microsoft\.Rtc\.Management\.Deploy\.Topology\.2008/);
    assert.match(refused(importTopology('<Topology><Sites /></Topology>')).message, /has no namespace/);
  });

  test('another root element is refused, naming it', () => {
    const error = refused(importTopology('<?xml version="1.0"?>\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04" />'));
    assert.match(error.message, /root element is <Objs>, not <Topology>/);
    assert.ok(error.message.includes(TOPOLOGY_EXPORT_COMMAND));
  });

  test('an empty or blank text is refused with the export command', () => {
    for (const text of ['', '  \r\n\t', '\uFEFF']) {
      const error = refused(importTopology(text));
      assert.match(error.message, /empty/);
      assert.ok(error.message.includes(TOPOLOGY_EXPORT_COMMAND));
    }
  });

  test('a 50 MB text is refused for its size before any parsing', () => {
    const huge = published('<Sites>' + ' '.repeat(50 * 1024 * 1024) + '</Sites>');
    const started = performance.now();
    const error = refused(importTopology(huge));
    assert.ok(performance.now() - started < 1000, 'refused without reading the XML');
    assert.match(error.message, /50\.0 MiB; a topology larger than 10\.0 MiB is not read/);
    assert.equal(MAX_TOPOLOGY_CHARS, 10 * 1024 * 1024);
  });

  test('UTF-16 text decoded as UTF-8 is recognised by its NUL characters', () => {
    const garbled = [...published('')].join('\0');
    assert.match(refused(importTopology(garbled)).message, /probably UTF-16/);
  });

  test('a DOCTYPE is refused (no entity expansion)', () => {
    const xml = `<!DOCTYPE Topology [<!ENTITY a "aaaaaaaaaa">]>\n${published('<Sites />')}`;
    assert.match(refused(importTopology(xml)).message, /DOCTYPE/);
  });

  test('two root elements are refused', () => {
    const empty = `<Topology xmlns="${PUBLISHED_TOPOLOGY_NAMESPACE}" />`;
    assert.match(refused(importTopology(`${empty}\n${empty}`)).message, /2 root elements/);
    assert.match(refused(importTopology(`${published('')}${published('')}`)).message, /Multiple possible root nodes/);
  });

  test('a dangling reference is refused as an incomplete topology', () => {
    const xml = published(
      '<Sites><CentralSite SiteId="1"><Name>Oslo</Name></CentralSite></Sites>' +
        '<Services><Service><ServiceId SiteId="1" RoleName="UserServices" Instance="1" /><InstalledOn><ClusterId SiteId="1" Number="9" /></InstalledOn></Service></Services>',
    );
    assert.match(refused(importTopology(xml)).message, /incomplete: Service 1-UserServices-1 is installed on cluster 1:9, which the topology does not define/);
  });
});
