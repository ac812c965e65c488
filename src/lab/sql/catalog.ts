/**
 * The catalog views and msdb tables the lab serves, each a list of typed columns and a row
 * producer over the instance model. Column names, order and types follow SQL Server's (a subset
 * of the columns for the wide views — docs/lab-statements.md lists them). Adding a table = adding
 * an entry here.
 */
import { DATABASE_STATE_CODES, databaseFiles, type DatabaseState, type LabDatabase, type LabInstance, RECOVERY_MODEL_CODES } from '../model/instance';
import type { SqlSession } from './context';
import { type Column, type SqlType, type SqlValue, T } from './types';

export interface VirtualTable {
  /** `sys` views are visible from every database; `dbo` tables live in `database`. */
  readonly schema: 'sys' | 'dbo';
  readonly database?: 'msdb';
  readonly name: string;
  readonly columns: readonly Column[];
  rows(session: SqlSession): SqlValue[][];
  /** The table as a SQL Server of this major version has it: without the columns added later. */
  onVersion(major: number): VirtualTable;
}

/** Name, type and, for a column a later release added, the major version that added it. */
type Def = readonly (readonly [string, SqlType, number?])[];

function table(schema: 'sys' | 'dbo', name: string, def: Def, rows: (s: SqlSession) => Record<string, SqlValue>[], database?: 'msdb'): VirtualTable {
  const byMajor = new Map<number, VirtualTable>();
  const onVersion = (major: number): VirtualTable => {
    let t = byMajor.get(major);
    if (!t) {
      const columns = def.filter(([, , since]) => since === undefined || major >= since).map(([n, type]) => ({ name: n, type }));
      t = { schema, name, columns, ...(database ? { database } : {}), rows: (s) => rows(s).map((r) => columns.map((c) => r[c.name] ?? null)), onVersion };
      byMajor.set(major, t);
    }
    return t;
  };
  return onVersion(Number.MAX_SAFE_INTEGER);
}

const desc60 = T.nvarchar(60);

/**
 * The state SQL Server shows: a database restored WITH STANDBY is ONLINE, read-only and in
 * standby ("is_in_standby: Database is read-only for restore log", sys.databases) while it stays
 * in its restore sequence (its redo LSN remains).
 */
const shownState = (d: LabDatabase): DatabaseState => (d.standby ? 'ONLINE' : d.state);

const MIRRORING_STATE: Record<string, number> = { SUSPENDED: 0, DISCONNECTED: 1, SYNCHRONIZING: 2, PENDING_FAILOVER: 3, SYNCHRONIZED: 4 };

function msdbRows<K extends keyof LabInstance['msdb']>(key: K) {
  return (s: SqlSession) => (s.instance.msdb[key] as unknown as Record<string, SqlValue>[]).map((r) => ({ ...r }));
}

export const CATALOG: readonly VirtualTable[] = [
  table('sys', 'databases', [
    ['name', T.sysname], ['database_id', T.int], ['source_database_id', T.int], ['create_date', T.datetime], ['compatibility_level', T.tinyint],
    ['collation_name', T.sysname], ['user_access', T.tinyint], ['user_access_desc', desc60], ['is_read_only', T.bit], ['state', T.tinyint],
    ['state_desc', desc60], ['is_in_standby', T.bit], ['recovery_model', T.tinyint], ['recovery_model_desc', desc60], ['log_reuse_wait_desc', desc60],
  ], (s) => s.instance.databases.map((d) => ({
    name: d.name, database_id: d.id, create_date: d.createDate, compatibility_level: s.instance.version.compatibilityLevel, collation_name: shownState(d) === 'ONLINE' ? 'SQL_Latin1_General_CP1_CI_AS' : null,
    user_access: 0, user_access_desc: 'MULTI_USER', is_read_only: d.standby, state: DATABASE_STATE_CODES[shownState(d)], state_desc: shownState(d), is_in_standby: d.standby,
    recovery_model: RECOVERY_MODEL_CODES[d.recoveryModel], recovery_model_desc: d.recoveryModel, log_reuse_wait_desc: d.mirroring ? 'DATABASE_MIRRORING' : 'NOTHING',
  }))),
  table('sys', 'database_mirroring', [
    ['database_id', T.int], ['mirroring_guid', T.guid], ['mirroring_state', T.tinyint], ['mirroring_state_desc', desc60], ['mirroring_role', T.tinyint],
    ['mirroring_role_desc', desc60], ['mirroring_role_sequence', T.int], ['mirroring_safety_level', T.tinyint], ['mirroring_safety_level_desc', desc60],
    ['mirroring_safety_sequence', T.int], ['mirroring_partner_name', T.sysname], ['mirroring_partner_instance', T.sysname], ['mirroring_witness_name', T.sysname],
    ['mirroring_witness_state', T.tinyint], ['mirroring_witness_state_desc', desc60], ['mirroring_failover_lsn', T.lsn], ['mirroring_connection_timeout', T.int],
    ['mirroring_redo_queue', T.int], ['mirroring_end_of_log_lsn', T.lsn], ['mirroring_replication_lsn', T.lsn],
  ], (s) => s.instance.databases.map((d): Record<string, SqlValue> => {
    const m = d.mirroring;
    if (!m) return { database_id: d.id };
    const partner = s.model.instance(m.partnerId);
    const state = s.model.mirroringState(s.instance.id, d.name) ?? m.state;
    return {
      database_id: d.id, mirroring_guid: m.guid, mirroring_state: MIRRORING_STATE[state] ?? null, mirroring_state_desc: state,
      mirroring_role: m.role === 'PRINCIPAL' ? 1 : 2, mirroring_role_desc: m.role, mirroring_role_sequence: 1, mirroring_safety_level: 2,
      mirroring_safety_level_desc: 'FULL', mirroring_safety_sequence: 1, mirroring_partner_name: partner ? `TCP://${partner.server}:5022` : null,
      mirroring_partner_instance: partner?.serverName ?? null, mirroring_witness_name: '', mirroring_witness_state: 0, mirroring_witness_state_desc: 'UNKNOWN',
      mirroring_failover_lsn: d.logEnd, mirroring_connection_timeout: 10, mirroring_redo_queue: null, mirroring_end_of_log_lsn: d.logEnd, mirroring_replication_lsn: d.logEnd,
    };
  })),
  table('sys', 'master_files', [
    ['database_id', T.int], ['file_id', T.int], ['file_guid', T.guid], ['type', T.tinyint], ['type_desc', desc60], ['data_space_id', T.int], ['name', T.sysname],
    ['physical_name', T.nvarchar(260)], ['state', T.tinyint], ['state_desc', desc60], ['size', T.int], ['max_size', T.int], ['growth', T.int],
    ['create_lsn', T.lsn], ['redo_start_lsn', T.lsn], ['redo_start_fork_guid', T.guid], ['redo_target_lsn', T.lsn], ['redo_target_fork_guid', T.guid],
    ['differential_base_lsn', T.lsn], ['backup_lsn', T.lsn],
  ], (s) => s.instance.databases.flatMap((d) => {
    const restoring = d.state === 'RESTORING' && d.redoLsn !== null;
    const common = {
      database_id: d.id, state: DATABASE_STATE_CODES[shownState(d)], state_desc: shownState(d), max_size: -1, growth: 10, create_lsn: null,
      redo_start_lsn: restoring ? d.redoLsn : null, redo_start_fork_guid: restoring ? d.forkGuid : null, redo_target_lsn: null, redo_target_fork_guid: null,
      differential_base_lsn: null, backup_lsn: null,
    };
    return databaseFiles(s.instance, d).map((f, i) =>
      f.type === 'D'
        ? { ...common, file_id: i + 1, type: 0, type_desc: 'ROWS', data_space_id: 1, name: f.logical, physical_name: f.physical, size: 2048 }
        : { ...common, file_id: i + 1, type: 1, type_desc: 'LOG', data_space_id: 0, name: f.logical, physical_name: f.physical, size: 1024 },
    );
  })),
  // database_id: "Applies to: SQL Server 2012 (11.x) and later" (sys.dm_exec_sessions, SQL Server docs): Msg 207 on 2008 R2.
  table('sys', 'dm_exec_sessions', [
    ['session_id', T.smallint], ['login_time', T.datetime], ['host_name', T.sysname], ['program_name', T.sysname], ['login_name', T.sysname],
    ['status', T.nvarchar(30)], ['database_id', T.smallint, 11], ['is_user_process', T.bit], ['last_request_start_time', T.datetime],
  ], (s) => s.instance.sessions.map((x) => ({
    session_id: x.spid, login_time: x.loginTime, host_name: x.host || null, program_name: x.program || null, login_name: x.login,
    status: x.spid === s.spid ? 'running' : x.system ? 'background' : 'sleeping', database_id: s.instance.database(x.database)?.id ?? 1,
    is_user_process: !x.system, last_request_start_time: x.lastBatch,
  }))),
  // The compatibility view every release has (sys.sysprocesses, SQL Server docs): one row per
  // session here (ecid 0: the lab runs no parallel threads); the nchar columns are served as
  // nvarchar, without SQL Server's trailing blanks.
  table('sys', 'sysprocesses', [
    ['spid', T.smallint], ['kpid', T.smallint], ['blocked', T.smallint], ['dbid', T.smallint], ['ecid', T.smallint], ['login_time', T.datetime],
    ['last_batch', T.datetime], ['open_tran', T.smallint], ['status', T.nvarchar(30)], ['hostname', T.nvarchar(128)], ['program_name', T.nvarchar(128)],
    ['cmd', T.nvarchar(16)], ['loginame', T.nvarchar(128)],
  ], (s) => s.instance.sessions.map((x) => ({
    spid: x.spid, kpid: 0, blocked: 0, dbid: s.instance.database(x.database)?.id ?? 1, ecid: 0, login_time: x.loginTime, last_batch: x.lastBatch,
    open_tran: x.spid === s.spid ? s.tranCount : 0, status: x.spid === s.spid ? 'runnable' : x.system ? 'background' : 'sleeping',
    hostname: x.host, program_name: x.program, cmd: x.command, loginame: x.login,
  }))),
  table('dbo', 'log_shipping_secondary', [
    ['secondary_id', T.guid], ['primary_server', T.sysname], ['primary_database', T.sysname], ['backup_source_directory', T.nvarchar(500)],
    ['backup_destination_directory', T.nvarchar(500)], ['file_retention_period', T.int], ['copy_job_id', T.guid], ['restore_job_id', T.guid],
    ['monitor_server', T.sysname], ['monitor_server_security_mode', T.bit], ['last_copied_file', T.nvarchar(500)], ['last_copied_date', T.datetime],
  ], msdbRows('log_shipping_secondary'), 'msdb'),
  table('dbo', 'log_shipping_secondary_databases', [
    ['secondary_database', T.sysname], ['secondary_id', T.guid], ['restore_delay', T.int], ['restore_all', T.bit], ['restore_mode', T.bit],
    ['disconnect_users', T.bit], ['block_size', T.int], ['buffer_count', T.int], ['max_transfer_size', T.int], ['last_restored_file', T.nvarchar(500)],
    ['last_restored_date', T.datetime],
  ], msdbRows('log_shipping_secondary_databases'), 'msdb'),
  table('dbo', 'log_shipping_monitor_secondary', [
    ['secondary_server', T.sysname], ['secondary_database', T.sysname], ['secondary_id', T.guid], ['primary_server', T.sysname], ['primary_database', T.sysname],
    ['restore_threshold', T.int], ['threshold_alert', T.int], ['threshold_alert_enabled', T.bit], ['last_copied_file', T.nvarchar(500)],
    ['last_copied_date', T.datetime], ['last_copied_date_utc', T.datetime], ['last_restored_file', T.nvarchar(500)], ['last_restored_date', T.datetime],
    ['last_restored_date_utc', T.datetime], ['last_restored_latency', T.int], ['history_retention_period', T.int],
  ], msdbRows('log_shipping_monitor_secondary'), 'msdb'),
  table('dbo', 'log_shipping_primary_databases', [
    ['primary_id', T.guid], ['primary_database', T.sysname], ['backup_directory', T.nvarchar(500)], ['backup_share', T.nvarchar(500)],
    ['backup_retention_period', T.int], ['backup_job_id', T.guid], ['monitor_server', T.sysname], ['monitor_server_security_mode', T.bit],
    ['last_backup_file', T.nvarchar(500)], ['last_backup_date', T.datetime],
  ], msdbRows('log_shipping_primary_databases'), 'msdb'),
  table('dbo', 'sysjobs', [
    ['job_id', T.guid], ['name', T.sysname], ['enabled', T.tinyint], ['description', T.nvarchar(512)], ['date_created', T.datetime],
  ], (s) => s.instance.msdb.sysjobs.map((j) => ({ ...j, enabled: j.enabled ? 1 : 0 })), 'msdb'),
  table('dbo', 'restorehistory', [
    ['restore_history_id', T.int], ['restore_date', T.datetime], ['destination_database_name', T.nvarchar(128)], ['user_name', T.nvarchar(128)],
    ['backup_set_id', T.int], ['restore_type', T.varchar(1)], ['replace', T.bit], ['recovery', T.bit], ['restart', T.bit], ['stop_at', T.datetime],
    ['device_count', T.tinyint], ['stop_at_mark_name', T.nvarchar(128)], ['stop_before', T.bit],
  ], msdbRows('restorehistory'), 'msdb'),
  table('dbo', 'backupset', [
    ['backup_set_id', T.int], ['backup_set_uuid', T.guid], ['media_set_id', T.int], ['name', T.nvarchar(128)], ['user_name', T.nvarchar(128)],
    ['first_lsn', T.lsn], ['last_lsn', T.lsn], ['checkpoint_lsn', T.lsn], ['database_backup_lsn', T.lsn], ['backup_start_date', T.datetime],
    ['backup_finish_date', T.datetime], ['type', T.varchar(1)], ['backup_size', T.decimal(20, 0)], ['database_name', T.nvarchar(128)],
    ['server_name', T.nvarchar(128)], ['machine_name', T.nvarchar(128)], ['recovery_model', desc60], ['is_copy_only', T.bit],
    ['first_recovery_fork_guid', T.guid], ['last_recovery_fork_guid', T.guid],
  ], msdbRows('backupset'), 'msdb'),
  table('dbo', 'backupmediafamily', [
    ['media_set_id', T.int], ['family_sequence_number', T.tinyint], ['physical_device_name', T.nvarchar(260)], ['device_type', T.tinyint],
  ], msdbRows('backupmediafamily'), 'msdb'),
];

/**
 * Resolves `[db.][schema.]name` as SQL Server would from the session's database; undefined when
 * the object does not exist there (the caller raises 208 with the name as written).
 */
export function resolveTable(parts: readonly string[], session: SqlSession): VirtualTable | undefined {
  if (parts.length > 3) return undefined;
  const [db, schema, name] = parts.length === 3 ? parts : parts.length === 2 ? [session.database, ...parts] : [session.database, '', parts[0]!];
  const database = db === '' ? session.database : db!;
  if (!session.instance.database(database)) return undefined;
  const schemaName = (schema === '' ? 'dbo' : schema!).toLowerCase();
  return CATALOG.find((t) => t.name === name!.toLowerCase() && t.schema === schemaName && (t.schema === 'sys' || t.database === database.toLowerCase()))?.onVersion(session.instance.version.major);
}
