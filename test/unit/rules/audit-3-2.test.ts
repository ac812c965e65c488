/**
 * Domain audit §3.2 and issue 13 item 5: mistakes no rule caught. Each probe runbook reported
 * nothing before these rules.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { check, lync, ps, runbookText, sql, step } from './harness';

const PC = 'atl-gc-001.litwareinc.com';
const FO = 'persistent-chat-failover';
const FB = 'persistent-chat-failback';
const found = async (body: string, kind = 'custom') => (await check(runbookText(body, { kind }))).map((p) => p.rule);
const reports = async (rule: string, body: string, kind?: string) => assert.ok((await found(body, kind)).includes(rule), `${rule} not reported`);

describe('audit §3.2', () => {
  test('1. failover recovers mgc without applying any log', async () => {
    await reports('recovery-without-log-restores', step('A', sql('backup', "EXEC sp_delete_log_shipping_secondary_database N'mgc'")) + step('B', sql('backup', 'RESTORE DATABASE mgc WITH RECOVERY')), FO);
  });
  test('2. log restores and the recovery in one block (recovery-with-log-restores, D2)', async () => {
    await reports('recovery-with-log-restores', step('A', sql('backup', "RESTORE LOG mgc FROM DISK = N'x.trn' WITH NORECOVERY", 'RESTORE DATABASE mgc WITH RECOVERY')), FO);
  });
  test('3. failback sets Normal without backup and restore', async () => {
    await reports('failback-without-restore', step('A', ps('Set-CsPersistentChatActiveServer -Identity global -ActiveServers $Null')) + step('B', ps(`Set-CsPersistentChatState -Identity "PersistentChatServer:${PC}" -PoolState Normal`)), FB);
  });
  test('4. @{Add=…} leaves the lost data center\'s servers active', async () => {
    await reports('active-servers-in-lost-datacenter', step('A', ps('Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Add="dal-pc-001.litwareinc.com","dal-pc-002.litwareinc.com"}')), FO);
  });
  test('5. failover without any active-server step', async () => {
    await reports('active-servers-not-set', step('A', lync('apply-log-backups database=mgc on=backup')) + step('B', lync('recover-database database=mgc on=backup')) + step('C', ps(`Set-CsPersistentChatState -Identity "PersistentChatServer:${PC}" -PoolState FailedOver`)), FO);
  });
  test('6. Install-CsMirrorDatabase -ConfiguredDatabases during a failover', async () => {
    await reports('mirror-configured-databases', step('A', ps('Install-CsMirrorDatabase -ConfiguredDatabases -SqlServerFqdn dal-pcbak-001.litwareinc.com -FileShare "\\\\f\\m"')), FO);
  });
  test('7. pool failover with no CMS or Edge check; pool failback with -DisasterMode', async () => {
    const body = step('A', ps('Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com -DisasterMode'));
    await reports('pool-failover-cms-unchecked', body, 'pool-failover');
    await reports('pool-failover-edge-unchecked', body, 'pool-failover');
    await reports('failback-disaster-mode', step('A', ps('Invoke-CsPoolFailback -PoolFqdn atl-cs-001.litwareinc.com -DisasterMode')), 'pool-failback');
  });
  test('8. Invoke-CsManagementServerFailover with the page\'s -MirrorSqlServerFqdn, or without -Force', async () => {
    const rules = await found(step('A', ps('Invoke-CsManagementServerFailover -BackupSqlServerFqdn dal-pcbak-001.litwareinc.com -MirrorSqlServerFqdn dal-pcbak-001.litwareinc.com -Force')));
    assert.ok(rules.includes('doc-typo-parameter'), rules.join());
    await reports('missing-mandatory-parameter', step('A', ps('Invoke-CsManagementServerFailover -BackupSqlServerFqdn dal-pcbak-001.litwareinc.com -BackupSqlInstanceName pchat')));
  });
});

describe('issue 13 item 5', () => {
  test('failback data path: backup on the wrong instance, restore left RESTORING, log shipping not rebuilt', async () => {
    await reports('failback-backup-wrong-instance', step('A', sql('primary', "BACKUP DATABASE mgc TO DISK = N'\\\\s\\mgc.bak'")), FB);
    await reports('restore-left-restoring', step('A', sql('primary', "RESTORE DATABASE mgc FROM DISK = N'\\\\s\\mgc.bak' WITH REPLACE, NORECOVERY")), FB);
    await reports('failback-log-shipping-not-rebuilt', step('A', sql('primary', "RESTORE DATABASE mgc FROM DISK = N'\\\\s\\mgc.bak' WITH REPLACE, RECOVERY")), FB);
  });
  test('explicit RESTORE LOG files out of order', async () => {
    await reports('restore-log-out-of-order', step('A', sql('backup', "RESTORE LOG mgc FROM DISK = N'D:\\LS\\mgc_20261207101500.trn' WITH NORECOVERY", "RESTORE LOG mgc FROM DISK = N'D:\\LS\\mgc_20261207100000.trn' WITH NORECOVERY")));
  });
  test('a statement a RESTORING database refuses', async () => {
    await reports('statement-on-restoring-database', step('A', sql('backup', 'USE mgc')) + step('B', lync('apply-log-backups database=mgc on=backup')) + step('C', lync('recover-database database=mgc on=backup')), FO);
  });
  test('typographic quotes in T-SQL, not in a string', async () => {
    await reports('sql-typographic-quote', step('A', sql('backup', 'RESTORE DATABASE mgc FROM DISK = \u2018D:\\mgc.bak\u2019 WITH NORECOVERY')));
    assert.ok(!(await found(step('A', sql('backup', "SELECT N'It\u2019s a string'")))).includes('sql-typographic-quote'));
  });
  test('a cmdlet name that exists nowhere, not only a near miss', async () => {
    const problems = await check(runbookText(step('A', ps('Get-CsDisasterRecoveryState -PoolFqdn atl-cs-001.litwareinc.com'))));
    assert.equal(problems.find((p) => p.rule === 'unknown-cmdlet')?.severity, 'error');
    assert.ok(!(await found(step('A', ps('Get-CsUser -Identity x', 'Get-CsSite', 'Export-CsConfiguration -FileName c:\\cs.zip')))).includes('unknown-cmdlet'));
  });
});
