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
    [tsql.serverIdentity().text, "SELECT @@SERVERNAME AS server_name, @@VERSION AS version, CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS product_version;"],
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
    // PoolState is read as a name (domain audit D7): its numbers are documented nowhere.
    [ps.getPersistentChatState(), "Get-CsPersistentChatState | Select-Object @{n='Identity';e={[string]$_.Identity}}, @{n='PoolState';e={[string]$_.PoolState}}"],
    [
      ps.getPersistentChatState(persistentChatIdentity(pcPool)),
      "Get-CsPersistentChatState -Identity 'PersistentChatServer:atl-gc-001.litwareinc.com' | Select-Object @{n='Identity';e={[string]$_.Identity}}, @{n='PoolState';e={[string]$_.PoolState}}",
    ],
    [ps.setPersistentChatState(persistentChatIdentity(pcPool), 'FailedOver'), "Set-CsPersistentChatState -Identity 'PersistentChatServer:atl-gc-001.litwareinc.com' -PoolState FailedOver"],
    [ps.setPersistentChatState(parseXdsIdentity('service:atl-gc-001.litwareinc.com'), 'Normal'), "Set-CsPersistentChatState -Identity 'service:atl-gc-001.litwareinc.com' -PoolState Normal"],
    // The documented forms only (domain audit R6): `$null`, then `@{Add=…}`; never `@{Replace=…}`.
    [ps.addPersistentChatActiveServers(parseXdsIdentity('global'), [parseFqdn('dal-pc-001.litwareinc.com'), parseFqdn('dal-pc-002.litwareinc.com')]), "Set-CsPersistentChatActiveServer -Identity 'global' -ActiveServers @{Add='dal-pc-001.litwareinc.com','dal-pc-002.litwareinc.com'}"],
    [ps.clearPersistentChatActiveServers(parseXdsIdentity('global')), "Set-CsPersistentChatActiveServer -Identity 'global' -ActiveServers $null"],
    [
      ps.installMirrorDatabase({ databaseType: 'PersistentChat', sqlServerFqdn: parseFqdn('dal-pcbak-001.litwareinc.com'), sqlInstanceName: parseSqlInstanceName('pchat'), fileShare: parseUncPath('\\\\dal-fs-001.litwareinc.com\\PChatMirror'), dropExistingDatabasesOnMirror: true }),
      "Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn 'dal-pcbak-001.litwareinc.com' -SqlInstanceName 'pchat' -FileShare '\\\\dal-fs-001.litwareinc.com\\PChatMirror' -DropExistingDatabasesOnMirror -Confirm:$false",
    ],
    [
      ps.installMirrorDatabase({ databaseType: 'PersistentChat', sqlServerFqdn: parseFqdn('dal-pcbak-001.litwareinc.com'), fileShare: parseUncPath('\\\\fs\\m') }),
      "Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn 'dal-pcbak-001.litwareinc.com' -FileShare '\\\\fs\\m' -Confirm:$false",
    ],
    [
      ps.uninstallMirrorDatabase({ databaseType: 'User', sqlServerFqdn: parseFqdn('atl-mirror-001.litwareinc.com'), sqlInstanceName: parseSqlInstanceName('RTC'), dropExistingDatabasesOnMirror: true }),
      "Uninstall-CsMirrorDatabase -DatabaseType User -SqlServerFqdn 'atl-mirror-001.litwareinc.com' -SqlInstanceName 'RTC' -DropExistingDatabasesOnMirror",
    ],
    [
      ps.getDatabaseMirrorState(pcPool, 'PersistentChat'),
      "Get-CsDatabaseMirrorState -PoolFqdn 'atl-gc-001.litwareinc.com' -DatabaseType PersistentChat | Select-Object @{n='DatabaseName';e={[string]$_.DatabaseName}}, @{n='StateOnPrimary';e={[string]$_.StateOnPrimary}}, @{n='StateOnMirror';e={[string]$_.StateOnMirror}}",
    ],
    [
      ps.invokeManagementServerFailover({ backupSqlServerFqdn: parseFqdn('dal-sql-001.litwareinc.com'), backupSqlInstanceName: parseSqlInstanceName('rtc'), backupMirrorSqlServerFqdn: parseFqdn('dal-sqlm-001.litwareinc.com'), backupMirrorSqlInstanceName: parseSqlInstanceName('rtc') }),
      "Invoke-CsManagementServerFailover -BackupSqlServerFqdn 'dal-sql-001.litwareinc.com' -BackupSqlInstanceName 'rtc' -BackupMirrorSqlServerFqdn 'dal-sqlm-001.litwareinc.com' -BackupMirrorSqlInstanceName 'rtc' -Force",
    ],
    [ps.invokeManagementServerFailover({ backupSqlServerFqdn: parseFqdn('dal-sql-001.litwareinc.com') }), "Invoke-CsManagementServerFailover -BackupSqlServerFqdn 'dal-sql-001.litwareinc.com' -Force"],
    [ps.setEdgeServerNextHop(parseFqdn('atl-edge-001.litwareinc.com'), fePool), "Set-CsEdgeServer -Identity 'EdgeServer:atl-edge-001.litwareinc.com' -Registrar 'Registrar:atl-cs-001.litwareinc.com'"],
    [ps.getPoolBackupRelationship(fePool, { localStore: true }), "Get-CsPoolBackupRelationship -PoolFqdn 'atl-cs-001.litwareinc.com' -LocalStore"],
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

describe('RESTORE HEADERONLY into #headers (LSNs as text)', () => {
  const names = (major: number) => tsql.headerOnlyColumns(major).map(([name]) => name);
  const BASE = [
    'BackupName', 'BackupDescription', 'BackupType', 'ExpirationDate', 'Compressed', 'Position', 'DeviceType', 'UserName', 'ServerName',
    'DatabaseName', 'DatabaseVersion', 'DatabaseCreationDate', 'BackupSize', 'FirstLSN', 'LastLSN', 'CheckpointLSN', 'DatabaseBackupLSN',
    'BackupStartDate', 'BackupFinishDate', 'SortOrder', 'CodePage', 'UnicodeLocaleId', 'UnicodeComparisonStyle', 'CompatibilityLevel',
    'SoftwareVendorId', 'SoftwareVersionMajor', 'SoftwareVersionMinor', 'SoftwareVersionBuild', 'MachineName', 'Flags', 'BindingID',
    'RecoveryForkID', 'Collation', 'FamilyGUID', 'HasBulkLoggedData', 'IsSnapshot', 'IsReadOnly', 'IsSingleUser', 'HasBackupChecksums',
    'IsDamaged', 'BeginsLogChain', 'HasIncompleteMetaData', 'IsForceOffline', 'IsCopyOnly', 'FirstRecoveryForkID', 'ForkPointLSN',
    'RecoveryModel', 'DifferentialBaseLSN', 'DifferentialBaseGUID', 'BackupTypeDescription', 'BackupSetGUID', 'CompressedBackupSize',
  ];
  const V11 = [...BASE, 'Containment'];
  const V12 = [...V11, 'KeyAlgorithm', 'EncryptorThumbprint', 'EncryptorType'];
  const V16 = [...V12, 'LastValidRestoreTime', 'TimeZone', 'CompressionAlgorithm'];

  test('the column list of each version Lync / SfB back ends run: 2008 R2 (10) … 2022 (16)', () => {
    assert.deepEqual(names(10), BASE);
    assert.deepEqual(names(11), V11);
    for (const v of [12, 13, 14, 15]) assert.deepEqual(names(v), V12, `version ${v}`);
    assert.deepEqual(names(16), V16);
    assert.deepEqual([10, 11, 12, 13, 14, 15, 16].map((v) => tsql.headerOnlyColumns(v).length), [52, 53, 56, 56, 56, 56, 59]);
  });

  test('the column types are the documented ones', () => {
    const types = new Map(tsql.headerOnlyColumns(16));
    for (const lsn of ['FirstLSN', 'LastLSN', 'CheckpointLSN', 'DatabaseBackupLSN', 'ForkPointLSN', 'DifferentialBaseLSN']) assert.equal(types.get(lsn), 'numeric(25,0)', lsn);
    assert.deepEqual(
      ['BackupName', 'BackupDescription', 'BackupType', 'Compressed', 'Position', 'DeviceType', 'BackupSize', 'CompatibilityLevel', 'BindingID', 'RecoveryModel', 'BackupTypeDescription', 'CompressedBackupSize', 'Containment', 'KeyAlgorithm', 'EncryptorThumbprint', 'EncryptorType', 'LastValidRestoreTime', 'TimeZone', 'CompressionAlgorithm'].map((n) => types.get(n)),
      ['nvarchar(128)', 'nvarchar(255)', 'smallint', 'bit', 'smallint', 'tinyint', 'numeric(20,0)', 'tinyint', 'uniqueidentifier', 'nvarchar(60)', 'nvarchar(60)', 'bigint', 'tinyint', 'nvarchar(32)', 'varbinary(20)', 'nvarchar(32)', 'datetime', 'nvarchar(32)', 'nvarchar(32)'],
    );
  });

  test('versions whose result set is not known are refused', () => {
    for (const v of [9, 17, 12.5, Number.NaN]) {
      assert.throws(() => tsql.headerOnlyColumns(v), InvalidValueError, String(v));
      assert.throws(() => tsql.restoreHeaderOnly(trn, { majorVersion: v }), InvalidValueError, String(v));
    }
  });

  test('majorVersionOf reads SERVERPROPERTY(\'ProductVersion\')', () => {
    assert.deepEqual(['10.50.6000.34', '11.0.7001.0', '12.0.6024.0', '13.0.5026.0', '14.0.3456.2', '15.0.4375.4', '16.0.4135.4', ' 11.0.7001.0 ', '11.0'].map(tsql.majorVersionOf), [10, 11, 12, 13, 14, 15, 16, 11, 11]);
    for (const bad of ['', '11', 'abc', 'Microsoft SQL Server 2012 - 11.0.7001.0', '11.0.7001.0.1', '-11.0', '1234.0.0.0']) {
      assert.throws(() => tsql.majorVersionOf(bad), InvalidValueError, bad);
    }
    assert.throws(() => tsql.majorVersionOf(11 as unknown as string), InvalidValueError);
  });

  const columnsDdl = (major: number) => tsql.headerOnlyColumns(major).map(([n, ty]) => `${n} ${ty} NULL`).join(', ');
  const SELECT =
    'SELECT Position, BackupType, BackupTypeDescription, DatabaseName, ServerName, MachineName, ' +
    'CAST(FirstLSN AS varchar(30)) AS FirstLSN, CAST(LastLSN AS varchar(30)) AS LastLSN, CAST(CheckpointLSN AS varchar(30)) AS CheckpointLSN, ' +
    'CAST(DatabaseBackupLSN AS varchar(30)) AS DatabaseBackupLSN, CAST(ForkPointLSN AS varchar(30)) AS ForkPointLSN, ' +
    'CAST(DifferentialBaseLSN AS varchar(30)) AS DifferentialBaseLSN, BackupStartDate, BackupFinishDate, FirstRecoveryForkID, RecoveryForkID, ' +
    'IsCopyOnly, BeginsLogChain, HasIncompleteMetaData, IsDamaged, BackupSetGUID, FamilyGUID, BindingID FROM #headers ORDER BY Position;';

  test('exact text for a sample path (SQL Server 2012)', () => {
    const file = parseFilePath("D:\\LogShipping\\mgc\\O'Brien\\mgc_20240101120000.trn");
    assert.equal(
      tsql.restoreHeaderOnly(file, { majorVersion: 11 }).text,
      [
        'SET NOCOUNT ON;',
        'CREATE TABLE #headers (BackupName nvarchar(128) NULL, BackupDescription nvarchar(255) NULL, BackupType smallint NULL, ExpirationDate datetime NULL, ' +
          'Compressed bit NULL, Position smallint NULL, DeviceType tinyint NULL, UserName nvarchar(128) NULL, ServerName nvarchar(128) NULL, ' +
          'DatabaseName nvarchar(128) NULL, DatabaseVersion int NULL, DatabaseCreationDate datetime NULL, BackupSize numeric(20,0) NULL, ' +
          'FirstLSN numeric(25,0) NULL, LastLSN numeric(25,0) NULL, CheckpointLSN numeric(25,0) NULL, DatabaseBackupLSN numeric(25,0) NULL, ' +
          'BackupStartDate datetime NULL, BackupFinishDate datetime NULL, SortOrder smallint NULL, CodePage smallint NULL, UnicodeLocaleId int NULL, ' +
          'UnicodeComparisonStyle int NULL, CompatibilityLevel tinyint NULL, SoftwareVendorId int NULL, SoftwareVersionMajor int NULL, ' +
          'SoftwareVersionMinor int NULL, SoftwareVersionBuild int NULL, MachineName nvarchar(128) NULL, Flags int NULL, BindingID uniqueidentifier NULL, ' +
          'RecoveryForkID uniqueidentifier NULL, Collation nvarchar(128) NULL, FamilyGUID uniqueidentifier NULL, HasBulkLoggedData bit NULL, ' +
          'IsSnapshot bit NULL, IsReadOnly bit NULL, IsSingleUser bit NULL, HasBackupChecksums bit NULL, IsDamaged bit NULL, BeginsLogChain bit NULL, ' +
          'HasIncompleteMetaData bit NULL, IsForceOffline bit NULL, IsCopyOnly bit NULL, FirstRecoveryForkID uniqueidentifier NULL, ' +
          'ForkPointLSN numeric(25,0) NULL, RecoveryModel nvarchar(60) NULL, DifferentialBaseLSN numeric(25,0) NULL, ' +
          'DifferentialBaseGUID uniqueidentifier NULL, BackupTypeDescription nvarchar(60) NULL, BackupSetGUID uniqueidentifier NULL, ' +
          'CompressedBackupSize bigint NULL, Containment tinyint NULL);',
        "INSERT INTO #headers EXEC (N'RESTORE HEADERONLY FROM DISK = N''D:\\LogShipping\\mgc\\O''''Brien\\mgc_20240101120000.trn''');",
        SELECT,
        'DROP TABLE #headers;',
      ].join('\n'),
    );
  });

  test('the default is SQL Server 2014 (12); other versions change only the table', () => {
    const text = (major?: number) => tsql.restoreHeaderOnly(trn, major === undefined ? {} : { majorVersion: major }).text;
    assert.equal(tsql.restoreHeaderOnly(trn).text, text(12));
    assert.equal(tsql.DEFAULT_HEADERONLY_MAJOR_VERSION, 12);
    for (const v of [10, 11, 12, 13, 14, 15, 16]) {
      const lines = text(v).split('\n');
      assert.equal(lines.length, 5);
      assert.equal(lines[1], `CREATE TABLE #headers (${columnsDdl(v)});`);
      assert.equal(lines[2], "INSERT INTO #headers EXEC (N'RESTORE HEADERONLY FROM DISK = N''D:\\LogShipping\\mgc\\mgc_20240101120000.trn''');");
      assert.equal(lines[3], SELECT);
    }
  });

  test('a self-contained statement: no parameters, the path inline (EXEC cannot see variables)', () => {
    const c = tsql.restoreHeaderOnly(trn, { majorVersion: 11 });
    assert.deepEqual(c.params, {});
    assert.equal(toScript(c), c.text);
  });
});
