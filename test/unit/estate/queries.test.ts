import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseEstate } from '../../../src/core/estate/load';
import type { Estate } from '../../../src/core/estate/model';
import { datacenterOfServer, estateIndex, findDatacenter, findPool, findSqlInstance, pairedPool, poolOfServer, poolsOfKind, sitesOf, storeInstance } from '../../../src/core/estate/queries';

function load(text: string): Estate {
  const { estate } = parseEstate(text, 'e.yaml');
  assert.ok(estate);
  return estate;
}

const litware = load(readFileSync('samples/litware/lync-estate.yaml', 'utf8'));
const [atlFe, dalFe, chat] = litware.pools;

describe('estate queries', () => {
  it('finds pools and servers by FQDN whatever the case', () => {
    assert.equal(findPool(litware, 'ATL-CS-001.LitwareInc.com'), atlFe);
    assert.equal(findPool(litware, 'atl-cs-002.litwareinc.com'), undefined);
    assert.equal(poolOfServer(litware, 'DAL-PC-002.litwareinc.com'), chat);
    assert.equal(poolOfServer(litware, 'dal-fe-001.litwareinc.com'), dalFe);
    assert.equal(poolOfServer(litware, 'nowhere.litwareinc.com'), undefined);
  });

  it('finds SQL instances and data centers by id, letter case aside (one rule for every front end)', () => {
    assert.equal(findSqlInstance(litware, 'dal-pcbak')?.server, 'dal-pcbak-001.litwareinc.com');
    assert.equal(findSqlInstance(litware, 'DAL-PCBAK')?.server, 'dal-pcbak-001.litwareinc.com');
    assert.equal(findSqlInstance(litware, 'dal-pcbak-x'), undefined);
    assert.equal(findDatacenter(litware, 'dal')?.name, 'Dallas');
    assert.equal(findDatacenter(litware, 'Dal')?.name, 'Dallas');
  });

  it('follows pairing and store roles', () => {
    assert.equal(pairedPool(litware, atlFe), dalFe);
    assert.equal(pairedPool(litware, chat), undefined);
    const cases = [
      ['mgc', 'primary', 'atl-pcsql'],
      ['mgc', 'backupMirror', 'dal-pcbakm'],
      ['mgccomp', 'backup', 'dal-pcbak'],
    ] as const;
    for (const [database, role, id] of cases) assert.equal(storeInstance(litware, chat, database, role)?.id, id);
    assert.equal(storeInstance(litware, atlFe, 'mgc', 'primary'), undefined);
  });

  it("gives a server's data center, its own before its pool's", () => {
    assert.equal(datacenterOfServer(chat, 'DAL-PC-001.litwareinc.com'), 'dal');
    assert.equal(datacenterOfServer(atlFe, 'atl-fe-002.litwareinc.com'), 'atl');
    assert.equal(datacenterOfServer(atlFe, 'dal-fe-001.litwareinc.com'), undefined);
  });

  it('lists pools of a kind, and sites in file order', () => {
    assert.deepEqual(poolsOfKind(litware, 'persistent-chat'), [chat]);
    assert.deepEqual(poolsOfKind(litware, 'front-end'), [atlFe, dalFe]);
    const estate = load('estate: 1\nname: x\npools:\n' + [['b.x.com', 'Dallas'], ['a.x.com', 'Atlanta'], ['c.x.com', undefined], ['d.x.com', 'Dallas']]
      .map(([fqdn, site]) => `  - { fqdn: ${fqdn}, kind: front-end, servers: []${site ? `, site: ${site}` : ''} }\n`).join(''));
    assert.deepEqual(sitesOf(estate).map((s) => [s.name, s.pools.map((p) => p.fqdn)]), [
      ['Dallas', ['b.x.com', 'd.x.com']],
      ['Atlanta', ['a.x.com']],
      [undefined, ['c.x.com']],
    ]);
  });

  it('builds the index once per estate, and the first of two same names wins', () => {
    assert.equal(estateIndex(litware), estateIndex(litware));
    const estate = load('estate: 1\nname: x\npools:\n  - { fqdn: a.x.com, kind: front-end, servers: [s.x.com] }\n  - { fqdn: A.x.com, kind: persistent-chat, servers: [S.x.com] }\n');
    assert.equal(findPool(estate, 'a.x.com')?.kind, 'front-end');
    assert.equal(poolOfServer(estate, 's.x.com')?.kind, 'front-end');
  });
});
