import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  InvalidValueError,
  joinPath,
  parseBackupCategory,
  parseBackupModule,
  parseDatabaseName,
  parseDatabaseType,
  parseFileName,
  parseFilePath,
  parseFqdn,
  parseGuid,
  parseLsn,
  parseNonce,
  parsePoolState,
  parseSpid,
  parseSqlInstanceName,
  parseUncPath,
  parseWindowsPath,
  parseXdsIdentity,
  persistentChatIdentity,
  tryParse,
  type ValueKind,
} from '../../../src/core/commands';

type Parser = (input: string) => unknown;

/** [input, expected canonical value] for accepted, [input, reason fragment] for refused. */
interface Case {
  readonly kind: ValueKind;
  readonly parse: Parser;
  readonly ok: readonly (readonly [string, unknown])[];
  readonly bad: readonly (readonly [string, RegExp])[];
}

const cases: Case[] = [
  {
    kind: 'fqdn',
    parse: parseFqdn,
    ok: [
      ['atl-gc-001.litwareinc.com', 'atl-gc-001.litwareinc.com'],
      ['ATL-CS-001.LitwareInc.COM', 'atl-cs-001.litwareinc.com'],
      ['a.b', 'a.b'],
      [`${'a'.repeat(63)}.com`, `${'a'.repeat(63)}.com`],
    ],
    bad: [
      ['', /empty/],
      ['atl-gc-001', /host and a domain/],
      ['-atl.litwareinc.com', /hyphen/],
      ['atl-.litwareinc.com', /hyphen/],
      ['atl..litwareinc.com', /empty label/],
      ['atl.litwareinc.com.', /empty label/],
      [`${'a'.repeat(64)}.com`, /63/],
      [`${'a.'.repeat(127)}com`, /253/],
      ['10.0.0.1', /IP address/],
      ['atl_gc.litwareinc.com', /letters/],
      ['atl gc.litwareinc.com', /letters/],
      ['\u212Atl.litwareinc.com', /letters/],
      ['atl.litwareinc.com;Stop-Computer', /letters/],
      ['atl\u2013gc.litwareinc.com', /letters/],
    ],
  },
  {
    kind: 'xds-identity',
    parse: parseXdsIdentity,
    ok: [
      ['global', 'global'],
      ['Global', 'global'],
      ['PChatServerCollection', 'PChatServerCollection'],
      ['PersistentChatServer:ATL-GC-001.litwareinc.com', 'PersistentChatServer:atl-gc-001.litwareinc.com'],
      ['service:atl-gc-001.litwareinc.com', 'service:atl-gc-001.litwareinc.com'],
      ['service:PersistentChatServer:atl-gc-001.litwareinc.com', 'service:PersistentChatServer:atl-gc-001.litwareinc.com'],
      ['site:Redmond', 'site:Redmond'],
    ],
    bad: [
      ['service: lyncpc.dci.discovery.com', /whitespace after a colon/],
      ['service:atl-gc-001', /not an FQDN/],
      ['global;Stop-Computer', /bare identity/],
      ['a:b:c:d.e', /expected global/],
      ['service:atl.litwareinc.com\n', /control/],
      ['', /empty/],
    ],
  },
  {
    kind: 'sql-instance-name',
    parse: parseSqlInstanceName,
    ok: [
      ['pchat', 'pchat'],
      ['RTC', 'RTC'],
      ['_x$1', '_x$1'],
    ],
    bad: [
      ['1pchat', /must start/],
      ['pchat;', /must start/],
      ['p chat', /must start/],
      ['a'.repeat(17), /16/],
      ['MSSQLSERVER', /default instance/],
      ['Default', /default instance/],
      ["pchat'", /must start/],
    ],
  },
  {
    kind: 'database-name',
    parse: parseDatabaseName,
    ok: [
      ['mgc', 'mgc'],
      ['mgccomp', 'mgccomp'],
      ['Lync-DB_2', 'Lync-DB_2'],
    ],
    bad: [
      ['mgc]; DROP DATABASE x', /must start/],
      ["mgc'", /must start/],
      ['mgc--x', /comment/],
      ['#tmp', /must start/],
      ['a'.repeat(129), /128/],
      ['', /empty/],
    ],
  },
  {
    kind: 'windows-path',
    parse: parseWindowsPath,
    ok: [
      ['D:\\LogShipping\\mgc', 'D:\\LogShipping\\mgc'],
      ['D:\\', 'D:\\'],
      ["D:\\O'Brien\\logs", "D:\\O'Brien\\logs"],
      ['C:\\Program Files (x86)\\x', 'C:\\Program Files (x86)\\x'],
    ],
    bad: [
      ['LogShipping\\mgc', /drive letter/],
      ['D:\\logs\\..\\Windows', /traversal/],
      ['D:\\logs\\.\\x', /traversal/],
      ['D:\\logs\\\\x', /empty folder/],
      ['D:/logs', /uses "\/"/],
      ['D:\\logs\nx', /control/],
      ['D:\\logs\u0000', /NUL/],
      ['D:\\lo|gs', /forbids/],
      ['D:\\logs \\x', /space or a dot/],
      ['D:\\it\u2019s', /typographic quote/],
      [`D:\\${'a'.repeat(260)}`, /260/],
    ],
  },
  {
    kind: 'unc-path',
    parse: parseUncPath,
    ok: [
      ['\\\\atl-fs-001.litwareinc.com\\pchat-logs', '\\\\atl-fs-001.litwareinc.com\\pchat-logs'],
      ['\\\\DALFS\\d$\\logs\\', '\\\\DALFS\\d$\\logs\\'],
    ],
    bad: [
      ['\\\\server', /no share/],
      ['\\\\?\\C:\\x', /not a host name/],
      ['\\\\.\\pipe\\x', /not a host name/],
      ['\\\\srv\\share\\..\\..\\x', /traversal/],
      ['\\\\srv name\\share', /not a host name/],
      ['D:\\x', /must start with/],
    ],
  },
  {
    kind: 'file-name',
    parse: parseFileName,
    ok: [['mgc_20240101120000.trn', 'mgc_20240101120000.trn']],
    bad: [
      ['..', /traversal/],
      ['a\\b.trn', /give a name/],
      ['a:b', /forbids/],
    ],
  },
  {
    kind: 'spid',
    parse: parseSpid,
    ok: [
      ['53', 53],
      ['32767', 32767],
    ],
    bad: [
      ['0', /between/],
      ['32768', /between/],
      ['-1', /whole number/],
      ['53; DROP', /whole number/],
      ['5.5', /whole number/],
      ['', /whole number/],
    ],
  },
  {
    kind: 'lsn',
    parse: parseLsn,
    ok: [
      ['34000000041600001', '34000000041600001'],
      ['0000034000000041600001', '34000000041600001'],
      ['9'.repeat(25), '9'.repeat(25)],
      ['0', '0'],
    ],
    bad: [
      ['9'.repeat(26), /25/],
      ['-1', /digits/],
      ['1e20', /digits/],
      ['', /digits/],
      [' 1', /digits/],
    ],
  },
  {
    kind: 'guid',
    parse: parseGuid,
    ok: [
      ['{6F9619FF-8B86-D011-B42D-00C04FC964FF}', '6f9619ff-8b86-d011-b42d-00c04fc964ff'],
      ['6f9619ff-8b86-d011-b42d-00c04fc964ff', '6f9619ff-8b86-d011-b42d-00c04fc964ff'],
    ],
    bad: [
      ['{6f9619ff-8b86-d011-b42d-00c04fc964ff', /GUID/],
      ['not-a-guid', /GUID/],
    ],
  },
  { kind: 'nonce', parse: parseNonce, ok: [['abcDEF12', 'abcDEF12']], bad: [['short', /8 to 64/], ['abc$def12', /8 to 64/]] },
  {
    kind: 'pool-state',
    parse: parsePoolState,
    ok: [
      ['FailedOver', 'FailedOver'],
      ['failedover', 'FailedOver'],
      ['Normal', 'Normal'],
    ],
    bad: [
      ['Failover', /one of Normal, FailedOver/],
      ['Primary', /one of/],
    ],
  },
  { kind: 'database-type', parse: parseDatabaseType, ok: [['persistentchat', 'PersistentChat']], bad: [['PChat', /one of/]] },
  { kind: 'backup-category', parse: parseBackupCategory, ok: [['userdata', 'UserData']], bad: [['Conference', /one of/]] },
  {
    kind: 'backup-module',
    parse: parseBackupModule,
    ok: [['confservices.dataconf', 'ConfServices.DataConf']],
    bad: [
      ['DataConf', /one of/],
      ['All', /one of/],
    ],
  },
];

for (const c of cases) {
  describe(`parse ${c.kind}`, () => {
    for (const [input, expected] of c.ok) {
      test(`accepts ${JSON.stringify(input).slice(0, 60)}`, () => assert.equal(c.parse(input), expected));
    }
    for (const [input, reason] of c.bad) {
      test(`refuses ${JSON.stringify(input).slice(0, 60)}`, () => {
        assert.throws(
          () => c.parse(input),
          (e: unknown) => e instanceof InvalidValueError && e.kind === c.kind && reason.test(e.reason) && e.value === input,
        );
      });
    }
  });
}

describe('helpers', () => {
  test('parseFilePath dispatches on the prefix', () => {
    assert.equal(parseFilePath('\\\\srv\\share\\x'), '\\\\srv\\share\\x');
    assert.equal(parseFilePath('D:\\x'), 'D:\\x');
    assert.throws(() => parseFilePath('x'), (e: unknown) => e instanceof InvalidValueError && e.kind === 'file-path');
  });

  test('joinPath adds one separator and validates the result', () => {
    const name = parseFileName('mgc_1.trn');
    assert.equal(joinPath(parseWindowsPath('D:\\LogShipping\\mgc'), name), 'D:\\LogShipping\\mgc\\mgc_1.trn');
    assert.equal(joinPath(parseUncPath('\\\\srv\\share\\'), name), '\\\\srv\\share\\mgc_1.trn');
    assert.throws(() => joinPath(parseWindowsPath(`D:\\${'a'.repeat(250)}`), parseFileName('b'.repeat(20))), InvalidValueError);
  });

  test('parseSpid and parseLsn accept their native types', () => {
    assert.equal(parseSpid(77), 77);
    assert.throws(() => parseSpid(1.5), InvalidValueError);
    assert.equal(parseLsn(2n ** 60n + 1n), '1152921504606846977');
    assert.throws(() => parseLsn(-1n), InvalidValueError);
    assert.throws(() => parseLsn(Number('34000000041600001') as unknown as string), /decimal string/);
  });

  test('persistentChatIdentity builds the reference form', () => {
    assert.equal(persistentChatIdentity(parseFqdn('atl-gc-001.litwareinc.com')), 'PersistentChatServer:atl-gc-001.litwareinc.com');
  });

  test('tryParse turns the typed error into data and rethrows anything else', () => {
    assert.deepEqual(tryParse(parseFqdn, 'A.B'), { ok: true, value: 'a.b' });
    const r = tryParse(parseFqdn, 'x');
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.error.kind === 'fqdn');
    assert.throws(() => tryParse(() => { throw new TypeError('boom'); }, 'x'), TypeError);
  });

  test('the error message names the kind, the value and the reason', () => {
    assert.throws(() => parseFqdn('x'), { message: 'Invalid fqdn "x": needs at least a host and a domain (host.domain)' });
  });
});
