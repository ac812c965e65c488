/**
 * The one place that builds T-SQL text. Two shapes, on purpose:
 *
 * - **Queries** (reads) are parameterised: the text names `@db`, `@file`… and `params` carries the
 *   values. `mssql`'s `request.query` sends every text through `sp_executesql` anyway, so values
 *   never become SQL text at all.
 * - **Statements** (RESTORE, BACKUP, ALTER DATABASE, KILL, the log-shipping procedure) are
 *   self-contained text with inline `N'…'` literals and `[…]` identifiers, because the same text
 *   is shown in dry runs, journaled, and written into runbooks that admins read and paste into
 *   SSMS. `ALTER DATABASE` and `KILL` cannot take variables in any case.
 *
 * Every interpolated value is a validated value from values.ts, quoted by `sqlString` /
 * `sqlIdentifier` below. LSNs are always CAST to varchar: numeric(25,0) read as a JS number loses
 * digits above 2^53. One value is quoted twice: `restoreHeaderOnly`'s path is a literal inside the
 * dynamic SQL of `EXEC (N'…')`, so it goes through `sqlString` for the inner statement and the
 * whole inner statement through `sqlString` again for the outer literal.
 */
import { InvalidValueError } from './errors';
import { rejectUnsafeCharacters, type DatabaseName, type FilePath, type Spid } from './values';

export type SqlParamType = 'sysname' | 'nvarchar(260)' | 'int';

export interface SqlParam {
  readonly type: SqlParamType;
  readonly value: string | number;
}

export interface SqlCommand {
  readonly text: string;
  readonly params: Readonly<Record<string, SqlParam>>;
}

const NO_PARAMS: Readonly<Record<string, SqlParam>> = Object.freeze({});

/** `N'…'` with `'` doubled. Control characters are refused (none of our values needs one). */
export function sqlString(value: string): string {
  rejectUnsafeCharacters('sql-string', value);
  return `N'${value.replaceAll("'", "''")}'`;
}

/** `[…]` with `]` doubled. */
export function sqlIdentifier(name: DatabaseName): string {
  rejectUnsafeCharacters('database-name', name);
  return `[${name.replaceAll(']', ']]')}]`;
}

const statement = (text: string): SqlCommand => ({ text, params: NO_PARAMS });
const dbParam = (db: DatabaseName): SqlParam => ({ type: 'sysname', value: db });

/**
 * The command as one runnable script: parameters become `DECLARE`s in front of the text, so a dry
 * run or a journal shows exactly what runs, and an admin can paste it into SSMS.
 */
export function toScript(command: SqlCommand): string {
  const declares = Object.entries(command.params).map(([name, p]) => {
    if (!/^[a-z][a-z0-9_]*$/i.test(name)) throw new InvalidValueError('sql-string', name, 'is not a parameter name');
    const literal = p.type === 'int' ? String(Math.trunc(Number(p.value))) : sqlString(String(p.value));
    return `DECLARE @${name} ${p.type} = ${literal};`;
  });
  return [...declares, command.text].join('\n');
}

/** State, recovery model and access of one database (sys.databases, §6.7). */
export function databaseState(db: DatabaseName): SqlCommand {
  return {
    text: 'SELECT name, state_desc, recovery_model_desc, user_access_desc, is_in_standby FROM sys.databases WHERE name = @db;',
    params: { db: dbParam(db) },
  };
}

/** Where the next roll-forward must begin, and on which recovery fork (§6.4 source 1). */
export function redoLsn(db: DatabaseName): SqlCommand {
  return {
    text:
      'SELECT CAST(MIN(redo_start_lsn) AS varchar(30)) AS redo_start_lsn, ' +
      'CAST(redo_start_fork_guid AS varchar(36)) AS redo_start_fork_guid ' +
      'FROM master.sys.master_files WHERE database_id = DB_ID(@db) AND redo_start_lsn IS NOT NULL ' +
      'GROUP BY redo_start_fork_guid;',
    params: { db: dbParam(db) },
  };
}

/** The log-shipping metadata to capture before the procedure deletes it (§6.1). */
export function logShippingSnapshot(db: DatabaseName): SqlCommand {
  return {
    text: [
      'SELECT s.primary_server, s.primary_database, d.secondary_database,',
      '       s.backup_source_directory, s.backup_destination_directory,',
      '       s.last_copied_file, s.last_copied_date, d.last_restored_file, d.last_restored_date,',
      '       d.restore_mode, cj.name AS copy_job, rj.name AS restore_job',
      'FROM msdb.dbo.log_shipping_secondary AS s',
      'JOIN msdb.dbo.log_shipping_secondary_databases AS d ON d.secondary_id = s.secondary_id',
      'LEFT JOIN msdb.dbo.sysjobs AS cj ON cj.job_id = s.copy_job_id',
      'LEFT JOIN msdb.dbo.sysjobs AS rj ON rj.job_id = s.restore_job_id',
      'WHERE d.secondary_database = @db;',
    ].join('\n'),
    params: { db: dbParam(db) },
  };
}

/** Rows left in msdb for a log-shipping secondary (0 once step 1 of the failover ran). */
export function logShippingSecondaryCount(db: DatabaseName): SqlCommand {
  return {
    text: 'SELECT COUNT(*) AS secondary_rows FROM msdb.dbo.log_shipping_secondary_databases WHERE secondary_database = @db;',
    params: { db: dbParam(db) },
  };
}

/** The most recent restores into a database, newest first, with the LSN range of each set (§6.4 source 2). */
export function restoreHistory(db: DatabaseName, top = 500): SqlCommand {
  if (!Number.isInteger(top) || top < 1 || top > 100_000) throw new InvalidValueError('sql-string', String(top), 'top must be 1–100000');
  return {
    text: [
      'SELECT TOP (@top) rh.restore_history_id, rh.restore_date, rh.restore_type, rh.[replace], rh.[recovery],',
      '       CAST(bs.first_lsn AS varchar(30)) AS first_lsn, CAST(bs.last_lsn AS varchar(30)) AS last_lsn,',
      '       CAST(bs.first_recovery_fork_guid AS varchar(36)) AS first_recovery_fork_guid,',
      '       bs.backup_finish_date, bmf.physical_device_name',
      'FROM msdb.dbo.restorehistory AS rh',
      'JOIN msdb.dbo.backupset AS bs ON bs.backup_set_id = rh.backup_set_id',
      'LEFT JOIN msdb.dbo.backupmediafamily AS bmf ON bmf.media_set_id = bs.media_set_id',
      'WHERE rh.destination_database_name = @db',
      'ORDER BY rh.restore_history_id DESC;',
    ].join('\n'),
    params: { db: dbParam(db), top: { type: 'int', value: top } },
  };
}

/**
 * User sessions in a database, never our own (`@@SPID`) and never system sessions (§6.6). Runs
 * on SQL Server 2008 R2 to 2014: `sys.dm_exec_sessions.database_id` exists only from 2012 ("Applies
 * to: SQL Server 2012 (11.x) and later", sys.dm_exec_sessions page of the SQL Server docs), so the
 * session's database comes from `sys.sysprocesses.dbid` ("ID of the database currently being used
 * by the process", sys.sysprocesses page), a compatibility view of every release; `ecid = 0` keeps
 * one row per session (the others are its parallel subthreads).
 */
export function sessionsInDatabase(db: DatabaseName): SqlCommand {
  return {
    text:
      'SELECT s.session_id, s.login_name, s.host_name, s.program_name, s.status FROM sys.dm_exec_sessions AS s ' +
      'JOIN sys.sysprocesses AS p ON p.spid = s.session_id AND p.ecid = 0 ' +
      'WHERE p.dbid = DB_ID(@db) AND s.is_user_process = 1 AND s.session_id <> @@SPID ORDER BY s.session_id;',
    params: { db: dbParam(db) },
  };
}

/** Rows in msdb for a log-shipping primary database (the failback's log shipping from the primary and from its mirror, §2.2 step 5). */
export function logShippingPrimaryCount(db: DatabaseName): SqlCommand {
  return {
    text: 'SELECT COUNT(*) AS primary_rows FROM msdb.dbo.log_shipping_primary_databases WHERE primary_database = @db;',
    params: { db: dbParam(db) },
  };
}

/** A database's data and log files and where they are (sys.master_files). */
export function databaseFiles(db: DatabaseName): SqlCommand {
  return {
    text: 'SELECT name, physical_name, type_desc FROM sys.master_files WHERE database_id = DB_ID(@db) ORDER BY file_id;',
    params: { db: dbParam(db) },
  };
}

/**
 * The files a full backup holds and the paths it records (LogicalName, PhysicalName, Type D/L):
 * RESTORE puts them there unless MOVE says otherwise (sql-docs
 * `restore-statements-filelistonly-transact-sql.md`). A read; it changes nothing.
 */
export function restoreFileListOnly(file: FilePath): SqlCommand {
  return statement(`RESTORE FILELISTONLY FROM DISK = ${sqlString(file)};`);
}

/** Mirroring state of one database (§6.8); `mirroring_guid` NULL = not mirrored. */
export function mirroringStatus(db: DatabaseName): SqlCommand {
  return {
    text:
      'SELECT DB_NAME(database_id) AS name, CAST(mirroring_guid AS varchar(36)) AS mirroring_guid, ' +
      'mirroring_state_desc, mirroring_role_desc, mirroring_partner_name, mirroring_partner_instance, mirroring_witness_name ' +
      'FROM sys.database_mirroring WHERE database_id = DB_ID(@db);',
    params: { db: dbParam(db) },
  };
}

/**
 * Which server answers, and its version: a connection check that names the instance.
 * `product_version` ('11.0.7001.0') is what `majorVersionOf` reads (for `restoreHeaderOnly`);
 * SERVERPROPERTY returns sql_variant, so it is CAST to a plain string.
 */
export function serverIdentity(): SqlCommand {
  return statement("SELECT @@SERVERNAME AS server_name, @@VERSION AS version, CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS product_version;");
}

/** SQL Server major versions whose RESTORE HEADERONLY result set is known here (Lync 2013 / SfB back ends). */
export const HEADERONLY_VERSIONS = { min: 10, max: 16 } as const;

/** The major version in a `SERVERPROPERTY('ProductVersion')` string: '10.50.6000.34' → 10, '16.0.1000.6' → 16. */
export function majorVersionOf(productVersion: string): number {
  const m = typeof productVersion === 'string' ? /^(\d{1,3})\.\d{1,5}(?:\.\d{1,5}){0,2}$/.exec(productVersion.trim()) : null;
  if (!m) throw new InvalidValueError('sql-string', String(productVersion), "is not a SQL Server ProductVersion such as '11.0.7001.0'");
  return Number(m[1]);
}

/**
 * The major version whose RESTORE HEADERONLY result set to build for a server reporting this
 * ProductVersion; undefined for a version outside HEADERONLY_VERSIONS (the builder's default
 * then). Throws for text that is not a ProductVersion.
 */
export function headerOnlyVersionFor(productVersion: string): number | undefined {
  const major = majorVersionOf(productVersion);
  return major >= HEADERONLY_VERSIONS.min && major <= HEADERONLY_VERSIONS.max ? major : undefined;
}

/** One RESTORE HEADERONLY column: name and type, as the server returns it. */
export type HeaderOnlyColumn = readonly [name: string, type: string];

/** RESTORE HEADERONLY columns of SQL Server 2008 R2 (10.50), in result-set order. */
const HEADERONLY_BASE: readonly HeaderOnlyColumn[] = [
  ['BackupName', 'nvarchar(128)'], ['BackupDescription', 'nvarchar(255)'], ['BackupType', 'smallint'], ['ExpirationDate', 'datetime'],
  ['Compressed', 'bit'], ['Position', 'smallint'], ['DeviceType', 'tinyint'], ['UserName', 'nvarchar(128)'], ['ServerName', 'nvarchar(128)'],
  ['DatabaseName', 'nvarchar(128)'], ['DatabaseVersion', 'int'], ['DatabaseCreationDate', 'datetime'], ['BackupSize', 'numeric(20,0)'],
  ['FirstLSN', 'numeric(25,0)'], ['LastLSN', 'numeric(25,0)'], ['CheckpointLSN', 'numeric(25,0)'], ['DatabaseBackupLSN', 'numeric(25,0)'],
  ['BackupStartDate', 'datetime'], ['BackupFinishDate', 'datetime'], ['SortOrder', 'smallint'], ['CodePage', 'smallint'],
  ['UnicodeLocaleId', 'int'], ['UnicodeComparisonStyle', 'int'], ['CompatibilityLevel', 'tinyint'], ['SoftwareVendorId', 'int'],
  ['SoftwareVersionMajor', 'int'], ['SoftwareVersionMinor', 'int'], ['SoftwareVersionBuild', 'int'], ['MachineName', 'nvarchar(128)'],
  ['Flags', 'int'], ['BindingID', 'uniqueidentifier'], ['RecoveryForkID', 'uniqueidentifier'], ['Collation', 'nvarchar(128)'],
  ['FamilyGUID', 'uniqueidentifier'], ['HasBulkLoggedData', 'bit'], ['IsSnapshot', 'bit'], ['IsReadOnly', 'bit'], ['IsSingleUser', 'bit'],
  ['HasBackupChecksums', 'bit'], ['IsDamaged', 'bit'], ['BeginsLogChain', 'bit'], ['HasIncompleteMetaData', 'bit'], ['IsForceOffline', 'bit'],
  ['IsCopyOnly', 'bit'], ['FirstRecoveryForkID', 'uniqueidentifier'], ['ForkPointLSN', 'numeric(25,0)'], ['RecoveryModel', 'nvarchar(60)'],
  ['DifferentialBaseLSN', 'numeric(25,0)'], ['DifferentialBaseGUID', 'uniqueidentifier'], ['BackupTypeDescription', 'nvarchar(60)'],
  ['BackupSetGUID', 'uniqueidentifier'], ['CompressedBackupSize', 'bigint'],
];

/** Columns appended to the result set, by the major version that added them (docs/dev/commands.md). */
const HEADERONLY_ADDED: readonly { readonly since: number; readonly columns: readonly HeaderOnlyColumn[] }[] = [
  // SQL Server 2012.
  { since: 11, columns: [['Containment', 'tinyint']] },
  // SQL Server 2014 from CU1 (RTM 12.0.2000 lacks them; every supported 2014 build has them).
  { since: 12, columns: [['KeyAlgorithm', 'nvarchar(32)'], ['EncryptorThumbprint', 'varbinary(20)'], ['EncryptorType', 'nvarchar(32)']] },
  // SQL Server 2022.
  { since: 16, columns: [['LastValidRestoreTime', 'datetime'], ['TimeZone', 'nvarchar(32)'], ['CompressionAlgorithm', 'nvarchar(32)']] },
];

/** The RESTORE HEADERONLY result set of a SQL Server major version (10–16), in order. */
export function headerOnlyColumns(majorVersion: number): readonly HeaderOnlyColumn[] {
  if (!Number.isInteger(majorVersion) || majorVersion < HEADERONLY_VERSIONS.min || majorVersion > HEADERONLY_VERSIONS.max) {
    throw new InvalidValueError(
      'sql-string',
      String(majorVersion),
      `majorVersion must be a SQL Server major version from ${HEADERONLY_VERSIONS.min} (2008 R2) to ${HEADERONLY_VERSIONS.max} (2022); the RESTORE HEADERONLY columns of other versions are not known`,
    );
  }
  return [...HEADERONLY_BASE, ...HEADERONLY_ADDED.filter((a) => majorVersion >= a.since).flatMap((a) => a.columns)];
}

/** The header columns the log-chain planner and its checks read (§6.3), in this order. */
const HEADERONLY_SELECTED: readonly string[] = [
  'Position', 'BackupType', 'BackupTypeDescription', 'DatabaseName', 'ServerName', 'MachineName',
  'FirstLSN', 'LastLSN', 'CheckpointLSN', 'DatabaseBackupLSN', 'ForkPointLSN', 'DifferentialBaseLSN',
  'BackupStartDate', 'BackupFinishDate', 'FirstRecoveryForkID', 'RecoveryForkID',
  'IsCopyOnly', 'BeginsLogChain', 'HasIncompleteMetaData', 'IsDamaged', 'BackupSetGUID', 'FamilyGUID', 'BindingID',
];

/** SQL Server 2014: what `restoreHeaderOnly` assumes when the caller does not say. */
export const DEFAULT_HEADERONLY_MAJOR_VERSION = 12;

export interface RestoreHeaderOnlyOptions {
  /**
   * Major version of the SQL Server that reads the file: `majorVersionOf` of the
   * `product_version` that `serverIdentity()` returns. The temp table must match that server's
   * result set exactly, or the INSERT fails with Msg 213. Defaults to 12 (SQL Server 2014);
   * callers should pass the real one.
   */
  readonly majorVersion?: number;
}

/**
 * Header of every backup set in a file (§6.3), with the LSNs as decimal text. HEADERONLY returns
 * them as numeric(25,0), which the driver turns into rounded JS numbers, and a RESTORE result set
 * cannot be CAST in place; so one batch runs it server-side into a temp table shaped exactly like
 * that server version's result set and selects from there:
 *
 *     SET NOCOUNT ON;
 *     CREATE TABLE #headers (BackupName nvarchar(128) NULL, …);
 *     INSERT INTO #headers EXEC (N'RESTORE HEADERONLY FROM DISK = N''<path>''');
 *     SELECT Position, …, CAST(FirstLSN AS varchar(30)) AS FirstLSN, … FROM #headers ORDER BY Position;
 *     DROP TABLE #headers;
 *
 * One result set, one row per backup set: Position, BackupType, BackupTypeDescription,
 * DatabaseName, ServerName, MachineName, FirstLSN, LastLSN, CheckpointLSN, DatabaseBackupLSN,
 * ForkPointLSN, DifferentialBaseLSN (the six LSNs as varchar(30); NULL stays NULL),
 * BackupStartDate, BackupFinishDate, FirstRecoveryForkID, RecoveryForkID, IsCopyOnly,
 * BeginsLogChain, HasIncompleteMetaData, IsDamaged, BackupSetGUID, FamilyGUID, BindingID — the
 * names HEADERONLY itself uses. `EXEC (…)` cannot see the outer batch's variables, so the path is
 * a literal quoted twice: `sqlString` for the inner statement, `sqlString` again for the outer
 * N'…' (both levels N'…': the text never passes through varchar, where best-fit mapping could
 * turn a look-alike character into a quote).
 */
export function restoreHeaderOnly(file: FilePath, options: RestoreHeaderOnlyOptions = {}): SqlCommand {
  const columns = headerOnlyColumns(options.majorVersion ?? DEFAULT_HEADERONLY_MAJOR_VERSION);
  const types = new Map(columns);
  const selected = HEADERONLY_SELECTED.map((name) => (types.get(name) === 'numeric(25,0)' ? `CAST(${name} AS varchar(30)) AS ${name}` : name));
  const inner = `RESTORE HEADERONLY FROM DISK = ${sqlString(file)}`;
  return statement(
    [
      'SET NOCOUNT ON;',
      `CREATE TABLE #headers (${columns.map(([name, type]) => `${name} ${type} NULL`).join(', ')});`,
      `INSERT INTO #headers EXEC (${sqlString(inner)});`,
      `SELECT ${selected.join(', ')} FROM #headers ORDER BY Position;`,
      'DROP TABLE #headers;',
    ].join('\n'),
  );
}

/** Ends one session. SPIDs are validated integers; KILL cannot take a variable. */
export function kill(spid: Spid): SqlCommand {
  if (!Number.isInteger(spid) || spid < 1 || spid > 32767) throw new InvalidValueError('spid', String(spid), 'must be between 1 and 32767');
  return statement(`KILL ${spid};`);
}

/** Step 1 of the failover: run in master on the backup (secondary) server (§6.2). */
export function deleteLogShippingSecondary(db: DatabaseName): SqlCommand {
  return statement(`EXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = ${sqlString(db)};`);
}

export function restoreLog(db: DatabaseName, file: FilePath): SqlCommand {
  return statement(`RESTORE LOG ${sqlIdentifier(db)} FROM DISK = ${sqlString(file)} WITH NORECOVERY;`);
}

/** Recovery-only restore: brings a RESTORING database online; no log can be applied after it. */
export function recoverDatabase(db: DatabaseName): SqlCommand {
  return statement(`RESTORE DATABASE ${sqlIdentifier(db)} WITH RECOVERY;`);
}

export function backupDatabase(db: DatabaseName, file: FilePath): SqlCommand {
  return statement(`BACKUP DATABASE ${sqlIdentifier(db)} TO DISK = ${sqlString(file)} WITH INIT;`);
}

/** `MOVE 'logical' TO 'path'`: where RESTORE DATABASE puts one file of the backup. */
export interface FileMove {
  readonly logical: string;
  readonly to: FilePath;
}

/** Restores a full backup over an existing database and recovers it; `moves` place its files where the backup's paths do not fit. */
export function restoreDatabaseReplace(db: DatabaseName, file: FilePath, moves: readonly FileMove[] = []): SqlCommand {
  const move = moves.map((m) => `MOVE ${sqlString(m.logical)} TO ${sqlString(m.to)}, `).join('');
  return statement(`RESTORE DATABASE ${sqlIdentifier(db)} FROM DISK = ${sqlString(file)} WITH ${move}REPLACE, RECOVERY;`);
}

/**
 * The tail-log backup of a log-shipping failover: the log since the last log backup, leaving the
 * primary database RESTORING so nothing more is written to it (sql-docs
 * `fail-over-to-a-log-shipping-secondary-sql-server.md` step 3, domain reference §1.5(a)).
 */
export function backupLogTail(db: DatabaseName, file: FilePath): SqlCommand {
  return statement(`BACKUP LOG ${sqlIdentifier(db)} TO DISK = ${sqlString(file)} WITH NORECOVERY;`);
}

/** Removes database mirroring; run on the principal (§6.8). */
export function setPartnerOff(db: DatabaseName): SqlCommand {
  return statement(`ALTER DATABASE ${sqlIdentifier(db)} SET PARTNER OFF;`);
}
