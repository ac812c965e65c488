/**
 * Domain audit §3.1: rules that were wrong, too strict or rested on a false fact. Each test failed
 * on the rules before the fix.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Estate } from '../../../src/core/estate/model';
import { ruleMeta } from '../../../src/core/rules';
import { check, litware, ps, runbookText, sql, step, type RunbookSpec } from './harness';

const lint = async (body: string, spec: RunbookSpec = {}, estate: Estate = litware()) => check(runbookText(body, spec), estate);
const rules = async (body: string, spec: RunbookSpec = {}, estate?: Estate) => (await lint(body, spec, estate)).map((p) => p.rule);
const withProduct = (product: Estate['product']): Estate => ({ ...litware(), product });

describe('audit §3.1', () => {
  test('active-server-wrong-datacenter is a warning that names the low-latency exception (FO step 7, FB step 6)', async () => {
    const problems = await lint(step('A', ps('Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Replace="atl-pc-001.litwareinc.com"}')), { kind: 'persistent-chat-failover' });
    const hit = problems.find((p) => p.rule === 'active-server-wrong-datacenter');
    assert.equal(hit?.severity, 'warning');
    assert.match(hit!.message, /low-latency/);
  });

  test('unknown-parameter: documented parameters of Get-CsService, Start-CsWindowsService, Set-CsEdgeServer, Set-CsBackupServiceConfiguration and Invoke-CsManagementServerFailover', async () => {
    const body = step(
      'A',
      ps(
        'Get-CsService -EdgeServer',
        'Get-CsService -Director',
        'Get-CsService -CentralManagementDatabase',
        'Start-CsWindowsService -Name LYNCBACKUP -Force',
        'Set-CsEdgeServer -Identity EdgeServer:dal-edge-001.fabrikam.com -XmppListeningPort 5269',
        'Set-CsBackupServiceConfiguration -Identity global -MaxHighPriQueuePercentagePerUserStoreSync 20',
        'Invoke-CsManagementServerFailover -BackupSqlServerFqdn dal-be-001.fabrikam.com -BackupSqlInstanceName rtc -BackupMirrorSqlServerFqdn dal-bem-001.fabrikam.com -BackupMirrorSqlInstanceName rtc -Force',
      ),
    );
    const binding = ['unknown-parameter', 'missing-mandatory-parameter', 'conflicting-parameters', 'sfb-only-parameter'];
    assert.deepEqual((await lint(body, {}, withProduct('sfb2015'))).filter((p) => binding.includes(p.rule)), []);
  });

  test('conference-restore-module: an omitted -BackupModule is a warning (the parameter is optional)', async () => {
    const body = step('A', ps('Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com'));
    const hit = (await lint(body, { kind: 'conference-restore' })).find((p) => p.rule === 'conference-restore-module');
    assert.equal(hit?.severity, 'warning');
    assert.equal(ruleMeta('conference-restore-module')?.severity, 'warning');
  });

  describe('sfb-only-parameter and the estate product', () => {
    const body = step('A', ps('Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com -DisasterMode -SkipDataVerification'));
    test('no warning for a Skype for Business Server 2015 estate', async () => {
      assert.ok(!(await rules(body, { kind: 'pool-failover' }, withProduct('sfb2015'))).includes('sfb-only-parameter'));
    });
    test('a Lync Server 2013 estate: a warning that does not claim Lync rejects it (the 2013 pages conflict)', async () => {
      const hit = (await lint(body, { kind: 'pool-failover' }, withProduct('lync2013'))).find((p) => p.rule === 'sfb-only-parameter');
      assert.ok(hit);
      assert.doesNotMatch(hit.message, /rejects it\./);
      assert.match(hit.message, /may reject/);
    });
    test('no product: the warning says how to tell the linter', async () => {
      const hit = (await lint(body, { kind: 'pool-failover' })).find((p) => p.rule === 'sfb-only-parameter');
      assert.match(hit!.message, /product: sfb2015/);
    });
  });

  describe('backup-module-invalid and database-type-invalid follow the product', () => {
    const mirror = (type: string) => step('A', ps(`Get-CsDatabaseMirrorState -PoolFqdn atl-cs-001.litwareinc.com -DatabaseType ${type}`));
    const sync = (module: string) => step('A', ps(`Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com -BackupModule ${module}`));
    test('BIStaging is no DatabaseNameType in any product', async () => {
      assert.ok((await rules(mirror('BIStaging'))).includes('database-type-invalid'));
    });
    test('ActiveMonitoring: Skype for Business Server 2015 only', async () => {
      assert.ok((await rules(mirror('ActiveMonitoring'), {}, withProduct('lync2013'))).includes('database-type-invalid'));
      assert.ok(!(await rules(mirror('ActiveMonitoring'), {}, withProduct('sfb2015'))).includes('database-type-invalid'));
      assert.ok(!(await rules(mirror('ActiveMonitoring'))).includes('database-type-invalid'));
    });
    test('CentralAdmin: Lync Server 2013 only', async () => {
      assert.ok(!(await rules(mirror('CentralAdmin'), {}, withProduct('lync2013'))).includes('database-type-invalid'));
      assert.ok((await rules(mirror('CentralAdmin'), {}, withProduct('sfb2015'))).includes('database-type-invalid'));
    });
    test('ApplicationServer.RGSDataStore is not a Lync Server 2013 module', async () => {
      const hit = (await lint(sync('ApplicationServer.RGSDataStore'), {}, withProduct('lync2013'))).find((p) => p.rule === 'backup-module-invalid');
      assert.match(hit!.message, /Lync Server 2013/);
      assert.ok(!(await rules(sync('ApplicationServer.RGSDataStore'), {}, withProduct('sfb2015'))).includes('backup-module-invalid'));
    });
  });

  describe('"fail back P1, then fail over P2" (managing page, IMPORTANT box)', () => {
    const body = step('Fail back P1', ps('Invoke-CsPoolFailback -PoolFqdn atl-cs-001.litwareinc.com')) + step('Fail over P2', ps('Invoke-CsPoolFailover -PoolFqdn dal-cs-001.litwareinc.com -DisasterMode'));
    for (const kind of ['pool-failback', 'pool-failover', 'custom']) {
      test(`no failback-fqdn-mismatch or failover-surviving-pool (${kind})`, async () => {
        const found = await rules(body, { kind, pool: 'atl-cs-001.litwareinc.com' });
        assert.ok(!found.includes('failback-fqdn-mismatch') && !found.includes('failover-surviving-pool'), found.join());
      });
    }
    test('a failback still has to match the failover before it', async () => {
      const wrong = step('A', ps('Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com -DisasterMode')) + step('B', ps('Invoke-CsPoolFailback -PoolFqdn dal-cs-001.litwareinc.com'));
      assert.ok((await rules(wrong, { kind: 'pool-failover' })).includes('failback-fqdn-mismatch'));
    });
  });

  describe('doc-typo-parameter -ExcludeDatabase (binds to -ExcludeDatabaseList by prefix)', () => {
    test('with a value: no finding', async () => {
      const found = await rules(step('A', ps('Invoke-CsDatabaseFailover -PoolFqdn atl-cs-001.litwareinc.com -DatabaseType User -NewPrincipal Mirror -ExcludeDatabase "LcsCDR","LcsLog"')));
      assert.deepEqual(found.filter((r) => r === 'doc-typo-parameter' || r === 'unknown-parameter'), []);
    });
    test('without a value (the reference example): the missing value is reported', async () => {
      const hit = (await lint(step('A', ps('Invoke-CsDatabaseFailover -PoolFqdn atl-cs-001.litwareinc.com -ExcludeDatabase -NewPrincipal "Mirror" -DatabaseType User')))).find((p) => p.rule === 'doc-typo-parameter');
      assert.match(hit!.message, /no value/);
    });
  });

  test('pc-identity-form does not call service:PersistentChatServer:<fqdn> a documented form of Set-CsPersistentChatState', () => {
    assert.doesNotMatch(ruleMeta('pc-identity-form')!.description, /documented forms .*service:PersistentChatServer/);
  });

  describe('restore-log-without-norecovery: WITH RECOVERY on the last log is legitimate', () => {
    const logs = (last: string) => step('A', sql('backup', "RESTORE LOG mgc FROM DISK = N'D:\\LS\\mgc_1.trn' WITH NORECOVERY")) + step('B', sql('backup', `RESTORE LOG mgc FROM DISK = N'D:\\LS\\mgc_2.trn' ${last}`));
    test('last log WITH RECOVERY: a warning (restore-log-with-recovery), no error', async () => {
      const found = await lint(logs('WITH RECOVERY'));
      assert.deepEqual(found.filter((p) => p.rule.startsWith('restore-log')).map((p) => [p.rule, p.severity]), [['restore-log-with-recovery', 'warning']]);
    });
    test('an earlier log WITH RECOVERY is still an error', async () => {
      const body = step('A', sql('backup', "RESTORE LOG mgc FROM DISK = N'D:\\LS\\mgc_1.trn' WITH RECOVERY")) + step('B', sql('backup', "RESTORE LOG mgc FROM DISK = N'D:\\LS\\mgc_2.trn' WITH NORECOVERY"));
      assert.ok((await rules(body)).includes('restore-log-without-norecovery'));
    });
  });

  test('en-dash-parameter says PowerShell accepts the dash', async () => {
    const hit = (await lint(step('A', ps('Set-CsPersistentChatState -Identity "PersistentChatServer:atl-gc-001.litwareinc.com" \u2013PoolState Normal')))).find((p) => p.rule === 'en-dash-parameter');
    assert.match(hit!.message, /PowerShell accepts it/);
  });
});
