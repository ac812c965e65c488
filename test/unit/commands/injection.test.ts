/**
 * Hostile values × every builder. For each input, either the value parser refuses it with a typed
 * `InvalidValueError`, or the produced text, read back by an independent tokenizer, is exactly
 * one statement whose literal equals the (validated) value — and for parameterised queries the
 * value never reaches the text at all.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  InvalidValueError,
  parseBackupCategory,
  parseBackupModule,
  parseDatabaseName,
  parseDatabaseType,
  parseFilePath,
  parseFqdn,
  parsePoolState,
  parseSpid,
  parseSqlInstanceName,
  parseUncPath,
  parseXdsIdentity,
  ps,
  psString,
  toScript,
  tsql,
  wrapForJson,
  type SqlCommand,
} from '../../../src/core/commands';
import { psTokens, sqlStatements } from './tokenizers';

const HOSTILE = [
  "x'; Stop-Computer; '",
  'x\u2019; Stop-Computer; \u2018',
  'x\u201a\u201b',
  'x]; DROP DATABASE mgc; --',
  "x'); DROP TABLE t; --",
  '$(Stop-Computer)',
  'x`; Stop-Computer',
  'x; Stop-Computer',
  'a\nb',
  'a\r\nStop-Computer',
  'a\u0000b',
  'a\u2028b',
  'a\u2013PoolState Normal',
  'a\u2014x',
  'a -- b',
  'a /* b */ c',
  'a"b',
  'a\u201cb\u201d',
  '@{a=1}',
  'a|b',
  'a&b',
  '${env:PATH}',
  '\u202egnp.exe',
  '..',
  'atl-gc-001.litwareinc.com; Stop-Computer',
  'atl-gc-001.litwareinc.com\n',
  'PersistentChatServer:atl-gc-001.litwareinc.com\'; Stop-Computer',
  'mgc]; SHUTDOWN; --',
  '53; SHUTDOWN',
  '\\\\srv\\share\\..\\..\\Windows',
  '\\\\srv\\share\\x\u0000.trn',
  'D:\\logs\\x\n.trn',
];

/** Values that are legitimate for their kind yet full of characters special to a shell or to SQL. */
const SPICY_PATHS = [
  "D:\\logs\\it's; $(Stop-Computer) `x -- y.trn",
  "\\\\srv.litwareinc.com\\d$\\a'b]c\\x _ y.trn",
  "D:\\a'';DROP DATABASE mgc;--\\x.trn",
  "\\\\srv\\share\\O'Brien\\x$(y) `` z",
];

const db = parseDatabaseName('mgc');
const file = parseFilePath('D:\\LogShipping\\mgc\\mgc_1.trn');
const fqdn = parseFqdn('atl-gc-001.litwareinc.com');

interface Slot<V> {
  readonly builder: string;
  readonly parse: (input: string) => V;
  readonly build: (value: V) => SqlCommand | string;
  /**
   * Queries carry the value as a parameter; statements and shell commands inline it quoted;
   * `sql-dynamic` inlines it in the dynamic SQL of `EXEC (N'…')`, so it is quoted twice.
   */
  readonly shape: 'sql-statement' | 'sql-query' | 'sql-dynamic' | 'powershell';
}

const slot = <V>(s: Slot<V>): Slot<unknown> => s as Slot<unknown>;

const SLOTS: Slot<unknown>[] = [
  slot({ builder: 'databaseState(db)', parse: parseDatabaseName, build: tsql.databaseState, shape: 'sql-query' }),
  slot({ builder: 'redoLsn(db)', parse: parseDatabaseName, build: tsql.redoLsn, shape: 'sql-query' }),
  slot({ builder: 'logShippingSnapshot(db)', parse: parseDatabaseName, build: tsql.logShippingSnapshot, shape: 'sql-query' }),
  slot({ builder: 'logShippingSecondaryCount(db)', parse: parseDatabaseName, build: tsql.logShippingSecondaryCount, shape: 'sql-query' }),
  slot({ builder: 'restoreHistory(db)', parse: parseDatabaseName, build: (v) => tsql.restoreHistory(v), shape: 'sql-query' }),
  slot({ builder: 'sessionsInDatabase(db)', parse: parseDatabaseName, build: tsql.sessionsInDatabase, shape: 'sql-query' }),
  slot({ builder: 'mirroringStatus(db)', parse: parseDatabaseName, build: tsql.mirroringStatus, shape: 'sql-query' }),
  slot({ builder: 'restoreHeaderOnly(file) (2008 R2)', parse: parseFilePath, build: (v) => tsql.restoreHeaderOnly(v, { majorVersion: 10 }), shape: 'sql-dynamic' }),
  slot({ builder: 'restoreHeaderOnly(file) (default)', parse: parseFilePath, build: (v) => tsql.restoreHeaderOnly(v), shape: 'sql-dynamic' }),
  slot({ builder: 'restoreHeaderOnly(file) (2022)', parse: parseFilePath, build: (v) => tsql.restoreHeaderOnly(v, { majorVersion: 16 }), shape: 'sql-dynamic' }),
  slot({ builder: 'kill(spid)', parse: parseSpid, build: tsql.kill, shape: 'sql-statement' }),
  slot({ builder: 'deleteLogShippingSecondary(db)', parse: parseDatabaseName, build: tsql.deleteLogShippingSecondary, shape: 'sql-statement' }),
  slot({ builder: 'restoreLog(db, ·)', parse: parseDatabaseName, build: (v) => tsql.restoreLog(v, file), shape: 'sql-statement' }),
  slot({ builder: 'restoreLog(·, file)', parse: parseFilePath, build: (v) => tsql.restoreLog(db, v), shape: 'sql-statement' }),
  slot({ builder: 'recoverDatabase(db)', parse: parseDatabaseName, build: tsql.recoverDatabase, shape: 'sql-statement' }),
  slot({ builder: 'backupDatabase(db, ·)', parse: parseDatabaseName, build: (v) => tsql.backupDatabase(v, file), shape: 'sql-statement' }),
  slot({ builder: 'backupDatabase(·, file)', parse: parseFilePath, build: (v) => tsql.backupDatabase(db, v), shape: 'sql-statement' }),
  slot({ builder: 'restoreDatabaseReplace(db, ·)', parse: parseDatabaseName, build: (v) => tsql.restoreDatabaseReplace(v, file), shape: 'sql-statement' }),
  slot({ builder: 'restoreDatabaseReplace(·, file)', parse: parseFilePath, build: (v) => tsql.restoreDatabaseReplace(db, v), shape: 'sql-statement' }),
  slot({ builder: 'setPartnerOff(db)', parse: parseDatabaseName, build: tsql.setPartnerOff, shape: 'sql-statement' }),
  slot({ builder: 'getPersistentChatState(identity)', parse: parseXdsIdentity, build: ps.getPersistentChatState, shape: 'powershell' }),
  slot({ builder: 'setPersistentChatState(identity, ·)', parse: parseXdsIdentity, build: (v) => ps.setPersistentChatState(v, 'FailedOver'), shape: 'powershell' }),
  slot({ builder: 'setPersistentChatState(·, state)', parse: parsePoolState, build: (v) => ps.setPersistentChatState(parseXdsIdentity('global'), v), shape: 'powershell' }),
  slot({ builder: 'setPersistentChatActiveServers(identity, ·)', parse: parseXdsIdentity, build: (v) => ps.setPersistentChatActiveServers(v, [fqdn]), shape: 'powershell' }),
  slot({ builder: 'setPersistentChatActiveServers(·, servers)', parse: parseFqdn, build: (v) => ps.setPersistentChatActiveServers(parseXdsIdentity('global'), [fqdn, v]), shape: 'powershell' }),
  slot({ builder: 'installMirrorDatabase(sqlServerFqdn)', parse: parseFqdn, build: (v) => ps.installMirrorDatabase({ databaseType: 'PersistentChat', sqlServerFqdn: v, fileShare: parseUncPath('\\\\fs\\m') }), shape: 'powershell' }),
  slot({ builder: 'installMirrorDatabase(sqlInstanceName)', parse: parseSqlInstanceName, build: (v) => ps.installMirrorDatabase({ databaseType: 'PersistentChat', sqlServerFqdn: fqdn, sqlInstanceName: v, fileShare: parseUncPath('\\\\fs\\m') }), shape: 'powershell' }),
  slot({ builder: 'installMirrorDatabase(fileShare)', parse: parseUncPath, build: (v) => ps.installMirrorDatabase({ databaseType: 'PersistentChat', sqlServerFqdn: fqdn, fileShare: v }), shape: 'powershell' }),
  slot({ builder: 'installMirrorDatabase(databaseType)', parse: parseDatabaseType, build: (v) => ps.installMirrorDatabase({ databaseType: v, sqlServerFqdn: fqdn, fileShare: parseUncPath('\\\\fs\\m') }), shape: 'powershell' }),
  slot({ builder: 'uninstallMirrorDatabase(sqlServerFqdn)', parse: parseFqdn, build: (v) => ps.uninstallMirrorDatabase({ databaseType: 'PersistentChat', sqlServerFqdn: v }), shape: 'powershell' }),
  slot({ builder: 'uninstallMirrorDatabase(sqlInstanceName)', parse: parseSqlInstanceName, build: (v) => ps.uninstallMirrorDatabase({ databaseType: 'PersistentChat', sqlServerFqdn: fqdn, sqlInstanceName: v }), shape: 'powershell' }),
  slot({ builder: 'getDatabaseMirrorState(pool)', parse: parseFqdn, build: (v) => ps.getDatabaseMirrorState(v, 'PersistentChat'), shape: 'powershell' }),
  slot({ builder: 'invokeBackupServiceSync(pool)', parse: parseFqdn, build: (v) => ps.invokeBackupServiceSync(v, 'ConfServices.DataConf'), shape: 'powershell' }),
  slot({ builder: 'invokeBackupServiceSync(module)', parse: parseBackupModule, build: (v) => ps.invokeBackupServiceSync(fqdn, v), shape: 'powershell' }),
  slot({ builder: 'getBackupServiceStatus(pool)', parse: parseFqdn, build: (v) => ps.getBackupServiceStatus(v), shape: 'powershell' }),
  slot({ builder: 'getBackupServiceStatus(category)', parse: parseBackupCategory, build: (v) => ps.getBackupServiceStatus(fqdn, v), shape: 'powershell' }),
  slot({ builder: 'getPoolBackupRelationship(pool)', parse: parseFqdn, build: ps.getPoolBackupRelationship, shape: 'powershell' }),
  slot({ builder: 'getPool(identity)', parse: parseFqdn, build: (v) => ps.getPool(v), shape: 'powershell' }),
  slot({ builder: 'invokePoolFailOver(pool)', parse: parseFqdn, build: (v) => ps.invokePoolFailOver(v, { disasterMode: true }), shape: 'powershell' }),
  slot({ builder: 'invokePoolFailBack(pool)', parse: parseFqdn, build: (v) => ps.invokePoolFailBack(v), shape: 'powershell' }),
];

/** Outside its quoted strings a built command holds only names, parameters, list syntax and `-Confirm:$false`. */
const PS_BARE = /^(?:[A-Za-z0-9 .=@{},-]|\$null|:\$false)*$/;

function assertPowerShell(text: string, value: string): void {
  assert.doesNotMatch(text, /[\r\n]/, 'one line');
  const tokens = psTokens(text);
  for (const t of tokens) if (t.kind === 'bare') assert.match(t.value, PS_BARE, `unexpected syntax outside strings: ${t.value}`);
  const literals = tokens.filter((t) => t.kind === 'single-quoted').map((t) => t.value);
  const bare = tokens.filter((t) => t.kind === 'bare').map((t) => t.value).join('');
  assert.ok(literals.includes(value) || bare.split(/\s+/).includes(value), `value ${JSON.stringify(value)} not found as one literal in ${text}`);
}

function assertSqlStatement(text: string, value: unknown): void {
  const statements = sqlStatements(text);
  assert.equal(statements.length, 1, `exactly one statement in ${text}`);
  const tokens = statements[0]!;
  assert.ok(!tokens.some((t) => t.kind === 'comment'), 'no comment');
  const found = tokens.some((t) => (t.kind === 'string' || t.kind === 'identifier' || t.kind === 'word') && t.value === String(value));
  assert.ok(found, `value ${JSON.stringify(value)} not found as one literal in ${text}`);
}

function assertSqlQuery(command: SqlCommand, value: unknown, benign: SqlCommand): void {
  assert.equal(command.text, benign.text, 'the query text does not depend on the value');
  assert.ok(Object.values(command.params).some((p) => p.value === value), 'the value travels as a parameter');
  const script = toScript(command);
  const statements = sqlStatements(script);
  assert.equal(statements.length, Object.keys(command.params).length + 1, `DECLAREs + one statement in ${script}`);
  assert.ok(!statements.flat().some((t) => t.kind === 'comment'), 'no comment');
  assert.ok(statements.flat().some((t) => t.kind === 'string' && t.value === value), 'the DECLARE literal equals the value');
}

/**
 * A batch whose only value sits in the dynamic SQL of `EXEC (N'…')`. Level 1: the batch, read by
 * the tokenizer, is the same statements with the same tokens whatever the value, except the one
 * string literal (the dynamic SQL). Level 2: that literal, decoded and read again, is exactly
 * `RESTORE HEADERONLY FROM DISK = '<value>'` — one statement, one literal equal to the value.
 */
function assertSqlDynamic(command: SqlCommand, value: unknown, benign: SqlCommand): void {
  assert.deepEqual(command.params, {}, 'no parameters: EXEC cannot see them');
  const outer = sqlStatements(command.text);
  const shape = (statements: ReturnType<typeof sqlStatements>) => statements.map((st) => st.map((t) => (t.kind === 'string' ? '<string>' : `${t.kind}:${t.value}`)));
  assert.deepEqual(shape(outer), shape(sqlStatements(benign.text)), 'outside its one literal the batch does not depend on the value');
  assert.ok(!outer.flat().some((t) => t.kind === 'comment'), 'no comment');
  const literals = outer.flat().filter((t) => t.kind === 'string');
  assert.equal(literals.length, 1, 'one string literal in the batch');
  assert.ok(command.text.includes("EXEC (N'"), 'the dynamic SQL is an N literal');
  const inner = literals[0]!.value;
  const statements = sqlStatements(inner);
  assert.equal(statements.length, 1, `exactly one statement in the dynamic SQL ${inner}`);
  assert.deepEqual(statements[0], [
    { kind: 'word', value: 'RESTORE' }, { kind: 'word', value: 'HEADERONLY' }, { kind: 'word', value: 'FROM' }, { kind: 'word', value: 'DISK' },
    { kind: 'other', value: '=' }, { kind: 'string', value: String(value) },
  ]);
  assert.ok(inner.startsWith("RESTORE HEADERONLY FROM DISK = N'"), 'the path is an N literal too: never through varchar');
}

describe('hostile values × builders', () => {
  for (const s of SLOTS) {
    test(s.builder, () => {
      const inputs = [...HOSTILE, ...(s.parse === parseFilePath || s.parse === parseUncPath ? SPICY_PATHS : [])];
      let accepted = 0;
      for (const input of inputs) {
        let value: unknown;
        try {
          value = s.parse(input);
        } catch (e) {
          assert.ok(e instanceof InvalidValueError, `${JSON.stringify(input)}: expected a typed rejection, got ${e}`);
          assert.ok(e.reason.length > 0);
          continue;
        }
        accepted++;
        assert.equal(String(value).toLowerCase(), input.toLowerCase(), 'validation never rewrites content beyond case');
        const out = s.build(value);
        if (s.shape === 'powershell') assertPowerShell(out as string, String(value));
        else if (s.shape === 'sql-statement') assertSqlStatement((out as SqlCommand).text, value);
        else if (s.shape === 'sql-dynamic') assertSqlDynamic(out as SqlCommand, value, s.build(file) as SqlCommand);
        else assertSqlQuery(out as SqlCommand, value, s.build(s.parse === parseFilePath ? file : db) as SqlCommand);
      }
      if (s.parse === parseFilePath) assert.equal(accepted, SPICY_PATHS.length, 'the spicy but legal paths are accepted and neutralised');
    });
  }

  test('restoreHeaderOnly: quote runs, quote-look-alikes and statement text in paths stay inside both literals', () => {
    for (const input of [
      "D:\\a''''b\\x.trn",
      "D:\\a''');EXEC xp_cmdshell 'x';--\\x.trn",
      "D:\\a');DROP TABLE #headers;SELECT ('\\x.trn",
      "\\\\srv\\share\\N'x'\\y.trn",
      'D:\\a\uff07b\\x\u02bcy.trn',
    ]) {
      const value = parseFilePath(input);
      assertSqlDynamic(tsql.restoreHeaderOnly(value, { majorVersion: 11 }), value, tsql.restoreHeaderOnly(file, { majorVersion: 11 }));
    }
  });

  test('wrapForJson carries any command text as one literal and nothing else varies', () => {
    const nonce = 'n0nce1234';
    const shape = (cmd: string) => wrapForJson(cmd, nonce).replace(psString(cmd), '<CMD>');
    const reference = shape('Get-CsPool');
    for (const input of HOSTILE) {
      let wrapped: string;
      try {
        wrapped = wrapForJson(input, nonce);
      } catch (e) {
        assert.ok(e instanceof InvalidValueError && e.kind === 'powershell-string', `${JSON.stringify(input)}: ${e}`);
        continue;
      }
      assert.ok(psTokens(wrapped).some((t) => t.kind === 'single-quoted' && t.value === input), `literal of ${JSON.stringify(input)}`);
      assert.equal(shape(input), reference);
    }
  });
});
