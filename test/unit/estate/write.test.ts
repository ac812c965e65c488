import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import type { Estate } from '../../../src/core/estate/model';
import { estateToYaml, TODO_PLACEHOLDER } from '../../../src/core/estate/write';
import { estateFromData, normalizeServers, plainEstate } from '../../fixtures/topology/plain';

const sampleData = parse(readFileSync(join(__dirname, '..', '..', '..', 'samples', 'litware', 'lync-estate.yaml'), 'utf8'));
const sample = estateFromData(sampleData);

test('the sample estate is written back to the same data, without a draft header', () => {
  const yaml = estateToYaml(sample);
  assert.deepEqual(normalizeServers(parse(yaml)), normalizeServers(sampleData));
  assert.ok(yaml.startsWith('estate: 1\nname: Litware\n'));
  assert.doesNotMatch(yaml, /TODO|drafted/);
});

test('the style of the samples: flow mappings per line, block pools, aligned stores, quoted shares', () => {
  const lines = estateToYaml(sample).split('\n');
  for (const expected of [
    '  - { id: atl, name: Atlanta }',
    '  - { id: dal-pcbak, server: dal-pcbak-001.litwareinc.com, instance: pchat, datacenter: dal }',
    '  - fqdn: atl-cs-001.litwareinc.com',
    '    servers: [atl-fe-001.litwareinc.com, atl-fe-002.litwareinc.com]',
    '      - { fqdn: dal-pc-001.litwareinc.com, datacenter: dal }',
    '      mgc:     { primary: atl-pcsql, mirror: atl-pcsqlm, backup: dal-pcbak, backupMirror: dal-pcbakm }',
    '      mgccomp: { primary: atl-pcsql, mirror: atl-pcsqlm, backup: dal-pcbak, backupMirror: dal-pcbakm }',
    "      share: '\\\\atl-fs-001.litwareinc.com\\pchat-logs'",
    '    activeServers: [atl-pc-001.litwareinc.com, atl-pc-002.litwareinc.com]',
  ]) {
    assert.ok(lines.includes(expected), `missing line: ${expected}`);
  }
});

test('values YAML would misread are quoted, and read back unchanged', () => {
  const estate: Estate = {
    version: 1,
    name: 'true',
    datacenters: [
      { id: '01', name: "O'Brien: HQ, #1", path: ['datacenters', 0] },
      { id: 'tab', name: 'a\tb', path: ['datacenters', 1] },
    ],
    sqlInstances: [{ id: 'null', server: 'sql.x.com', instance: '1e3', port: 1433, datacenter: '01', path: ['sqlInstances', 0] }],
    pools: [],
  };
  const yaml = estateToYaml(estate);
  assert.deepEqual(parse(yaml), plainEstate(estate));
  assert.match(yaml, /^pools: \[\]$/m);
  assert.match(yaml, /port: 1433 \}/);
});

test('TODOs: a wrapped comment above each place, placeholders where the value is missing', () => {
  const estate: Estate = {
    version: 1,
    name: 'Litware',
    datacenters: sample.datacenters,
    sqlInstances: [],
    pools: [{ fqdn: 'atl-gc-001.litwareinc.com', kind: 'persistent-chat', servers: [{ fqdn: 'atl-pc-001.litwareinc.com', path: ['pools', 0, 'servers', 0] }], path: ['pools', 0] }],
  };
  const long = 'word '.repeat(40).trim();
  const yaml = estateToYaml(estate, [
    { path: ['pools', 0, 'servers', 0, 'datacenter'], message: 'Physical data center.' },
    { path: ['pools', 0, 'stores', 'mgc', 'backup'], message: 'Backup store.' },
    { path: ['pools', 0, 'logShipping', 'copyFolder'], message: long },
    { path: ['pools', 0, 'activeServers'], message: 'Active servers.' },
    { path: ['pools', 0, 'nowhere'], message: 'Kept anyway.' },
  ]);
  const lines = yaml.split('\n');
  const above = (line: string) => lines[lines.indexOf(line) - 1];
  assert.equal(above('      - { fqdn: atl-pc-001.litwareinc.com, datacenter: TODO }'), '      # TODO: Physical data center.');
  assert.equal(above('      mgc: { backup: TODO }'), '      # TODO: Backup store.');
  assert.equal(above('    activeServers: [TODO]'), '    # TODO: Active servers.');
  assert.ok(lines.includes('      copyFolder: TODO'));
  assert.ok(!lines.some((l) => l.trim().startsWith('share:')), 'no placeholder without a TODO');
  assert.ok(lines.filter((l) => l.includes('# ')).every((l) => l.length <= 100), 'comments wrap at 100 columns');
  assert.match(lines.at(-2) ?? '', /^# TODO \(at pools\.0\.nowhere\): Kept anyway\.$/);
  assert.match(yaml, /^# Lync Recovery estate, drafted from a published topology/);
  assert.match(yaml, /complete the 5 places marked "# TODO:"/);

  const data = parse(yaml);
  assert.equal(data.pools[0].servers[0].datacenter, TODO_PLACEHOLDER);
  assert.deepEqual(data.pools[0].stores, { mgc: { backup: TODO_PLACEHOLDER } });
  assert.deepEqual(data.pools[0].logShipping, { copyFolder: TODO_PLACEHOLDER });
  assert.deepEqual(data.pools[0].activeServers, [TODO_PLACEHOLDER]);
});

test('a draft with nothing left to complete says so', () => {
  assert.match(estateToYaml(sample, []), /^# .*drafted from a published topology.*\n# The topology told everything/);
});

test('a long server list is written one server per line', () => {
  const servers = Array.from({ length: 6 }, (_, i) => ({ fqdn: `atl-fe-00${i + 1}.litwareinc.com`, path: ['pools', 0, 'servers', i] }));
  const estate: Estate = { ...sample, pools: [{ fqdn: 'atl-cs-001.litwareinc.com', kind: 'front-end', servers, path: ['pools', 0] }] };
  const yaml = estateToYaml(estate);
  assert.match(yaml, / {4}servers:\n {6}- atl-fe-001\.litwareinc\.com\n/);
  assert.deepEqual(normalizeServers(parse(yaml)), plainEstate(estate));
});
