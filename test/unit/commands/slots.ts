/**
 * The builders' slots (each value a builder interpolates, with its parser) and the hostile and
 * spicy inputs thrown at them: shared by the injection tests and the parser oracles
 * (test/oracles), which judge the same outputs with Microsoft's parsers.
 */
import {
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
  tsql,
  type SqlCommand,
} from '../../../src/core/commands';

export const HOSTILE = [
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
export const SPICY_PATHS = [
  "D:\\logs\\it's; $(Stop-Computer) `x -- y.trn",
  "\\\\srv.litwareinc.com\\d$\\a'b]c\\x _ y.trn",
  "D:\\a'';DROP DATABASE mgc;--\\x.trn",
  "\\\\srv\\share\\O'Brien\\x$(y) `` z",
];

export const db = parseDatabaseName('mgc');
export const file = parseFilePath('D:\\LogShipping\\mgc\\mgc_1.trn');
export const fqdn = parseFqdn('atl-gc-001.litwareinc.com');

export interface Slot<V> {
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

export const SLOTS: Slot<unknown>[] = [
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
  slot({ builder: 'clearPersistentChatActiveServers(identity)', parse: parseXdsIdentity, build: ps.clearPersistentChatActiveServers, shape: 'powershell' }),
  slot({ builder: 'addPersistentChatActiveServers(identity, ·)', parse: parseXdsIdentity, build: (v) => ps.addPersistentChatActiveServers(v, [fqdn]), shape: 'powershell' }),
  slot({ builder: 'addPersistentChatActiveServers(·, servers)', parse: parseFqdn, build: (v) => ps.addPersistentChatActiveServers(parseXdsIdentity('global'), [fqdn, v]), shape: 'powershell' }),
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
  slot({ builder: 'invokeManagementServerFailover(backup)', parse: parseFqdn, build: (v) => ps.invokeManagementServerFailover({ backupSqlServerFqdn: v }), shape: 'powershell' }),
  slot({ builder: 'invokeManagementServerFailover(mirror)', parse: parseFqdn, build: (v) => ps.invokeManagementServerFailover({ backupSqlServerFqdn: fqdn, backupMirrorSqlServerFqdn: v }), shape: 'powershell' }),
  slot({ builder: 'setEdgeServerNextHop(edge, ·)', parse: parseFqdn, build: (v) => ps.setEdgeServerNextHop(v, fqdn), shape: 'powershell' }),
  slot({ builder: 'setEdgeServerNextHop(·, nextHop)', parse: parseFqdn, build: (v) => ps.setEdgeServerNextHop(fqdn, v), shape: 'powershell' }),
  slot({ builder: 'getPoolBackupRelationship(pool)', parse: parseFqdn, build: ps.getPoolBackupRelationship, shape: 'powershell' }),
  slot({ builder: 'getPool(identity)', parse: parseFqdn, build: (v) => ps.getPool(v), shape: 'powershell' }),
  slot({ builder: 'invokePoolFailOver(pool)', parse: parseFqdn, build: (v) => ps.invokePoolFailOver(v, { disasterMode: true }), shape: 'powershell' }),
  slot({ builder: 'invokePoolFailBack(pool)', parse: parseFqdn, build: (v) => ps.invokePoolFailBack(v), shape: 'powershell' }),
];
