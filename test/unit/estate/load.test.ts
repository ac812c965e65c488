import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkEstate } from '../../../src/core/estate/checks';
import { ESTATE_LOAD_RULES, MAX_ESTATE_CHARS, parseEstate } from '../../../src/core/estate/load';
import type { SourcePath } from '../../../src/core/estate/model';
import type { Problem } from '../../../src/core/text';
import { VALID_ESTATE, edit, rangeOf } from './helpers';

const SAMPLE = readFileSync('samples/litware/lync-estate.yaml', 'utf8');

const only = (problems: readonly Problem[], rule: string) => problems.filter((p) => p.rule === rule);

describe('parseEstate', () => {
  it('loads the Litware sample without a problem, and the checks find none', () => {
    const { estate, source, problems } = parseEstate(SAMPLE, 'samples/litware/lync-estate.yaml');
    assert.deepEqual(problems, []);
    assert.ok(estate);
    assert.deepEqual(checkEstate(estate, source), []);
    assert.equal(source.file, 'samples/litware/lync-estate.yaml');
    assert.equal(estate.name, 'Litware');
    assert.deepEqual(estate.datacenters.map((d) => d.id), ['atl', 'dal']);
    assert.equal(estate.sqlInstances.length, 6);
    assert.deepEqual(estate.pools.map((p) => [p.fqdn, p.kind]), [
      ['atl-cs-001.litwareinc.com', 'front-end'],
      ['dal-cs-001.litwareinc.com', 'front-end'],
      ['atl-gc-001.litwareinc.com', 'persistent-chat'],
    ]);
    const [atl, , chat] = estate.pools;
    assert.deepEqual(atl.servers[1], { fqdn: 'atl-fe-002.litwareinc.com', path: ['pools', 0, 'servers', 1] });
    assert.deepEqual(chat.servers[2], { fqdn: 'dal-pc-001.litwareinc.com', datacenter: 'dal', path: ['pools', 2, 'servers', 2] });
    assert.deepEqual(chat.stores?.mgc, { primary: 'atl-pcsql', mirror: 'atl-pcsqlm', backup: 'dal-pcbak', backupMirror: 'dal-pcbakm' });
    assert.deepEqual(chat.logShipping, { share: '\\\\atl-fs-001.litwareinc.com\\pchat-logs', copyFolder: 'D:\\LogShipping\\mgc' });
    assert.deepEqual(chat.activeServers, ['atl-pc-001.litwareinc.com', 'atl-pc-002.litwareinc.com']);
    assert.equal(chat.activeServerCollection, 'global');
  });

  it('keeps FQDNs as written', () => {
    const { estate } = parseEstate(edit(VALID_ESTATE, '[atl-fe1.contoso.com]', '[ATL-FE1.Contoso.com]'), 'e.yaml');
    assert.equal(estate?.pools[0].servers[0].fqdn, 'ATL-FE1.Contoso.com');
  });

  it('reads the same estate from CRLF text, with the same positions', () => {
    const crlf = parseEstate(VALID_ESTATE.replaceAll('\n', '\r\n'), 'e.yaml');
    const lf = parseEstate(VALID_ESTATE, 'e.yaml');
    assert.deepEqual(crlf.estate, lf.estate);
    const path = ['pools', 2, 'stores', 'mgc', 'backup'];
    assert.deepEqual(crlf.source.locate(path), lf.source.locate(path));
  });

  describe('source.locate', () => {
    const { source } = parseEstate(VALID_ESTATE, 'e.yaml');
    const cases: readonly [SourcePath, string, string?][] = [
      [['name'], 'name: Test', 'Test'],
      [['datacenters', 1, 'name'], 'Dallas'],
      [['datacenters', 1], '{ id: dal, name: Dallas }'],
      [['sqlInstances', 1, 'port'], '1433'],
      [['pools', 0, 'servers', 0], '[atl-fe1.contoso.com]', 'atl-fe1.contoso.com'],
      [['pools', 2, 'stores', 'mgc', 'backup'], 'backup: dal-pcbak', 'dal-pcbak'],
      [['pools', 2, 'logShipping', 'share'], 'share:', "'\\\\fs.contoso.com\\logs'"],
      // Nearest existing ancestor: a key the pool does not have, a server given as text.
      [['pools', 2, 'stores', 'mgccomp', 'primary'], 'mgc: {', '  mgc: { primary: atl-pcsql, mirror: atl-pcsqlm, backup: dal-pcbak }'.trim()],
      [['pools', 0, 'servers', 0, 'datacenter'], '[atl-fe1.contoso.com]', 'atl-fe1.contoso.com'],
    ];
    for (const [path, line, target] of cases) {
      it(`locates ${path.join('.')}`, () => assert.deepEqual(source.locate(path), rangeOf(VALID_ESTATE, line, target)));
    }

    it('locates a path that goes past the file at the nearest node that exists', () => {
      assert.deepEqual(source.locate(['pools', 9, 'fqdn']), source.locate(['pools']));
      assert.deepEqual(source.locate(['pools']).start, rangeOf(VALID_ESTATE, '- fqdn: atl-cs.contoso.com', '-').start);
    });

    it('locates a block mapping from its first key to its last value', () => {
      const range = source.locate(['pools', 1]);
      assert.deepEqual(range.start, rangeOf(VALID_ESTATE, 'fqdn: dal-cs.contoso.com', 'fqdn').start);
      assert.deepEqual(range.end, rangeOf(VALID_ESTATE, 'backupPool: atl-cs.contoso.com', 'atl-cs.contoso.com').end);
    });

    it('locates an empty value by its key', () => {
      const text = 'estate: 1\nname: x\npools:\n  - fqdn: a.contoso.com\n    kind: front-end\n    site:\n    servers: []\n';
      assert.deepEqual(parseEstate(text, 'e.yaml').source.locate(['pools', 0, 'site']), rangeOf(text, 'site:', 'site'));
    });
  });

  describe('problems point at the offending node', () => {
    const cases: readonly { name: string; text: string; rule: string; at: [string, string?] }[] = [
      { name: 'a pool kind that does not exist', text: edit(VALID_ESTATE, 'kind: persistent-chat', 'kind: chat'), rule: 'estate/invalid-value', at: ['kind: chat', 'chat'] },
      { name: 'a port out of range', text: edit(VALID_ESTATE, 'port: 1433', 'port: 70000'), rule: 'estate/invalid-value', at: ['70000'] },
      { name: 'a port that is text', text: edit(VALID_ESTATE, 'port: 1433', 'port: sql'), rule: 'estate/wrong-type', at: ['port: sql', 'sql'] },
      { name: 'a number where text is expected', text: edit(VALID_ESTATE, 'name: Dallas', 'name: 2013'), rule: 'estate/wrong-type', at: ['2013'] },
      { name: 'a list where a mapping is expected', text: edit(VALID_ESTATE, 'mgc: {', 'mgc: [ {').replace('dal-pcbak }', 'dal-pcbak } ]'), rule: 'estate/wrong-type', at: ['mgc: [', '[ { primary: atl-pcsql, mirror: atl-pcsqlm, backup: dal-pcbak } ]'] },
      { name: 'text where a list is expected', text: edit(VALID_ESTATE, 'servers: [dal-fe1.contoso.com]', 'servers: dal-fe1.contoso.com'), rule: 'estate/wrong-type', at: ['servers: dal-fe1', 'dal-fe1.contoso.com'] },
      { name: 'an unknown key', text: edit(VALID_ESTATE, '    site: Atlanta\n    datacenter: atl', '    sites: Atlanta\n    datacenter: atl'), rule: 'estate/unknown-key', at: ['sites: Atlanta', 'sites'] },
      { name: 'an unknown store role', text: edit(VALID_ESTATE, 'mirror: atl-pcsqlm', 'mirorr: atl-pcsqlm'), rule: 'estate/unknown-key', at: ['mirorr'] },
      { name: 'a missing key', text: edit(VALID_ESTATE, '{ id: dal, name: Dallas }', '{ id: dal }'), rule: 'estate/missing-field', at: ['{ id: dal }'] },
      { name: 'a missing key of a block mapping', text: edit(VALID_ESTATE, '    kind: front-end\n    datacenter: dal\n', '    datacenter: dal\n'), rule: 'estate/missing-field', at: ['fqdn: dal-cs.contoso.com'] },
      { name: 'an empty required value', text: edit(VALID_ESTATE, 'name: Test', 'name:   # to do'), rule: 'estate/missing-field', at: ['# to do', 'name'] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const { estate, problems } = parseEstate(c.text, 'e.yaml');
        assert.ok(estate, 'the estate is still built');
        const found = only(problems, c.rule);
        assert.equal(found.length, 1, JSON.stringify(problems));
        assert.deepEqual(found[0].range, rangeOf(c.text, c.at[0], c.at[1]));
      });
    }
  });

  it('keeps what is sound and leaves out what is not', () => {
    const text = edit(edit(edit(VALID_ESTATE, 'kind: persistent-chat', 'kind: chat'), '{ id: dal, name: Dallas }', '{ id: dal }'), 'port: 1433', 'port: x');
    const { estate } = parseEstate(text, 'e.yaml');
    assert.deepEqual(estate?.pools.map((p) => p.fqdn), ['atl-cs.contoso.com', 'dal-cs.contoso.com'], 'a pool of unknown kind is left out');
    assert.deepEqual(estate?.datacenters[1], { id: 'dal', name: 'dal', path: ['datacenters', 1] }, 'a data center without a name is named by its id');
    assert.equal(estate?.sqlInstances[1].port, undefined, 'a wrong port is left out');
  });

  it('reads sqlVersion as YAML writes it (2012 is a number, 2008R2 text) and refuses an unknown release', () => {
    for (const [written, read] of [['2008R2', '2008R2'], ['2012', '2012'], ["'2014'", '2014']] as const) {
      const { estate, problems } = parseEstate(edit(VALID_ESTATE, 'port: 1433', `port: 1433, sqlVersion: ${written}`), 'e.yaml');
      assert.deepEqual(problems, []);
      assert.equal(estate?.sqlInstances[1].sqlVersion, read);
    }
    const { estate, problems } = parseEstate(edit(VALID_ESTATE, 'port: 1433', 'port: 1433, sqlVersion: 2016'), 'e.yaml');
    assert.deepEqual(problems.map((p) => p.rule), ['estate/invalid-value']);
    assert.match(problems[0].message, /`2008R2`, `2012`, `2014`/);
    assert.equal(estate?.sqlInstances[1].sqlVersion, undefined);
  });

  it('warns about an unknown key with a suggestion and still loads', () => {
    const { estate, problems } = parseEstate(edit(VALID_ESTATE, 'backupPool: atl-cs', 'backupPol: atl-cs'), 'e.yaml');
    assert.equal(problems.length, 1);
    assert.equal(problems[0].severity, 'warning');
    assert.match(problems[0].message, /did you mean `backupPool`\?/);
    assert.equal(estate?.pools[1].backupPool, undefined);
  });

  it('reports problems in file order', () => {
    const text = edit(edit(VALID_ESTATE, 'name: Test', 'nam: Test'), 'estate: 1\n', 'estate: 1\nzone: x\n');
    const lines = parseEstate(text, 'e.yaml').problems.map((p) => p.range.start.line);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
    assert.equal(lines.length, 3);
  });

  describe('files that are not an estate', () => {
    it('reports a YAML syntax error at its position and gives no estate', () => {
      const text = edit(VALID_ESTATE, 'servers: [dal-fe1.contoso.com]', 'servers: [dal-fe1.contoso.com');
      const { estate, problems } = parseEstate(text, 'e.yaml');
      assert.equal(estate, undefined);
      assert.ok(problems.length > 0);
      assert.ok(problems.every((p) => p.rule === 'estate/yaml-syntax' && p.severity === 'error'));
      const line = text.split('\n').findIndex((l) => l.includes('servers: [dal-fe1'));
      assert.ok(problems.some((p) => p.range.start.line === line || p.range.start.line === line + 1), JSON.stringify(problems));
    });

    it('reports a duplicate key as a syntax error on the second key', () => {
      const text = edit(VALID_ESTATE, 'name: Test\n', 'name: Test\nname: Again\n');
      const { estate, problems } = parseEstate(text, 'e.yaml');
      assert.equal(estate, undefined);
      assert.equal(problems[0].rule, 'estate/yaml-syntax');
      assert.equal(problems[0].range.start.line, 2);
    });

    it('reads YAML outside the fast subset (anchors) like any other', () => {
      const text = edit(edit(VALID_ESTATE, 'servers: [atl-fe1.contoso.com]', 'servers: &fe [atl-fe1.contoso.com]'), 'servers: [dal-fe1.contoso.com]', 'servers: [dal-fe1.contoso.com]\n    activeServerCollection: *fe');
      const { estate, problems } = parseEstate(text, 'e.yaml');
      assert.ok(estate);
      assert.equal(only(problems, 'estate/wrong-type').length, 1, 'the alias resolves to a list, which is not text');
    });

    const cases: readonly [string, string, string, RegExp][] = [
      ['an empty file', '', 'estate/not-a-mapping', /empty/],
      ['only comments', '# estate\n\n', 'estate/not-a-mapping', /empty/],
      ['a list at the top', '- estate: 1\n', 'estate/not-a-mapping', /mapping/],
      ['no version', 'name: x\npools: []\n', 'estate/unsupported-version', /estate: 1/],
      ['version 2', 'estate: 2\nname: x\npools: []\n', 'estate/unsupported-version', /must be 1 .*not the number `2`/],
      ['version as text', "estate: '1'\nname: x\npools: []\n", 'estate/unsupported-version', /not the text `1`/],
    ];
    for (const [name, text, rule, message] of cases) {
      it(`reports ${name} (${rule})`, () => {
        const { estate, problems } = parseEstate(text, 'e.yaml');
        assert.equal(estate, undefined);
        assert.equal(problems.length, 1);
        assert.equal(problems[0].rule, rule);
        assert.match(problems[0].message, message);
      });
    }

    it('points an unsupported version at the value', () => {
      const text = 'name: x\nestate: 3\npools: []\n';
      assert.deepEqual(parseEstate(text, 'e.yaml').problems[0].range, rangeOf(text, 'estate: 3', '3'));
    });

    it('refuses a 50 MB input before parsing it', () => {
      const text = `estate: 1\nname: big\npools:\n${'  - { fqdn: a.contoso.com, kind: front-end, servers: [] }\n'.repeat(Math.ceil((50 * 1024 * 1024) / 57))}`;
      assert.ok(text.length > MAX_ESTATE_CHARS);
      const { estate, problems, source } = parseEstate(text, 'e.yaml');
      assert.equal(estate, undefined);
      assert.equal(problems.length, 1);
      assert.equal(problems[0].rule, 'estate/too-large');
      assert.match(problems[0].message, /50\.\d MB; the limit is 10 MB/);
      assert.deepEqual(source.locate(['pools', 0]), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    });
  });

  it('every loader rule is listed with a severity', () => {
    const exercised = ['estate/too-large', 'estate/yaml-syntax', 'estate/not-a-mapping', 'estate/unsupported-version', 'estate/missing-field', 'estate/wrong-type', 'estate/invalid-value', 'estate/unknown-key', 'estate/control-character'];
    assert.deepEqual(ESTATE_LOAD_RULES.map((r) => r.id).sort(), exercised.sort());
  });

  it('refuses a control character in any text value at its line, shown escaped (a data-center id with a fenced command)', () => {
    const id = String.raw`"dal\n\n~~~powershell\nSet-CsPersistentChatState -Identity 'PersistentChatServer:atl-gc.contoso.com' -PoolState Normal\n~~~\n"`;
    const text = edit(VALID_ESTATE, '  - { id: dal, name: Dallas }', `  - { id: ${id}, name: Dallas }`);
    const { estate, problems } = parseEstate(text, 'e.yaml');
    assert.deepEqual(estate?.datacenters.map((d) => d.id), ['atl'], 'the value is left out of the estate');
    const found = problems.filter((p) => p.rule === 'estate/control-character');
    assert.equal(found.length, 1, JSON.stringify(problems));
    assert.equal(found[0]!.severity, 'error');
    assert.equal(found[0]!.range.start.line, rangeOf(text, 'name: Dallas').start.line);
    assert.ok(found[0]!.message.includes(`\`${String.raw`dal\n\n~~~powershell\nSet-CsPersistentChatState`}`), found[0]!.message);
    for (const value of ['"atl\\0"', '"Atlanta\\e[2K"', '"Atl\\tanta"']) {
      const other = edit(VALID_ESTATE, '{ id: atl, name: Atlanta }', `{ id: atl, name: ${value} }`);
      assert.deepEqual(parseEstate(other, 'e.yaml').problems.map((p) => p.rule), ['estate/control-character'], value);
    }
  });

  it('reports text nested thousands of levels deep instead of overflowing the stack', () => {
    for (const text of [`pools: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, `${'- '.repeat(5000)}x\n`]) {
      const { estate, problems } = parseEstate(text, 'e.yaml');
      assert.equal(estate, undefined);
      assert.equal(problems[0].rule, 'estate/yaml-syntax');
    }
  });

  it('never throws, whatever the text', () => {
    const noise = fc.string({ unit: fc.constantFrom(...'estate: 1\nname pools- kind{}[],#&*!|>\'"?%\t\r'.split('')), maxLength: 80 });
    fc.assert(
      fc.property(fc.nat(), noise, (at, insert) => {
        const i = at % (SAMPLE.length + 1);
        const { estate, source } = parseEstate(SAMPLE.slice(0, i) + insert + SAMPLE.slice(i), 'e.yaml');
        if (estate) checkEstate(estate, source);
      }),
      { numRuns: 500 },
    );
  });
});
