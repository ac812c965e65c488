-- Corpus: runbook T-SQL, read by ScriptDom (TSql120Parser) and by the product's lexer, checker
-- and sender (test/oracles/tsql.test.ts). Cases are separated by lines of `-- ---`. Comments,
-- strings, quoted identifiers, GO lines, statement starts and batches must be the same. A case
-- they still disagree on carries a line
--   -- oracle-disagrees: <reason>
-- and the test checks that they do disagree (so a fixed case loses its note).
USE master;
GO
EXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = N'mgc';
GO
-- ---
USE master
EXEC sp_delete_log_shipping_secondary_database @secondary_database = N'mgc'
GO
-- ---
RESTORE LOG mgc FROM DISK = N'D:\LogShipping\mgc\mgc_20240506074000.trn' WITH NORECOVERY;
RESTORE LOG mgc FROM DISK = N'D:\LogShipping\mgc\mgc_20240506075000.trn' WITH NORECOVERY;
-- ---
RESTORE LOG mgc FROM DISK = 'D:\LogShipping\mgc\mgc_20240506074000.trn' WITH NORECOVERY
RESTORE LOG mgc FROM DISK = 'D:\LogShipping\mgc\mgc_20240506075000.trn' WITH NORECOVERY
RESTORE DATABASE mgc WITH RECOVERY
-- ---
RESTORE DATABASE [mgc] WITH RECOVERY;
-- ---
ALTER DATABASE mgc SET SINGLE_USER WITH ROLLBACK IMMEDIATE;
RESTORE DATABASE mgc WITH RECOVERY;
ALTER DATABASE mgc SET MULTI_USER;
-- ---
ALTER DATABASE [mgc] SET PARTNER OFF;
ALTER DATABASE [mgccomp] SET PARTNER OFF;
-- ---
BACKUP DATABASE mgc TO DISK = N'\\atl-fs-001.litwareinc.com\pchat-logs\mgc_fb.bak' WITH INIT, STATS = 10;
-- ---
RESTORE DATABASE mgc FROM DISK = N'\\atl-fs-001.litwareinc.com\pchat-logs\mgc_fb.bak' WITH REPLACE, RECOVERY, STATS = 5;
-- ---
RESTORE HEADERONLY FROM DISK = N'D:\LogShipping\mgc\mgc_20240506074000.trn';
-- ---
RESTORE FILELISTONLY FROM DISK = N'D:\Backup\mgc.bak'
-- ---
RESTORE VERIFYONLY FROM DISK = N'D:\Backup\mgc.bak' WITH CHECKSUM
-- ---
SELECT name, state_desc, recovery_model_desc FROM sys.databases WHERE name IN (N'mgc', N'mgccomp');
-- ---
SELECT name, state_desc FROM sys.databases WHERE name = 'mgc'
SELECT secondary_database FROM msdb.dbo.log_shipping_secondary_databases
-- ---
SELECT s.primary_server, d.secondary_database, d.last_restored_file
FROM msdb.dbo.log_shipping_secondary AS s
JOIN msdb.dbo.log_shipping_secondary_databases AS d ON d.secondary_id = s.secondary_id;
-- ---
SELECT TOP (5) rh.restore_date, bmf.physical_device_name
FROM msdb.dbo.restorehistory AS rh
JOIN msdb.dbo.backupset AS bs ON bs.backup_set_id = rh.backup_set_id
JOIN msdb.dbo.backupmediafamily AS bmf ON bmf.media_set_id = bs.media_set_id
WHERE rh.destination_database_name = N'mgc'
ORDER BY rh.restore_date DESC;
-- ---
SELECT session_id, login_name FROM sys.dm_exec_sessions WHERE database_id = DB_ID(N'mgc') AND session_id <> @@SPID;
KILL 53;
KILL 61
-- ---
EXEC sp_who2 'active'
-- ---
sp_who2
-- ---
EXECUTE sp_who2;
EXEC sp_helpdb N'mgc';
-- ---
DECLARE @db sysname = N'mgc';
SELECT name FROM sys.databases WHERE name = @db;
-- ---
DECLARE @file nvarchar(260) = N'D:\LogShipping\mgc\it''s.trn';
RESTORE HEADERONLY FROM DISK = @file;
-- ---
SET NOCOUNT ON;
CREATE TABLE #h (BackupName nvarchar(128) NULL, FirstLSN numeric(25,0) NULL);
INSERT INTO #h EXEC (N'RESTORE HEADERONLY FROM DISK = N''D:\x.trn''');
SELECT CAST(FirstLSN AS varchar(30)) AS FirstLSN FROM #h;
DROP TABLE #h;
-- ---
SELECT mirroring_state_desc, mirroring_role_desc FROM sys.database_mirroring WHERE database_id = DB_ID(N'mgc')
-- ---
SELECT @@SERVERNAME AS server_name, CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS v
-- ---
PRINT 'Failover of mgc started';
PRINT N'It''s done';
-- ---
-- Step 1 of the failover, on the backup server
USE master;
-- the log-shipping job must not run again
EXEC sp_delete_log_shipping_secondary_database @secondary_database = N'mgc'; -- trailing
-- ---
/* Step 4: bring the backup database online */
RESTORE DATABASE mgc WITH RECOVERY
-- ---
/* nested /* comments */ are one comment in T-SQL */
SELECT 1
-- ---
SELECT 1 /* a /* b */ c */ ;
SELECT 2
-- ---
/* a comment that spans
GO
lines is no batch separator */
SELECT 1
-- ---
SELECT 'a string that spans
GO
lines' AS s
-- ---
SELECT [a name
GO
that spans lines] FROM t
-- ---
SELECT [x]]y] FROM t;
SELECT "quoted""name" FROM t
-- ---
SELECT 1
GO
SELECT 2
go
SELECT 3
  Go  
SELECT 4
-- ---
SELECT 1
GO -- end of batch 1
SELECT 2
-- ---
SELECT 1
GO;
SELECT 2
-- ---
SELECT 1 AS go
GO
SELECT 2
-- ---
SELECT N'--not a comment' AS a, '/* nor this */' AS b;
-- ---
SELECT 'it''s' AS a -- it's a comment
SELECT 2
-- ---
SELECT 1;;SELECT 2;
-- ---
IF DB_ID(N'mgc') IS NOT NULL
  RESTORE DATABASE mgc WITH RECOVERY;
-- ---
-- oracle-disagrees: the checker reads top-level statements split on `;` and does not model
-- IF/BEGIN…END, so `END` after `…;` starts a statement of its own where ScriptDom sees one IF.
-- Its rules see the RESTORE inside the IF's text only; the recovery engine treats the IF as
-- destructive (core/recovery/classify.ts: IF is no read verb), which is the safe side.
IF EXISTS (SELECT 1 FROM sys.databases WHERE name = N'mgc' AND state_desc = N'RESTORING')
BEGIN
  RESTORE DATABASE mgc WITH RECOVERY;
END
-- ---
WAITFOR DELAY '00:00:05';
SELECT 1
-- ---
BEGIN TRAN;
UPDATE t SET a = 1;
COMMIT;
-- ---
SELECT name FROM sys.databases WHERE name LIKE N'mgc%' UNION ALL SELECT N'none'
-- ---
SELECT * FROM (SELECT name FROM sys.databases) AS d
-- ---
INSERT INTO #who EXEC sp_who2
-- ---
EXEC msdb.dbo.sp_start_job @job_name = N'LSRestore_atl-pcsql-001_mgc';
-- ---
EXEC msdb..sp_help_job @job_name = N'LSCopy_atl-pcsql-001_mgc'
-- ---
USE [mgc];
SELECT COUNT(*) FROM dbo.tblChatMessage;
USE master;
-- ---
ALTER DATABASE mgc SET PARTNER = N'TCP://dal-pcbakm-001.litwareinc.com:5022';
-- ---
RESTORE LOG mgc FROM DISK = N'D:\x.trn' WITH NORECOVERY, STATS = 10
GO 2
-- ---
SELECT 1 /* unterminated
-- ---
SELECT N'unterminated
-- ---
SELECT [unterminated
-- ---
SELECT 1;
-- only a comment after the last statement
-- ---
-- a batch of comments only
GO
SELECT 1
