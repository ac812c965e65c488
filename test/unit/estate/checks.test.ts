import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESTATE_CHECKS, checkEstate } from '../../../src/core/estate/checks';
import { parseEstate } from '../../../src/core/estate/load';
import type { Problem, Range } from '../../../src/core/text';
import { VALID_ESTATE, edit, rangeOf } from './helpers';

function loadAndCheck(text: string): Problem[] {
  const { estate, source, problems } = parseEstate(text, 'lync-estate.yaml');
  assert.deepEqual(problems, [], 'the estate should load cleanly');
  assert.ok(estate);
  return checkEstate(estate, source);
}

interface Case {
  readonly id: string;
  /** VALID_ESTATE with one mistake. */
  readonly bad: string;
  /** Where the problem is reported: [text that identifies the line, text on it]. */
  readonly at: readonly [string, string?];
  /** A near miss that must not be reported; VALID_ESTATE when absent. */
  readonly good?: string;
}

const V = VALID_ESTATE;
const DAL_PC1 = '      - { fqdn: dal-pc1.contoso.com, datacenter: dal }\n';
/** Servers pc0… of the Persistent Chat pool, to put in place of DAL_PC1 (atl-pc1 stays first). */
const pcServers = (count: number) => Array.from({ length: count }, (_, i) => `      - { fqdn: pc${i}.contoso.com, datacenter: atl }\n`).join('');
const pcNames = (count: number) => Array.from({ length: count }, (_, i) => `pc${i}.contoso.com`).join(', ');

const CASES: readonly Case[] = [
  { id: 'estate/duplicate-id', bad: edit(V, '  - { id: dal, name: Dallas }\n', '  - { id: dal, name: Dallas }\n  - { id: dal, name: Dallas again }\n'), at: ['Dallas again', 'dal'] },
  {
    id: 'estate/duplicate-pool',
    bad: `${V}  - { fqdn: ATL-CS.contoso.com, kind: front-end, datacenter: atl, servers: [atl-fe9.contoso.com] }\n`,
    at: ['ATL-CS.contoso.com'],
  },
  { id: 'estate/duplicate-server', bad: edit(V, '[atl-fe1.contoso.com]', '[atl-fe1.contoso.com, ATL-FE1.contoso.com]'), at: ['ATL-FE1.contoso.com'] },
  { id: 'estate/server-in-two-pools', bad: edit(V, '[dal-fe1.contoso.com]', '[dal-fe1.contoso.com, atl-fe1.contoso.com]'), at: ['dal-fe1.contoso.com, atl-fe1', 'atl-fe1.contoso.com'] },
  { id: 'estate/unknown-datacenter', bad: edit(V, 'dal-pcbak.contoso.com, datacenter: dal', 'dal-pcbak.contoso.com, datacenter: dfw'), at: ['datacenter: dfw', 'dfw'] },
  { id: 'estate/unknown-sql-instance', bad: edit(V, 'backup: dal-pcbak }', 'backup: dal-pcbackup }'), at: ['dal-pcbackup'] },
  {
    id: 'estate/unknown-cms-pool',
    bad: `${V}centralManagementStore: atl-gc.contoso.com\n`,
    at: ['centralManagementStore', 'atl-gc.contoso.com'],
    good: `${edit(V, '    backupPool: dal-cs.contoso.com\n', '    backupPool: dal-cs.contoso.com\n    edgeNextHopFor: [atl-edge.contoso.com]\n')}centralManagementStore: atl-cs.contoso.com\n`,
  },
  { id: 'estate/unknown-backup-pool', bad: edit(V, 'backupPool: dal-cs.contoso.com', 'backupPool: dfw-cs.contoso.com'), at: ['dfw-cs.contoso.com'] },
  {
    id: 'estate/pool-paired-with-itself',
    bad: edit(V, 'backupPool: dal-cs.contoso.com', 'backupPool: ATL-cs.contoso.com'),
    at: ['ATL-cs.contoso.com'],
  },
  { id: 'estate/paired-pool-wrong-kind', bad: edit(V, 'backupPool: dal-cs.contoso.com', 'backupPool: atl-gc.contoso.com'), at: ['backupPool: atl-gc.contoso.com', 'atl-gc.contoso.com'] },
  {
    id: 'estate/pairing-not-symmetric',
    bad: edit(V, '    backupPool: atl-cs.contoso.com\n', ''),
    at: ['backupPool: dal-cs.contoso.com', 'dal-cs.contoso.com'],
    good: edit(V, 'backupPool: atl-cs.contoso.com', 'backupPool: ATL-CS.contoso.com'),
  },
  {
    id: 'estate/store-role-on-front-end',
    bad: edit(V, '[atl-fe1.contoso.com]\n', '[atl-fe1.contoso.com]\n    stores: { mgc: { primary: atl-pcsql } }\n'),
    at: ['stores: { mgc', '{ mgc: { primary: atl-pcsql } }'],
  },
  {
    id: 'estate/field-not-for-kind',
    bad: edit(V, '[atl-fe1.contoso.com]\n', '[atl-fe1.contoso.com]\n    activeServers: [atl-fe1.contoso.com]\n'),
    at: ['activeServers: [atl-fe1', '[atl-fe1.contoso.com]'],
  },
  {
    id: 'estate/server-without-datacenter',
    bad: edit(V, '{ fqdn: dal-pc1.contoso.com, datacenter: dal }', 'dal-pc1.contoso.com'),
    at: ['- dal-pc1.contoso.com', 'dal-pc1.contoso.com'],
    // A pool in one data center needs no per-server data center.
    good: edit(edit(V, '{ fqdn: dal-pc1.contoso.com, datacenter: dal }', 'atl-pc2.contoso.com'), '    site: Atlanta\n    servers:', '    site: Atlanta\n    datacenter: atl\n    servers:'),
  },
  {
    id: 'estate/more-than-8-pc-servers',
    bad: edit(V, DAL_PC1, pcServers(8)),
    at: ['pc7.contoso.com', '{ fqdn: pc7.contoso.com, datacenter: atl }'],
  },
  {
    id: 'estate/too-many-active-servers',
    bad: edit(V, '[atl-pc1.contoso.com]', `[${pcNames(5)}]`),
    at: ['pc4.contoso.com'],
    good: edit(edit(V, DAL_PC1, pcServers(4)), '[atl-pc1.contoso.com]', `[${pcNames(4)}]`),
  },
  { id: 'estate/active-server-not-in-pool', bad: edit(V, '[atl-pc1.contoso.com]', '[atl-pc9.contoso.com]'), at: ['atl-pc9.contoso.com'], good: edit(V, '[atl-pc1.contoso.com]', '[ATL-PC1.contoso.com]') },
  { id: 'estate/missing-primary-store', bad: edit(V, 'mgc: { primary: atl-pcsql, mirror', 'mgc: { mirror'), at: ['mgc: { mirror', '{ mirror: atl-pcsqlm, backup: dal-pcbak }'] },
  { id: 'estate/store-roles-share-instance', bad: edit(V, 'mirror: atl-pcsqlm', 'mirror: atl-pcsql'), at: ['mirror: atl-pcsql,', 'atl-pcsql'] },
  { id: 'estate/missing-backup-store', bad: edit(V, ', backup: dal-pcbak }', ' }'), at: ['mgc: {', '{ primary: atl-pcsql, mirror: atl-pcsqlm }'] },
  { id: 'estate/backup-in-primary-datacenter', bad: edit(V, 'dal-pcbak.contoso.com, datacenter: dal', 'dal-pcbak.contoso.com, datacenter: atl'), at: ['backup: dal-pcbak', 'dal-pcbak'] },
  { id: 'estate/log-shipping-missing', bad: edit(V, "    logShipping: { share: '\\\\fs.contoso.com\\logs', copyFolder: 'D:\\LS' }\n", ''), at: ['fqdn: atl-gc.contoso.com', 'atl-gc.contoso.com'] },
  { id: 'estate/invalid-fqdn', bad: edit(V, '[atl-fe1.contoso.com]', '[atl-fe1]'), at: ['[atl-fe1]', 'atl-fe1'], good: edit(V, '[atl-fe1.contoso.com]', '[ATL-FE1.Contoso.COM]') },
  { id: 'estate/invalid-unc-path', bad: edit(V, "'\\\\fs.contoso.com\\logs'", "'\\fs.contoso.com\\logs'"), at: ['share:', "'\\fs.contoso.com\\logs'"] },
  {
    id: 'estate/invalid-folder-path',
    bad: edit(V, "copyFolder: 'D:\\LS'", "copyFolder: 'LS'"),
    at: ['copyFolder', "'LS'"],
    good: edit(V, "copyFolder: 'D:\\LS'", "copyFolder: '\\\\dal-pcbak.contoso.com\\LS$'"),
  },
  { id: 'estate/invalid-sql-instance-name', bad: edit(V, 'instance: pchat,', 'instance: "pc;hat",'), at: ['instance:', '"pc;hat"'], good: edit(V, 'instance: pchat,', 'instance: PCHAT_2$,') },
  {
    id: 'estate/invalid-active-server-collection',
    bad: edit(V, '    activeServers:', '    activeServerCollection: "service: atl-gc.contoso.com"\n    activeServers:'),
    at: ['activeServerCollection', '"service: atl-gc.contoso.com"'],
    good: edit(V, '    activeServers:', '    activeServerCollection: global\n    activeServers:'),
  },
];

/**
 * Values the procedures' parsers refuse, which the patterns alone let through: each is an error
 * at its line (issue 17: one bad value used to drop every precondition of a run, silently).
 */
const PARSER_CASES: readonly Case[] = [
  { id: 'estate/invalid-unc-path', bad: edit(V, "'\\\\fs.contoso.com\\logs'", '"\\\\\\\\fs.contoso.com\\\\lo\u2019gs"'), at: ['share:', '"\\\\\\\\fs.contoso.com\\\\lo\u2019gs"'] },
  { id: 'estate/invalid-unc-path', bad: edit(V, "'\\\\fs.contoso.com\\logs'", `'\\\\fs.contoso.com\\${'l'.repeat(270)}'`), at: ['share:', `'\\\\fs.contoso.com\\${'l'.repeat(270)}'`] },
  { id: 'estate/invalid-folder-path', bad: edit(V, "copyFolder: 'D:\\LS'", "copyFolder: 'D:\\L\u201cS'"), at: ['copyFolder', "'D:\\L\u201cS'"] },
  { id: 'estate/invalid-fqdn', bad: edit(V, 'activeServers: [atl-pc1.contoso.com]', 'activeServers: [atl-pc1.contoso.com, atl_pc2.contoso.com]'), at: ['activeServers', 'atl_pc2.contoso.com'] },
];

describe('estate checks', () => {
  it('the valid estate has no problem', () => {
    assert.deepEqual(loadAndCheck(VALID_ESTATE), []);
  });

  it('a Back End that names no SQL instance is reported; Front End fields on a Persistent Chat pool are ignored with a warning', () => {
    const bad = edit(edit(V, '    backupPool: atl-cs.contoso.com\n', '    backupPool: atl-cs.contoso.com\n    backEnd: dal-sql\n'), '    activeServers:', '    backEnd: atl-pcsql\n    activeServers:');
    assert.deepEqual(
      loadAndCheck(bad).map((p) => `${p.rule} ${p.range.start.line}`),
      [`estate/unknown-sql-instance ${rangeOf(bad, 'backEnd: dal-sql', 'dal-sql').start.line}`, `estate/field-not-for-kind ${rangeOf(bad, 'backEnd: atl-pcsql', 'backEnd').start.line}`],
    );
  });

  it('every check has a case, and every case a listed check', () => {
    assert.deepEqual(CASES.map((c) => c.id).sort(), ESTATE_CHECKS.map((c) => c.id).sort());
  });

  for (const c of CASES) {
    describe(c.id, () => {
      it('reports the mistake where it is, with the listed severity and a fix', () => {
        const found = loadAndCheck(c.bad).filter((p) => p.rule === c.id);
        assert.equal(found.length, 1, JSON.stringify(found));
        const expected: Range = rangeOf(c.bad, c.at[0], c.at[1]);
        assert.deepEqual(found[0].range, expected);
        assert.equal(found[0].severity, ESTATE_CHECKS.find((check) => check.id === c.id)?.severity);
        assert.match(found[0].message, /: [a-z]/, 'the message names a fix after a colon');
      });

      it('does not report the valid near miss', () => {
        assert.deepEqual(loadAndCheck(c.good ?? VALID_ESTATE), []);
      });
    });
  }

  for (const c of PARSER_CASES) {
    it(`${c.id}: ${c.at[1]!.slice(0, 40)} is refused at its line with the parser's reason`, () => {
      const found = loadAndCheck(c.bad).filter((p) => p.rule === c.id);
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.deepEqual(found[0]!.range, rangeOf(c.bad, c.at[0], c.at[1]));
      assert.match(found[0]!.message, /: [a-z]/);
    });
  }

  it('ids are unique and namespaced', () => {
    const ids = ESTATE_CHECKS.map((check) => check.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^estate\/[a-z0-9-]+$/);
  });
});
