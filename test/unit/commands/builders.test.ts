import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  InvalidValueError,
  parseDatabaseName,
  parseFilePath,
  parseFqdn,
  parseSpid,
  parseSqlInstanceName,
  parseUncPath,
  parseXdsIdentity,
  persistentChatIdentity,
  ps,
  psString,
  sqlIdentifier,
  sqlString,
  toScript,
  tsql,
  type DatabaseName,
  type Spid,
} from '../../../src/core/commands';
import { psTokens, sqlTokens } from './tokenizers';

const mgc = parseDatabaseName('mgc');
const trn = parseFilePath('D:\\LogShipping\\mgc\\mgc_20240101120000.trn');
const bak = parseFilePath('\\\\atl-fs-001.litwareinc.com\\pchat-logs\\mgc_failback.bak');
const pcPool = parseFqdn('atl-gc-001.litwareinc.com');
const fePool = parseFqdn('atl-cs-001.litwareinc.com');

describe('T-SQL statements (exact text)', () => {
  const table: [string, string][] = [
    [tsql.deleteLogShippingSecondary(mgc).text, "EXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = N'mgc';"],
    [tsql.restoreLog(mgc, trn).text, "RESTORE LOG [mgc] FROM DISK = N'D:\\LogShipping\\mgc\\mgc_20240101120000.trn' WITH NORECOVERY;"],
    [tsql.recoverDatabase(mgc).text, 'RESTORE DATABASE [mgc] WITH RECOVERY;'],
    [tsql.backupDatabase(mgc, bak).text, "BACKUP DATABASE [mgc] TO DISK = N'\\\\atl-fs-001.litwareinc.com\\pchat-logs\\mgc_failback.bak' WITH INIT;"],
    [tsql.restoreDatabaseReplace(mgc, bak).text, "RESTORE DATABASE [mgc] FROM DISK = N'\\\\atl-fs-001.litwareinc.com\\pchat-logs\\mgc_failback.bak' WITH REPLACE, RECOVERY;"],
    [tsql.setPartnerOff(mgc).text, 'ALTER DATABASE [mgc] SET PARTNER OFF;'],
    [tsql.kill(parseSpid('53')).text, 'KILL 53;'],
    [tsql.serverIdentity().text, 'SELECT @@SERVERNAME AS server_name, @@VERSION AS version;'],
  ];
  for (const [actual, expected] of table) test(expected, () => assert.equal(actual, expected));

  test('statements carry no parameters', () => {
    assert.deepEqual(tsql.recoverDatabase(mgc).params, {});
  });

  test('kill refuses an unvalidated number', () => {
    assert.throws(() => tsql.kill(0 as Spid), InvalidValueError);
    assert.throws(() => tsql.kill(Number.NaN as Spid), InvalidValueError);
  });
});

describe('T-SQL queries (parameterised)', () => {
  test('database state', () => {
    const q = tsql.databaseState(mgc);
    assert.match(q.text, /^SELECT name, state_desc, recovery_model_desc\b.* FROM sys\.databases WHERE name = @db;$/);
    assert.deepEqual(q.params, { db: { type: 'sysname', value: 'mgc' } });
  });

  test('redo LSN is read as text, with its fork', () => {
    const q = tsql.redoLsn(mgc);
    assert.match(q.text, /CAST\(MIN\(redo_start_lsn\) AS varchar\(30\)\)/);
    assert.match(q.text, /redo_start_fork_guid/);
    assert.match(q.text, /DB_ID\(@db\)/);
  });

  test('log-shipping snapshot joins the secondary tables and jobs (§6.1)', () => {
    const q = tsql.logShippingSnapshot(mgc);
    for (const part of ['msdb.dbo.log_shipping_secondary AS s', 'log_shipping_secondary_databases AS d', 'last_copied_file', 'last_restored_file', 'backup_destination_directory', 'copy_job', 'restore_job', 'WHERE d.secondary_database = @db;']) {
      assert.ok(q.text.includes(part), part);
    }
  });

  test('restore history casts LSNs and takes a bounded TOP', () => {
    const q = tsql.restoreHistory(mgc, 10);
    assert.match(q.text, /CAST\(bs\.first_lsn AS varchar\(30\)\)/);
    assert.deepEqual(q.params.top, { type: 'int', value: 10 });
    assert.throws(() => tsql.restoreHistory(mgc, 0), InvalidValueError);
    assert.throws(() => tsql.restoreHistory(mgc, 1.5), InvalidValueError);
  });

  test('sessions exclude our own and system sessions', () => {
    const q = tsql.sessionsInDatabase(mgc);
    assert.match(q.text, /is_user_process = 1/);
    assert.match(q.text, /session_id <> @@SPID/);
  });

  test('HEADERONLY takes the file as a variable', () => {
    assert.deepEqual(tsql.restoreHeaderOnly(trn), { text: 'RESTORE HEADERONLY FROM DISK = @file;', params: { file: { type: 'nvarchar(260)', value: trn } } });
  });

  test('mirroring status and log-shipping count', () => {
    assert.match(tsql.mirroringStatus(mgc).text, /FROM sys\.database_mirroring WHERE database_id = DB_ID\(@db\);$/);
    assert.match(tsql.logShippingSecondaryCount(mgc).text, /WHERE secondary_database = @db;$/);
  });

  test('toScript renders parameters as DECLAREs in front', () => {
    assert.equal(
      toScript(tsql.restoreHistory(mgc, 5)).split('\n').slice(0, 3).join('\n'),
      "DECLARE @db sysname = N'mgc';\nDECLARE @top int = 5;\nSELECT TOP (@top) rh.restore_history_id, rh.restore_date, rh.restore_type, rh.[replace], rh.[recovery],",
    );
    assert.equal(toScript(tsql.recoverDatabase(mgc)), 'RESTORE DATABASE [mgc] WITH RECOVERY;');
  });
});

describe('quoting', () => {
  test("sqlString doubles ' and refuses controls", () => {
    assert.equal(sqlString("it's"), "N'it''s'");
    assert.throws(() => sqlString('a\nb'), (e: unknown) => e instanceof InvalidValueError && e.kind === 'sql-string');
  });

  test('sqlIdentifier doubles ]', () => {
    assert.equal(sqlIdentifier('a]b' as DatabaseName), '[a]]b]');
  });

  test('psString doubles every PowerShell single quote, ASCII or typographic', () => {
    assert.equal(psString("it's"), "'it''s'");
    assert.equal(psString('it\u2019s \u2018x\u2019 \u201a\u201b'), "'it\u2019\u2019s \u2018\u2018x\u2019\u2019 \u201a\u201a\u201b\u201b'");
    assert.equal(psString('$(x) `n "y"'), "'$(x) `n \"y\"'");
    assert.throws(() => psString('a\r\nb'), (e: unknown) => e instanceof InvalidValueError && e.kind === 'powershell-string');
  });

  // Any string without control characters survives quoting exactly, as one literal.
  const text = fc.string({ unit: fc.constantFrom(...[..."ab'’‘‚‛\"“]]-/*;$()`@{}|&#\\ .N[", '\u2013', 'é', '😀']) });
  test('property: psString round-trips through the PowerShell tokenizer', () => {
    fc.assert(fc.property(text, (s) => {
      const tokens = psTokens(psString(s));
      assert.deepEqual(tokens, [{ kind: 'single-quoted', value: s }]);
    }));
  });
  test('property: sqlString and sqlIdentifier round-trip through the T-SQL tokenizer', () => {
    fc.assert(fc.property(text, (s) => {
      assert.deepEqual(sqlTokens(sqlString(s)), [{ kind: 'string', value: s }]);
      if (s !== '') assert.deepEqual(sqlTokens(sqlIdentifier(s as DatabaseName)), [{ kind: 'identifier', value: s }]);
    }));
  });
});

describe('PowerShell commands (exact text)', () => {
  const table: [string, string][] = [
    [ps.getPersistentChatState(), 'Get-CsPersistentChatState'],
    [ps.getPersistentChatState(persistentChatIdentity(pcPool)), "Get-CsPersistentChatState -Identity 'PersistentChatServer:atl-gc-001.litwareinc.com'"],
    [ps.setPersistentChatState(persistentChatIdentity(pcPool), 'FailedOver'), "Set-CsPersistentChatState -Identity 'PersistentChatServer:atl-gc-001.litwareinc.com' -PoolState FailedOver"],
    [ps.setPersistentChatState(parseXdsIdentity('service:atl-gc-001.litwareinc.com'), 'Normal'), "Set-CsPersistentChatState -Identity 'service:atl-gc-001.litwareinc.com' -PoolState Normal"],
    [ps.setPersistentChatActiveServers(parseXdsIdentity('global'), [parseFqdn('dal-pc-001.litwareinc.com'), parseFqdn('dal-pc-002.litwareinc.com')]), "Set-CsPersistentChatActiveServer -Identity 'global' -ActiveServers @{Replace='dal-pc-001.litwareinc.com','dal-pc-002.litwareinc.com'}"],
    [ps.setPersistentChatActiveServers(parseXdsIdentity('global'), []), "Set-CsPersistentChatActiveServer -Identity 'global' -ActiveServers $null"],
    [
      ps.installMirrorDatabase({ databaseType: 'PersistentChat', sqlServerFqdn: parseFqdn('dal-pcbak-001.litwareinc.com'), sqlInstanceName: parseSqlInstanceName('pchat'), fileShare: parseUncPath('\\\\dal-fs-001.litwareinc.com\\PChatMirror'), dropExistingDatabasesOnMirror: true }),
      "Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn 'dal-pcbak-001.litwareinc.com' -SqlInstanceName 'pchat' -FileShare '\\\\dal-fs-001.litwareinc.com\\PChatMirror' -DropExistingDatabasesOnMirror",
    ],
    [
      ps.installMirrorDatabase({ databaseType: 'PersistentChat', sqlServerFqdn: parseFqdn('dal-pcbak-001.litwareinc.com'), fileShare: parseUncPath('\\\\fs\\m') }),
      "Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn 'dal-pcbak-001.litwareinc.com' -FileShare '\\\\fs\\m'",
    ],
    [
      ps.uninstallMirrorDatabase({ databaseType: 'User', sqlServerFqdn: parseFqdn('atl-mirror-001.litwareinc.com'), sqlInstanceName: parseSqlInstanceName('RTC'), dropExistingDatabasesOnMirror: true }),
      "Uninstall-CsMirrorDatabase -DatabaseType User -SqlServerFqdn 'atl-mirror-001.litwareinc.com' -SqlInstanceName 'RTC' -DropExistingDatabasesOnMirror",
    ],
    [ps.getDatabaseMirrorState(pcPool, 'PersistentChat'), "Get-CsDatabaseMirrorState -PoolFqdn 'atl-gc-001.litwareinc.com' -DatabaseType PersistentChat"],
    [ps.getDatabaseMirrorState(pcPool), "Get-CsDatabaseMirrorState -PoolFqdn 'atl-gc-001.litwareinc.com'"],
    [ps.invokeBackupServiceSync(fePool, 'ConfServices.DataConf'), "Invoke-CsBackupServiceSync -PoolFqdn 'atl-cs-001.litwareinc.com' -BackupModule 'ConfServices.DataConf'"],
    [ps.invokeBackupServiceSync(fePool), "Invoke-CsBackupServiceSync -PoolFqdn 'atl-cs-001.litwareinc.com'"],
    [ps.getBackupServiceStatus(fePool), "Get-CsBackupServiceStatus -PoolFqdn 'atl-cs-001.litwareinc.com'"],
    [ps.getBackupServiceStatus(fePool, 'UserData'), "Get-CsBackupServiceStatus -PoolFqdn 'atl-cs-001.litwareinc.com' -Category UserData"],
    [ps.getPoolBackupRelationship(fePool), "Get-CsPoolBackupRelationship -PoolFqdn 'atl-cs-001.litwareinc.com'"],
    [ps.getPool(), 'Get-CsPool'],
    [ps.getPool(fePool), "Get-CsPool -Identity 'atl-cs-001.litwareinc.com'"],
    [ps.invokePoolFailOver(fePool, { disasterMode: true }), "Invoke-CsPoolFailOver -PoolFqdn 'atl-cs-001.litwareinc.com' -DisasterMode"],
    [ps.invokePoolFailOver(fePool, { disasterMode: false }), "Invoke-CsPoolFailOver -PoolFqdn 'atl-cs-001.litwareinc.com'"],
    [ps.invokePoolFailBack(fePool), "Invoke-CsPoolFailBack -PoolFqdn 'atl-cs-001.litwareinc.com'"],
    [ps.invokePoolFailBack(fePool, { disasterMode: true }), "Invoke-CsPoolFailBack -PoolFqdn 'atl-cs-001.litwareinc.com' -DisasterMode"],
  ];
  for (const [actual, expected] of table) test(expected, () => assert.equal(actual, expected));
});
