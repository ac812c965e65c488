/**
 * One test (at least) per recognizer in src/lab/sql/statements/index.ts, with the forms admins
 * write (case, brackets, master.dbo., EXEC/EXECUTE, named/positional, N'', GO, comments), and the
 * SQL Server errors for anything else.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDatabaseName, parseFilePath, tsql } from '../../../src/core/commands';
import { readBackupFile } from '../../../src/lab/model/backup-file';
import { deviceFile } from '../../../src/lab/model/operations';
import { RECOGNIZERS } from '../../../src/lab/sql/statements';
import { headerOnlyColumnsOf } from '../../../src/lab/sql/statements/backup-restore';
import { typeName, type SqlType } from '../../../src/lab/sql/types';
import { SQL_VERSION_PROFILES } from '../../../src/lab/sql/version';
import { check, runbookText, sql, step } from '../rules/harness';
import { connect, makeModel, objects } from './fixtures';

const COPY = 'D:\\LogShipping\\mgc';

test('every recognizer is covered by this file', () => {
  assert.deepEqual(RECOGNIZERS.map((r) => r.id), [
    'select', 'exec', 'kill', 'use', 'set', 'transaction', 'restore-headeronly', 'restore-filelistonly', 'restore-log', 'restore-database', 'backup-database', 'backup-log',
    'alter-database-set-partner-off',
    'create-temp-table', 'insert-exec', 'drop-table',
  ]);
});

test('select: sys.databases in the forms admins write', async (t) => {
  const c = connect(makeModel(t, 'pchat-dc-loss'), 'dal-pcbak');
  for (const q of [
    "SELECT name, state_desc FROM sys.databases WHERE name = N'mgc'",
    "select [name], [state_desc] from [master].[sys].[databases] where [name] = 'MGC';",
    "Select d.name, d.state_desc From master.sys.databases AS d WITH (NOLOCK) Where d.name IN ('mgc') Order By d.name",
    "SELECT name, state_desc FROM sys.databases WHERE name = @db",
  ]) {
    const r = await c.run(q, { db: 'mgc' });
    assert.deepEqual(r.errors, [], q);
    assert.deepEqual(objects(r), [{ name: 'mgc', state_desc: 'RESTORING' }], q);
  }
  const all = objects(await c.run('SELECT name, database_id, recovery_model_desc FROM sys.databases ORDER BY database_id DESC'));
  assert.deepEqual(all.map((d) => d.name), ['mgccomp', 'mgc', 'msdb', 'model', 'tempdb', 'master']);
});

test('select: the §6.1 log-shipping snapshot join and the redo LSN as varchar', async (t) => {
  const c = connect(makeModel(t, 'pchat-dc-loss'), 'dal-pcbak');
  const snap = objects(await c.run(`SELECT s.primary_server, s.primary_database, d.secondary_database,
       s.backup_source_directory, s.backup_destination_directory,
       s.last_copied_file, s.last_copied_date, d.last_restored_file, d.last_restored_date,
       d.restore_mode, cj.name AS copy_job, rj.name AS restore_job
FROM msdb.dbo.log_shipping_secondary AS s
JOIN msdb.dbo.log_shipping_secondary_databases AS d ON d.secondary_id = s.secondary_id
LEFT JOIN msdb.dbo.sysjobs AS cj ON cj.job_id = s.copy_job_id
LEFT JOIN msdb.dbo.sysjobs AS rj ON rj.job_id = s.restore_job_id
WHERE d.secondary_database = N'mgc';`));
  assert.equal(snap.length, 1);
  assert.deepEqual(
    { ...snap[0], last_copied_date: undefined, last_restored_date: undefined },
    {
      primary_server: 'ATL-PCSQL-001\\PCHAT', primary_database: 'mgc', secondary_database: 'mgc', backup_source_directory: '\\\\atl-fs-001.litwareinc.com\\pchat-logs',
      backup_destination_directory: COPY, last_copied_file: `${COPY}\\mgc_20240506074500.trn`, last_copied_date: undefined,
      last_restored_file: `${COPY}\\mgc_20240506073500.trn`, last_restored_date: undefined, restore_mode: false,
      copy_job: 'LSCopy_ATL-PCSQL-001\\PCHAT_mgc', restore_job: 'LSRestore_ATL-PCSQL-001\\PCHAT_mgc',
    },
  );
  const redo = objects(await c.run(`SELECT DB_NAME(database_id) AS db, CAST(MIN(redo_start_lsn) AS varchar(30)) AS redo_start_lsn, redo_start_fork_guid
    FROM master.sys.master_files WHERE database_id = DB_ID(N'mgc') AND redo_start_lsn IS NOT NULL GROUP BY database_id, redo_start_fork_guid;`));
  assert.equal(redo.length, 1);
  assert.equal(redo[0]!.db, 'mgc');
  assert.match(String(redo[0]!.redo_start_lsn), /^\d{17}$/);
  const history = objects(await c.run(`SELECT TOP (1) rh.restore_type, rh.recovery, CAST(bs.last_lsn AS varchar(30)) AS last_lsn, bmf.physical_device_name
    FROM msdb.dbo.restorehistory rh JOIN msdb.dbo.backupset bs ON bs.backup_set_id = rh.backup_set_id
    JOIN msdb.dbo.backupmediafamily bmf ON bmf.media_set_id = bs.media_set_id
    WHERE rh.destination_database_name = 'mgc' AND rh.restore_type = 'L' ORDER BY rh.restore_history_id DESC`));
  assert.deepEqual(history, [{ restore_type: 'L', recovery: false, last_lsn: redo[0]!.redo_start_lsn, physical_device_name: `${COPY}\\mgc_20240506073500.trn` }]);
});

test('select: without FROM, @@globals, functions, mirroring view; name errors are SQL Server\'s', async (t) => {
  const model = makeModel(t);
  const c = connect(model, 'atl-pcsql');
  const r = await c.run('SELECT 1; select @@SERVERNAME AS s, DB_NAME() d, SERVERPROPERTY(\'MachineName\') AS m; SELECT @@VERSION');
  assert.deepEqual(r.sets.map((s) => s.rows), [[[1]], [['ATL-PCSQL-001\\PCHAT', 'master', 'ATL-PCSQL-001']], [[r.sets[2]!.rows[0]![0]]]]);
  assert.match(String(r.sets[2]!.rows[0]![0]), /^Microsoft SQL Server 2012/);
  const m = objects(await c.run("SELECT DB_NAME(database_id) AS db, mirroring_role_desc, mirroring_state_desc, mirroring_partner_instance FROM sys.database_mirroring WHERE mirroring_guid IS NOT NULL ORDER BY 1"));
  assert.deepEqual(m, [
    { db: 'mgc', mirroring_role_desc: 'PRINCIPAL', mirroring_state_desc: 'SYNCHRONIZED', mirroring_partner_instance: 'ATL-PCSQLM-001\\PCHAT' },
    { db: 'mgccomp', mirroring_role_desc: 'PRINCIPAL', mirroring_state_desc: 'SYNCHRONIZED', mirroring_partner_instance: 'ATL-PCSQLM-001\\PCHAT' },
  ]);
  const errors = async (q: string) => (await c.run(q)).errors.map((e) => `${e.number} ${e.message}`);
  assert.deepEqual(await errors('SELECT * FROM dbo.nope'), ["208 Invalid object name 'dbo.nope'."]);
  assert.deepEqual(await errors('SELECT * FROM databases'), ["208 Invalid object name 'databases'."]);
  assert.deepEqual(await errors('SELECT nme FROM sys.databases'), ["207 Invalid column name 'nme'."]);
  assert.deepEqual(await errors('SELECT x.name FROM sys.databases d'), ['4104 The multi-part identifier "x.name" could not be bound.']);
  assert.deepEqual(await errors('SELECT name FROM sys.databases WHERE name = @nope'), ['137 Must declare the scalar variable "@nope".']);
  assert.deepEqual(await errors('SELECT name, COUNT(*) FROM sys.databases'), ["8120 Column 'databases.name' is invalid in the select list because it is not contained in either an aggregate function or the GROUP BY clause."]);
  assert.deepEqual(await errors('SELECT name FROM sys.databases WHERE'), ["102 Incorrect syntax near 'WHERE'."]);
  assert.deepEqual(await errors('SELECT name FROM sys.databases ORDER'), ["102 Incorrect syntax near 'ORDER'."]);
  assert.deepEqual(await errors('UPDATE sys.databases SET name = 1'), ["156 Incorrect syntax near the keyword 'UPDATE'."]);
  assert.deepEqual(await errors('selec 1'), ["2812 Could not find stored procedure 'selec'."]);
  assert.deepEqual(await errors('SELECT 1 FROM sys.databases; DELETE FROM x'), ["156 Incorrect syntax near the keyword 'DELETE'."]);
  // A known statement compiles; it fails when it runs, after the SELECT.
  const dropped = await c.run('SELECT 1 AS one; DROP TABLE x');
  assert.deepEqual([dropped.sets.length, dropped.errors.map((e) => `${e.number} ${e.message}`)], [1, ["3701 Cannot drop the table 'x', because it does not exist or you do not have permission."]]);
});

test('exec: sp_who2 and sp_who, with EXEC/EXECUTE/bare, brackets, filters', async (t) => {
  const c = connect(makeModel(t, 'pchat-dc-loss'), 'dal-pcbak');
  for (const q of ['EXEC sp_who2', 'execute [master].[dbo].[sp_who2];', 'sp_who2', "EXEC sp_who2 'active'", 'exec master..sp_who2 @loginame = NULL']) {
    const r = await c.run(q);
    assert.deepEqual(r.errors, [], q);
    assert.deepEqual(r.sets[0]!.columns.map((col) => col.name), ['SPID', 'Status', 'Login', 'HostName', 'BlkBy', 'DBName', 'Command', 'CPUTime', 'DiskIO', 'LastBatch', 'ProgramName', 'SPID', 'REQUESTID'], q);
    const own = r.sets[0]!.rows.find((row) => String(row[0]).trim() === String(c.session.spid))!;
    assert.equal(own[1], 'RUNNABLE', q);
  }
  const who = objects(await c.run('exec sp_who'));
  assert.ok(who.some((w) => w.spid === 1 && w.dbname === null));
  const err = async (q: string) => (await c.run(q)).errors.map((e) => e.number);
  assert.deepEqual(await err('exec sp_nope'), [2812]);
  assert.deepEqual(await err("exec sp_who2 'a', 'b'"), [8144]);
  assert.deepEqual(await err('exec sp_who2 @bogus = 1'), [8145]);
  assert.deepEqual(await err('exec sp_delete_log_shipping_secondary_database'), [201]);
  const viaExecutesql = await c.run("EXEC sp_executesql N'SELECT name FROM sys.databases WHERE name = @n', N'@n sysname', @n = N'msdb'");
  assert.deepEqual(objects(viaExecutesql), [{ name: 'msdb' }]);
  assert.deepEqual(objects(await c.run("EXEC ('select 42 as answer')")), [{ answer: 42 }]);
});

test('exec: sp_delete_log_shipping_secondary_database — master and secondary only, named or positional', async (t) => {
  const model = makeModel(t, 'pchat-dc-loss');
  const primary = connect(model, 'dal-pcbakm');
  assert.deepEqual((await primary.run("EXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = N'mgc';")).errors.map((e) => e.message), ['Database mgc does not exist as log shipping secondary.']);
  const c = connect(model, 'dal-pcbak', 'msdb');
  assert.deepEqual((await c.run('exec sp_delete_log_shipping_secondary_database mgc')).errors.map((e) => `${e.number} ${e.message}`), ['5001 User must be in the master database.']);
  const r = await c.run("EXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = N'mgc';");
  assert.deepEqual(r.errors, []);
  const left = await c.run("SELECT COUNT(*) AS n FROM msdb.dbo.log_shipping_secondary_databases; SELECT COUNT(*) AS n FROM msdb..log_shipping_secondary; SELECT name FROM msdb.dbo.sysjobs; SELECT state_desc FROM sys.databases WHERE name = 'mgc'");
  assert.deepEqual(left.sets.map((s) => s.rows), [[[0]], [[0]], [], [['RESTORING']]]);
  assert.deepEqual((await c.run('USE master\nGO\nexec sp_delete_log_shipping_secondary_database mgc')).errors.map((e) => e.number), [32014]);
});

test('kill: sessions of others; never own (6104), never system (6107), unknown spid 6106', async (t) => {
  const model = makeModel(t, 'pchat-dc-loss');
  const c = connect(model, 'dal-pcbak');
  const other = connect(model, 'dal-pcbak', 'msdb');
  const err = async (q: string) => (await c.run(q)).errors.map((e) => e.number);
  assert.deepEqual(await err(`KILL ${c.session.spid}`), [6104]);
  assert.deepEqual(await err('kill 3'), [6107]);
  assert.deepEqual(await err('KILL 999'), [6106]);
  assert.deepEqual(await err(`kill ${other.session.spid};`), []);
  assert.equal(model.instance('dal-pcbak')!.session(other.session.spid), undefined);
});

test('use, set, transaction: session statements', async (t) => {
  const c = connect(makeModel(t, 'pchat-dc-loss'), 'dal-pcbak');
  const use = await c.run('USE [msdb]; SELECT DB_NAME() AS db');
  assert.deepEqual(use.events.filter((e) => e.kind === 'database'), [{ kind: 'database', name: 'msdb', previous: 'master' }]);
  assert.deepEqual(use.infos.map((i) => i.message), ["Changed database context to 'msdb'."]);
  assert.deepEqual(objects(use), [{ db: 'msdb' }]);
  assert.deepEqual((await c.run('use mgc')).errors.map((e) => e.number), [927]);
  assert.deepEqual((await c.run('use nodb')).errors.map((e) => e.number), [911]);
  const tedious = 'set ansi_nulls on\nset ansi_null_dflt_on on\nset ansi_padding on\nset ansi_warnings on\nset arithabort on\nset concat_null_yields_null on\nset datefirst 7\nset dateformat mdy\nset implicit_transactions off\nset language us_english\nset numeric_roundabort off\nset quoted_identifier on\nset textsize 2147483647\nset transaction isolation level read committed\nset xact_abort off';
  assert.deepEqual((await c.run(tedious)).errors, []);
  assert.deepEqual((await c.run('SET NOCOUNT ON; SET LOCK_TIMEOUT -1')).errors, []);
  assert.deepEqual((await c.run('set bogus on')).errors.map((e) => e.number), [102]);
  const tx = await c.run('BEGIN TRAN; SELECT @@TRANCOUNT AS n; COMMIT; SELECT @@TRANCOUNT AS n');
  assert.deepEqual(tx.sets.map((s) => s.rows[0]![0]), [1, 0]);
  assert.deepEqual((await c.run('ROLLBACK TRANSACTION')).errors.map((e) => e.number), [3903]);
});

test('restore-headeronly: one row per backup set with the header LSNs', async (t) => {
  const c = connect(makeModel(t, 'pchat-dc-loss'), 'dal-pcbak');
  const r = await c.run(`RESTORE HEADERONLY FROM DISK = N'${COPY}\\mgc_20240506074000.trn' WITH NOUNLOAD`);
  const [h] = objects(r);
  assert.equal(h!.BackupType, 2);
  assert.equal(h!.BackupTypeDescription, 'Transaction Log');
  assert.equal(h!.DatabaseName, 'mgc');
  assert.equal(h!.ServerName, 'ATL-PCSQL-001\\PCHAT');
  assert.equal(h!.Position, 1);
  assert.equal(typeof h!.FirstLSN, 'bigint');
  assert.ok((h!.LastLSN as bigint) > (h!.FirstLSN as bigint));
  const missing = await c.run(`restore headeronly from disk = '${COPY}\\nope.trn'`);
  assert.deepEqual(missing.errors.map((e) => e.message), [`Cannot open backup device '${COPY}\\nope.trn'. Operating system error 2(The system cannot find the file specified.).`, 'RESTORE HEADERONLY is terminating abnormally.']);
});

test('restore-log / restore-database / backup-database / alter-database-set-partner-off: the failover and failback SQL', async (t) => {
  const model = makeModel(t, 'pchat-dc-loss');
  const c = connect(model, 'dal-pcbak');
  const r1 = await c.run(`RESTORE LOG mgc FROM DISK = N'${COPY}\\mgc_20240506074000.trn' WITH NORECOVERY;\nGO\nrestore log [mgc] from disk = '${COPY}\\mgc_20240506074500.trn' with norecovery, stats = 25`);
  assert.deepEqual(r1.errors, []);
  const percents = r1.infos.filter((i) => i.number === 3211).map((i) => i.message);
  assert.equal(percents.length, 20 + 4);
  assert.equal(percents[0], '5 percent processed.');
  assert.deepEqual(percents.slice(20), ['25 percent processed.', '50 percent processed.', '75 percent processed.', '100 percent processed.']);
  assert.match(r1.infos.find((i) => i.number === 4035)!.message, /^Processed 0 pages for database 'mgc', file 'mgc' on file 1\.$/);
  assert.match(r1.infos.at(-1)!.message, /^RESTORE LOG successfully processed \d+ pages in \d+\.\d{3} seconds \(\d+\.\d{3} MB\/sec\)\.$/);

  const rec = await c.run('restore database mgc with recovery');
  assert.deepEqual(rec.errors, []);
  assert.match(rec.infos.at(-1)!.message, /^RESTORE DATABASE successfully processed 0 pages/);
  assert.equal(model.databaseState('dal-pcbak', 'mgc'), 'ONLINE');

  const bak = '\\\\atl-fs-001.litwareinc.com\\pchat-logs\\mgc_failback.bak';
  const b = await c.run(`BACKUP DATABASE mgc TO DISK = N'${bak}' WITH INIT;`);
  assert.deepEqual(b.errors, []);
  assert.match(b.infos.at(-1)!.message, /^BACKUP DATABASE successfully processed \d+ pages/);
  const sets = objects(await c.run(`SELECT bs.type, bmf.physical_device_name FROM msdb.dbo.backupset bs JOIN msdb.dbo.backupmediafamily bmf ON bmf.media_set_id = bs.media_set_id WHERE bs.type = 'D' AND bmf.physical_device_name LIKE '%failback%'`));
  assert.deepEqual(sets, [{ type: 'D', physical_device_name: bak }]);

  // Failback: the rebuilt primary comes back; restore the full backup over its mgc.
  model.setReachable('atl-pcsql', true);
  const p = connect(model, 'atl-pcsql');
  assert.deepEqual((await p.run(`RESTORE DATABASE mgc FROM DISK = N'${bak}' WITH REPLACE, RECOVERY`)).errors.map((e) => e.number), [3104, 3013]);
  assert.deepEqual((await p.run('ALTER DATABASE [mgc] SET PARTNER OFF;')).errors, []);
  assert.equal(model.mirroringStatus('atl-pcsqlm', 'mgc').role, null);
  assert.deepEqual((await p.run('ALTER DATABASE mgc SET PARTNER OFF')).errors.map((e) => e.number), [1416]);
  // The Persistent Chat service still has a session in mgc: exclusive access fails until it is killed.
  assert.deepEqual((await p.run(`RESTORE DATABASE mgc FROM DISK = N'${bak}' WITH RECOVERY`)).errors.map((e) => e.number), [3101, 3013]);
  for (const row of (await p.run('EXEC sp_who2')).sets[0]!.rows.filter((r) => r[5] === 'mgc')) assert.deepEqual((await p.run(`KILL ${String(row[0]).trim()}`)).errors, []);
  assert.deepEqual((await p.run(`RESTORE DATABASE mgc FROM DISK = N'${bak}' WITH RECOVERY`)).errors.map((e) => e.number), [3159, 3013]);
  const restored = await p.run(`RESTORE DATABASE mgc FROM DISK = N'${bak}' WITH REPLACE, RECOVERY`);
  assert.deepEqual(restored.errors, []);
  const hist = objects(await p.run("SELECT restore_type, [replace], recovery FROM msdb.dbo.restorehistory WHERE destination_database_name = 'mgc'"));
  assert.deepEqual(hist, [{ restore_type: 'D', replace: true, recovery: true }]);
  assert.equal(model.databaseState('atl-pcsql', 'mgc'), 'ONLINE');
  assert.deepEqual((await p.run(`BACKUP DATABASE nodb TO DISK = N'${bak}'`)).errors.map((e) => e.number), [911, 3013]);
  assert.deepEqual((await p.run(`RESTORE LOG mgc FROM DISK = N'${bak}' WITH INIT`)).errors.map((e) => e.number), [3032]);
});

test('restore-filelistonly / restore-database WITH MOVE: a rebuilt primary whose data folder differs', async (t) => {
  const model = makeModel(t, 'pchat-dc-loss');
  const c = connect(model, 'dal-pcbak');
  assert.deepEqual((await c.run('RESTORE DATABASE mgc WITH RECOVERY')).errors, []);
  const bak = '\\\\atl-fs-001.litwareinc.com\\pchat-logs\\mgc_failback.bak';
  assert.deepEqual((await c.run(`BACKUP DATABASE mgc TO DISK = N'${bak}' WITH INIT`)).errors, []);

  // The backup lists the files where the backup instance keeps them.
  const list = await c.run(`RESTORE FILELISTONLY FROM DISK = N'${bak}'`);
  assert.deepEqual(list.errors, []);
  assert.deepEqual(list.sets[0]!.columns.slice(0, 4).map((col) => col.name), ['LogicalName', 'PhysicalName', 'Type', 'FileGroupName']);
  assert.deepEqual(objects(list).map((r) => [r.LogicalName, r.PhysicalName, r.Type]), [
    ['mgc', 'D:\\SQLData\\pchat\\mgc.mdf', 'D'],
    ['mgc_log', 'D:\\SQLData\\pchat\\mgc_log.ldf', 'L'],
  ]);

  // The rebuilt primary keeps its data elsewhere: without MOVE the folder does not exist there.
  model.setReachable('atl-pcsql', true);
  model.setMirroring('atl-pcsql', 'mgc', null);
  const primary = model.instance('atl-pcsql')!;
  primary.dataFolder = 'E:\\MSSQL\\Data';
  primary.database('mgc')!.files = [
    { logical: 'mgc', physical: 'E:\\MSSQL\\Data\\mgc.mdf', type: 'D' },
    { logical: 'mgc_log', physical: 'E:\\MSSQL\\Data\\mgc_log.ldf', type: 'L' },
  ];
  const p = connect(model, 'atl-pcsql');
  for (const row of (await p.run('EXEC sp_who2')).sets[0]!.rows.filter((r) => r[5] === 'mgc')) await p.run(`KILL ${String(row[0]).trim()}`);
  const plain = await p.run(`RESTORE DATABASE mgc FROM DISK = N'${bak}' WITH REPLACE, RECOVERY`);
  assert.deepEqual(plain.errors.map((e) => `${e.number} ${e.message}`), [
    '5133 Directory lookup for the file "D:\\SQLData\\pchat\\mgc.mdf" failed with the operating system error 3(The system cannot find the path specified.).',
    "3156 File 'mgc' cannot be restored to 'D:\\SQLData\\pchat\\mgc.mdf'. Use WITH MOVE to identify a valid location for the file.",
    '3119 Problems were identified while planning for the RESTORE statement. Previous messages provide details.',
    '3013 RESTORE DATABASE is terminating abnormally.',
  ]);
  assert.deepEqual((await p.run(`RESTORE DATABASE mgc FROM DISK = N'${bak}' WITH MOVE N'nope' TO N'E:\\MSSQL\\Data\\x.mdf', REPLACE`)).errors.map((e) => e.number), [3234, 3013]);
  // Onto another database's file: 1834.
  const onComp = await p.run(`RESTORE DATABASE mgc FROM DISK = N'${bak}' WITH MOVE N'mgc' TO N'E:\\MSSQL\\Data\\mgc.mdf', MOVE N'mgc_log' TO N'E:\\MSSQL\\Data\\mgccomp_log.ldf', REPLACE, RECOVERY`);
  assert.deepEqual(onComp.errors.map((e) => e.number), [1834, 3156, 3119, 3013]);
  const moved = await p.run(`RESTORE DATABASE mgc FROM DISK = N'${bak}' WITH MOVE N'mgc' TO N'E:\\MSSQL\\Data\\mgc.mdf', MOVE N'mgc_log' TO N'E:\\MSSQL\\Data\\mgc_log.ldf', REPLACE, RECOVERY`);
  assert.deepEqual(moved.errors, []);
  assert.deepEqual(objects(await p.run("SELECT name, physical_name FROM sys.master_files WHERE database_id = DB_ID(N'mgc') ORDER BY file_id")), [
    { name: 'mgc', physical_name: 'E:\\MSSQL\\Data\\mgc.mdf' },
    { name: 'mgc_log', physical_name: 'E:\\MSSQL\\Data\\mgc_log.ldf' },
  ]);
  assert.equal(model.databaseState('atl-pcsql', 'mgc'), 'ONLINE');
});

test('backup-log: WITH NORECOVERY takes the tail of the log and leaves the database RESTORING', async (t) => {
  const model = makeModel(t, 'steady');
  const c = connect(model, 'atl-pcsql');
  const tail = '\\\\atl-fs-001.litwareinc.com\\pchat-logs\\mgc_tail.trn';
  model.setMirroring('atl-pcsql', 'mgc', null);
  // The Persistent Chat service's session in mgc: NORECOVERY needs exclusive access.
  assert.deepEqual((await c.run(`BACKUP LOG mgc TO DISK = N'${tail}' WITH NORECOVERY`)).errors.map((e) => e.number), [3101, 3013]);
  for (const row of (await c.run('EXEC sp_who2')).sets[0]!.rows.filter((r) => r[5] === 'mgc')) await c.run(`KILL ${String(row[0]).trim()}`);
  const r = await c.run(`BACKUP LOG [mgc] TO DISK = N'${tail}' WITH INIT, NORECOVERY`);
  assert.deepEqual(r.errors, []);
  assert.equal(model.databaseState('atl-pcsql', 'mgc'), 'RESTORING');
  const header = objects(await c.run(`RESTORE HEADERONLY FROM DISK = N'${tail}'`))[0]!;
  assert.equal(header.BackupType, 2);
  assert.equal(header.DatabaseName, 'mgc');
  assert.deepEqual((await c.run(`BACKUP LOG mgc TO DISK = N'${tail}'`)).errors.map((e) => e.number), [927, 3013]);
  assert.deepEqual((await c.run(`BACKUP LOG nodb TO DISK = N'${tail}'`)).errors.map((e) => e.number), [911, 3013]);
});

test('create-temp-table / insert-exec / drop-table: #tables of a session', async (t) => {
  const model = makeModel(t, 'pchat-dc-loss');
  const c = connect(model, 'dal-pcbak');
  const errors = async (q: string) => (await c.run(q)).errors.map((e) => `${e.number} ${e.class} ${e.message}`);
  assert.deepEqual(await errors('create table #t (a int NULL, [b] nvarchar(10) NOT NULL, c numeric(25,0))'), []);
  assert.deepEqual(await errors('CREATE TABLE #t (x int)'), ["2714 16 There is already an object named '#t' in the database."]);
  assert.deepEqual(await errors('CREATE TABLE #u (a int, A int)'), ["2705 16 Column names in each table must be unique. Column name 'A' in table '#u' specified more than once."]);
  assert.deepEqual(await errors('CREATE TABLE #u (a money)'), ['243 16 Type money is not a defined system type.']);

  // INSERT [INTO] … EXEC[UTE] (N'…' | '…'): rows converted to the column types; the count unless NOCOUNT.
  const ins = await c.run("INSERT INTO #t EXEC (N'SELECT 1 AS a, N''x'' AS b, CAST(''34000000171300001'' AS numeric(25,0)) AS c')");
  assert.deepEqual([ins.errors, ins.sets.length, ins.events.filter((e) => e.kind === 'done')], [[], 0, [{ kind: 'done', count: 1 }]]);
  const quiet = await c.run("SET NOCOUNT ON; INSERT #t EXECUTE ('SELECT 2, ''y'', 9007199254740993'); SET NOCOUNT OFF");
  assert.deepEqual([quiet.errors, quiet.events.filter((e) => e.kind === 'done')], [[], [{ kind: 'done' }]]);
  const rows = await c.run('SELECT a, b, CAST(c AS varchar(30)) AS c FROM #t ORDER BY a DESC');
  assert.deepEqual(objects(rows), [{ a: 2, b: 'y', c: '9007199254740993' }, { a: 1, b: 'x', c: '34000000171300001' }]);

  // A result set of another shape: Msg 213, nothing inserted, and the batch goes on (as in SQL Server).
  const bad = await c.run("INSERT INTO #t EXEC ('SELECT 1'); SELECT COUNT(*) AS n FROM #t");
  assert.deepEqual(bad.errors.map((e) => `${e.number} ${e.class} ${e.state} ${e.message}`), ['213 16 7 Column name or number of supplied values does not match table definition.']);
  assert.deepEqual(objects(bad), [{ n: 2 }]);
  assert.deepEqual(await errors("INSERT INTO #t EXEC ('SELECT 3 AS a, NULL AS b, NULL AS c')"), ["515 16 Cannot insert the value NULL into column 'b', table 'tempdb.dbo.#t'; column does not allow nulls. INSERT fails."]);
  assert.deepEqual(await errors("INSERT INTO #t EXEC ('SELECT * FROM dbo.nope')"), ["208 16 Invalid object name 'dbo.nope'."]);
  assert.deepEqual(await errors("INSERT INTO #nope EXEC ('SELECT 1')"), ["208 16 Invalid object name '#nope'."]);
  // Only the EXEC source is simulated.
  assert.deepEqual(await errors('INSERT INTO #t VALUES (1, 2, 3)'), ["156 15 Incorrect syntax near the keyword 'VALUES'."]);
  assert.deepEqual(await errors('CREATE TABLE dbo.t (a int)'), ["156 15 Incorrect syntax near the keyword 'CREATE'."]);

  // Another connection has its own #tables.
  assert.deepEqual((await connect(model, 'dal-pcbak').run('SELECT a FROM #t')).errors.map((e) => e.number), [208]);

  assert.deepEqual(await errors('DROP TABLE #t'), []);
  assert.deepEqual(await errors('drop table #t'), ["3701 11 Cannot drop the table '#t', because it does not exist or you do not have permission."]);
  assert.deepEqual(await errors('SELECT a FROM #t'), ["208 16 Invalid object name '#t'."]);
  assert.deepEqual(await errors('DROP TABLE dbo.backupset'), ["3701 11 Cannot drop the table 'dbo.backupset', because it does not exist or you do not have permission."]);
  assert.deepEqual(c.session.temp.names(), []);
});

test('create-temp-table / insert-exec / drop-table: scopes — dynamic SQL sees the batch\'s #tables, its own go when it ends', async (t) => {
  const c = connect(makeModel(t, 'pchat-dc-loss'), 'dal-pcbak');
  const r = await c.run("CREATE TABLE #outer (a int); EXEC (N'INSERT INTO #outer EXEC (''SELECT 5''); CREATE TABLE #inner (b int); CREATE TABLE #outer (c int)'); SELECT a FROM #outer");
  assert.deepEqual([r.errors, objects(r)], [[], [{ a: 5 }]]);
  assert.deepEqual(c.session.temp.names(), ['#outer']);
  assert.deepEqual((await c.run('SELECT b FROM #inner')).errors.map((e) => e.number), [208]);
  // sp_executesql (how mssql sends every query) is a scope too: a table made there is gone after.
  assert.deepEqual((await c.rpc('sp_executesql', [{ value: "CREATE TABLE #x (a int); INSERT INTO #x EXEC (N'SELECT 1'); SELECT a FROM #x" }])).errors, []);
  assert.deepEqual(c.session.temp.names(), ['#outer']);
});

const typeText = (t: SqlType): string =>
  t.kind === 'decimal' ? `numeric(${t.precision},${t.scale})` : 'length' in t ? `${typeName(t)}(${t.length})` : typeName(t);

test('restore-headeronly: the result set of the version the lab reports (SQL Server 2012 by default: 53 columns)', async (t) => {
  const c = connect(makeModel(t, 'pchat-dc-loss'), 'dal-pcbak');
  const v = objects(await c.run("SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS pv, @@VERSION AS version"))[0]!;
  assert.equal(v.pv, '11.0.7001.0');
  assert.match(String(v.version), /^Microsoft SQL Server 2012 \(SP4\) .* - 11\.0\.7001\.0 /);
  assert.equal(tsql.majorVersionOf(String(v.pv)), SQL_VERSION_PROFILES['2012'].major);
  const r = await c.run(`RESTORE HEADERONLY FROM DISK = N'${COPY}\\mgc_20240506074000.trn'`);
  const columns = r.sets[0]!.columns;
  assert.equal(columns.length, 53);
  assert.equal(columns.at(-1)!.name, 'Containment');
  // The lab's list and the product's (two independent definitions) agree, name and type, for every version.
  assert.deepEqual(columns.map((col) => [col.name, typeText(col.type)]), tsql.headerOnlyColumns(11).map(([n, ty]) => [n, ty]));
  for (const major of [10, 11, 12, 13, 14, 15, 16]) {
    assert.deepEqual(headerOnlyColumnsOf(major).map((col) => [col.name, typeText(col.type)]), tsql.headerOnlyColumns(major).map(([n, ty]) => [n, ty]), `version ${major}`);
  }
  const [h] = objects(r);
  assert.deepEqual([h!.SoftwareVersionMajor, h!.SoftwareVersionMinor, h!.SoftwareVersionBuild, h!.CompatibilityLevel, h!.Containment], [11, 0, 7001, 110, 0]);
});

for (const [version, expected] of [
  ['2008R2', { pv: '10.50.6000.34', text: /^Microsoft SQL Server 2008 R2 \(SP3\) - 10\.50\.6000\.34 /, columns: 52, last: 'CompressedBackupSize', compat: 100, hadr: null }],
  ['2012', { pv: '11.0.7001.0', text: /^Microsoft SQL Server 2012 \(SP4\) /, columns: 53, last: 'Containment', compat: 110, hadr: 0 }],
  ['2014', { pv: '12.0.6024.0', text: /^Microsoft SQL Server 2014 \(SP3\) /, columns: 56, last: 'EncryptorType', compat: 120, hadr: 0 }],
] as const) {
  test(`versions: an instance declared sqlVersion ${version} answers as that release everywhere`, async (t) => {
    const c = connect(makeModel(t, 'pchat-dc-loss', [], version), 'dal-pcbak');
    const [v] = objects(await c.run(
      "SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS pv, @@VERSION AS version, SERVERPROPERTY('IsHadrEnabled') AS hadr, compatibility_level FROM sys.databases WHERE name = N'master'",
    ));
    assert.equal(v!.pv, expected.pv);
    assert.match(String(v!.version), expected.text);
    assert.deepEqual([v!.hadr, v!.compatibility_level], [expected.hadr, expected.compat]);
    const r = await c.run(`RESTORE HEADERONLY FROM DISK = N'${COPY}\\mgc_20240506074000.trn'`);
    assert.equal(r.sets[0]!.columns.length, expected.columns);
    assert.equal(r.sets[0]!.columns.at(-1)!.name, expected.last);
    // The product's builder, given the version the server reports, reads the headers on every release.
    const read = await c.run(tsql.restoreHeaderOnly(parseFilePath(`${COPY}\\mgc_20240506074000.trn`), { majorVersion: tsql.majorVersionOf(String(v!.pv)) }).text);
    assert.deepEqual(read.errors, []);
    assert.equal(objects(read).length, 1);
  });

  test(`versions: the product's session query finds the sessions in a database on ${version}`, async (t) => {
    const model = makeModel(t, 'pchat-dc-loss', [], version);
    const c = connect(model, 'dal-pcbak');
    const user = connect(model, 'dal-pcbak', 'mgccomp');
    const command = tsql.sessionsInDatabase(parseDatabaseName('mgccomp'));
    const r = await c.run(command.text, { db: 'mgccomp' });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(objects(r).map((row) => row.session_id), [user.session.spid]);
  });
}

test('versions: sys.dm_exec_sessions has no database_id before SQL Server 2012 (Msg 207), sys.sysprocesses has dbid everywhere', async (t) => {
  const old = connect(makeModel(t, 'pchat-dc-loss', [], '2008R2'), 'dal-pcbak');
  assert.deepEqual((await old.run('SELECT session_id FROM sys.dm_exec_sessions WHERE database_id = 1')).errors.map((e) => [e.number, e.message]), [[207, "Invalid column name 'database_id'."]]);
  assert.deepEqual((await old.run('SELECT spid, dbid FROM sys.sysprocesses WHERE spid = @@SPID')).errors, []);
  const current = connect(makeModel(t, 'pchat-dc-loss', [], '2012'), 'dal-pcbak');
  assert.deepEqual((await current.run('SELECT session_id FROM sys.dm_exec_sessions WHERE database_id = 1')).errors, []);
});

test('restore WITH STANDBY (log shipping standby mode): readable, read-only standby between restores; lint agrees', async (t) => {
  const model = makeModel(t, 'pchat-dc-loss');
  const c = connect(model, 'dal-pcbak');
  const standby = `RESTORE LOG mgc FROM DISK = N'${COPY}\\mgc_20240506074000.trn' WITH STANDBY = N'D:\\LogShipping\\mgc\\mgc_undo.tuf'`;
  assert.deepEqual((await c.run(standby)).errors, []);
  const state = "SELECT d.state_desc, d.is_in_standby, d.is_read_only, CAST(f.redo_start_lsn AS varchar(30)) AS redo FROM sys.databases AS d JOIN sys.master_files AS f ON f.database_id = d.database_id AND f.file_id = 1 WHERE d.name = N'mgc'";
  const [row] = objects(await c.run(state));
  assert.deepEqual([row!.state_desc, row!.is_in_standby, row!.is_read_only], ['ONLINE', true, true]);
  assert.notEqual(row!.redo, null, 'still in its restore sequence');
  // Readable: a session can use it; the next restore needs it to leave (exclusive access).
  const reader = connect(model, 'dal-pcbak');
  assert.deepEqual((await reader.run('USE mgc')).errors, []);
  const next = `RESTORE LOG mgc FROM DISK = N'${COPY}\\mgc_20240506074500.trn' WITH NORECOVERY`;
  assert.deepEqual((await c.run(next)).errors.map((e) => e.number), [3101, 3013]);
  assert.deepEqual((await reader.run('USE master')).errors, []);
  assert.deepEqual((await c.run(next)).errors, []);
  assert.deepEqual(objects(await c.run(state)).map((r) => [r.state_desc, r.is_in_standby]), [['RESTORING', false]]);
  // STANDBY excludes RECOVERY and NORECOVERY.
  assert.deepEqual((await c.run(`${standby.replace('074000', '075000')}, NORECOVERY`)).errors.map((e) => e.number), [3032]);
  // The linter accepts the statement the lab runs.
  const findings = await check(runbookText(step('Apply', sql('backup', `${standby};`)), { kind: 'custom' }));
  assert.deepEqual(findings.filter((f) => f.severity === 'error').map((f) => f.rule), []);
});

test('restore-headeronly: tsql.restoreHeaderOnly runs it INTO #headers and returns the LSNs as text', async (t) => {
  const model = makeModel(t, 'pchat-dc-loss');
  const c = connect(model, 'dal-pcbak');
  const device = `${COPY}\\mgc_20240506074000.trn`;
  const where = deviceFile(model, model.instance('dal-pcbak')!, device, 'read');
  assert.ok('file' in where);
  const [truth] = readBackupFile(where.file);
  const file = parseFilePath(device);

  const r = await c.run(tsql.restoreHeaderOnly(file, { majorVersion: 11 }).text);
  assert.deepEqual(r.errors, []);
  assert.equal(r.sets.length, 1);
  const [h] = objects(r);
  assert.deepEqual(
    [h!.FirstLSN, h!.LastLSN, h!.CheckpointLSN, h!.DatabaseBackupLSN, h!.ForkPointLSN, h!.DifferentialBaseLSN],
    [String(truth!.firstLsn), String(truth!.lastLsn), String(truth!.checkpointLsn), String(truth!.databaseBackupLsn), null, null],
  );
  assert.deepEqual([h!.Position, h!.BackupType, h!.DatabaseName, h!.IsDamaged], [1, 2, 'mgc', false]);
  assert.deepEqual(c.session.temp.names(), [], 'DROP TABLE #headers ran');

  // Every other version's table: 213, then RESTORE's 3013; the batch still drops #headers.
  for (const major of [10, 12, 13, 14, 15, 16]) {
    const wrong = await c.run(tsql.restoreHeaderOnly(file, { majorVersion: major }).text);
    assert.deepEqual(wrong.errors.map((e) => e.number), [213, 3013], `version ${major}`);
    assert.deepEqual(wrong.sets.map((s) => s.rows.length), [0]);
    assert.deepEqual(c.session.temp.names(), []);
  }
  // The file cannot be read: the RESTORE's own errors come through.
  const missing = await c.run(tsql.restoreHeaderOnly(parseFilePath(`${COPY}\\nope.trn`), { majorVersion: 11 }).text);
  assert.deepEqual(missing.errors.map((e) => e.number), [3201, 3013]);
});

test('restore-headeronly: hostile but legal paths stay one literal through both quoting levels', async (t) => {
  const c = connect(makeModel(t, 'pchat-dc-loss'), 'dal-pcbak');
  for (const path of [
    "D:\\logs\\it's; $(Stop-Computer) `x -- y.trn",
    "D:\\a'';DROP DATABASE mgc;--\\x.trn",
    "D:\\a''');RESTORE DATABASE mgc WITH RECOVERY;--\\x.trn",
    "\\\\srv.litwareinc.com\\d$\\a'b]c\\x _ y.trn",
    "\\\\srv\\share\\O'Brien\\x$(y) `` z",
  ]) {
    const r = await c.run(tsql.restoreHeaderOnly(parseFilePath(path), { majorVersion: 11 }).text);
    // The lab's own T-SQL tokenizer decoded both levels back to exactly the path: RESTORE looked for that file.
    assert.deepEqual(r.errors.map((e) => e.number), [3201, 3013], path);
    assert.ok(r.errors[0]!.message.startsWith(`Cannot open backup device '${path}'. Operating system error `), r.errors[0]!.message);
    assert.equal(c.session.temp.names().length, 0);
  }
  assert.equal(c.session.instance.database('mgc')!.state, 'RESTORING', 'nothing else ran');
});
