/**
 * The Lync cmdlets' behaviour in the lab, through real PowerShell and the generated LyncLab
 * module: what binding refuses is PowerShell's own doing; what the lab refuses is its model.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeSql } from './shell-fakes';
import { labShell, type LabShell } from './lynclab-harness';

const PC = 'atl-gc-001.litwareinc.com';
const ATL = 'atl-cs-001.litwareinc.com';
const DAL = 'dal-cs-001.litwareinc.com';

const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

/** One lab shell (one PowerShell process) per block: starting PowerShell takes seconds. */
function withLabShell(scenario: string, sql: () => FakeSql, body: (h: () => LabShell) => void): void {
  let h: LabShell;
  before(async () => {
    h = await labShell(scenario, sql());
  });
  after(() => h.close());
  body(() => h);
}

describe('LyncLab: Persistent Chat cmdlets', { timeout: 120_000 }, () => {
  withLabShell('steady', () => new FakeSql(), (lab) => {
    it('Get-CsPersistentChatState by every documented identity form; PoolState is an enum written as a number', async () => {
      for (const id of [`PersistentChatServer:${PC}`, `service:${PC}`, `service:PersistentChatServer:${PC}`]) {
        assert.deepEqual(json(await lab().ok(`Get-CsPersistentChatState -Identity "${id}" | ConvertTo-Json -Compress`)), { Identity: `service:PersistentChatServer:${PC}`, PoolState: 0 });
      }
      assert.equal(await lab().ok(`(Get-CsPersistentChatState -Filter "*.litwareinc.com").PoolState.GetType().Name`), 'PoolState');
      assert.equal(await lab().ok(`Get-CsPersistentChatState | Select-Object Identity, @{Name='PoolState';Expression={[string]$_.PoolState}} | ConvertTo-Json -Compress`), `{"Identity":"service:PersistentChatServer:${PC}","PoolState":"Normal"}`);
      assert.equal(await lab().ok(`(Get-CsPersistentChatState)[0].PSObject.TypeNames[0]`), 'Microsoft.Rtc.Management.WritableConfig.Settings.PersistentChat.PersistentChatState');
    });

    it('refuses unknown pools and "service: <fqdn>" with a space, as ObjectNotFound', async () => {
      const e = await lab().fails(`Set-CsPersistentChatState -Identity "service: ${PC}" -PoolState Normal`);
      assert.match(e.message, /Cannot find "PersistentChatState" "service: atl-gc-001.litwareinc.com" because it does not exist\./);
      assert.match(String(e.category), /^ObjectNotFound\b/);
      assert.equal(e.errorId, 'ProcessingFailed,Set-CsPersistentChatState');
    });

    it('binding is PowerShell\'s: a misspelt enum value, an unknown parameter, a typographic dash, a prefix', async () => {
      assert.match((await lab().fails(`Set-CsPersistentChatState -Identity "service:${PC}" -PoolState Failover`)).message, /Cannot convert value "Failover" to type "PoolState"/);
      assert.match((await lab().fails(`Set-CsPersistentChatState -Identity "service:${PC}" -PoolStatus FailedOver`)).message, /A parameter cannot be found that matches parameter name 'PoolStatus'/);
      // "…com"-PoolState (no space): PowerShell's tokenizer ends the string at its quote, so -PoolState is a parameter.
      await lab().ok(`Set-CsPersistentChatState "service:${PC}"-PoolState FailedOver`);
      assert.equal(lab().lync.pcPool(PC)?.poolState, 'FailedOver');
      await lab().ok(`Set-CsPersistentChatState -Identity "service:${PC}" \u2013PoolSt Normal`);
      assert.equal(lab().lync.pcPool(PC)?.poolState, 'Normal');
    });

    it('without -PoolState sets Normal (the documented default, lab assumption); -WhatIf changes nothing; pipeline input binds -Instance', async () => {
      await lab().ok(`Set-CsPersistentChatState -Identity "service:${PC}"`);
      assert.equal(lab().lync.pcPool(PC)?.poolState, 'Normal');
      assert.match(await lab().ok(`Set-CsPersistentChatState -Identity "service:${PC}" -PoolState FailedOver -WhatIf`), /^What if: Performing the operation "Set-CsPersistentChatState" on target "service:/);
      assert.equal(lab().lync.pcPool(PC)?.poolState, 'Normal');
      await lab().ok(`Get-CsPersistentChatState | Set-CsPersistentChatState -PoolState FailedOver`);
      assert.equal(lab().lync.pcPool(PC)?.poolState, 'FailedOver');
    });

    it('Set-CsPersistentChatActiveServer: @{Replace=…}, $null clears, strangers and unknown collections are refused', async () => {
      await lab().ok(`Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Replace="dal-pc-001.litwareinc.com","dal-pc-002.litwareinc.com"}`);
      assert.deepEqual(lab().lync.pcPool(PC)?.activeServers, ['dal-pc-001.litwareinc.com', 'dal-pc-002.litwareinc.com']);
      await lab().ok(`Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Remove="dal-pc-002.litwareinc.com"}`);
      assert.deepEqual(lab().lync.pcPool(PC)?.activeServers, ['dal-pc-001.litwareinc.com']);
      await lab().ok(`Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers $Null`);
      assert.deepEqual(lab().lync.pcPool(PC)?.activeServers, []);
      assert.match((await lab().fails(`Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Add="atl-fe-001.litwareinc.com"}`)).message, /is not a Persistent Chat server in pool/);
      assert.match((await lab().fails(`Set-CsPersistentChatActiveServer -Identity PChatServerCollection -ActiveServers $null`)).message, /Cannot find "PersistentChatActiveServer" "PChatServerCollection"/);
      assert.match((await lab().fails(`Set-CsPersistentChatActiveServer -Identity global -ActiveServers $null -Swap`)).message, /Parameter set cannot be resolved/);
    });
  });
});

describe('LyncLab: mirroring cmdlets', { timeout: 120_000 }, () => {
  const recovered = () => new FakeSql().db('dal-pcbak', 'mgc', 'ONLINE').db('atl-pcsql', 'mgc', 'ONLINE').db('dal-pcbak', 'mgccomp', 'ONLINE');
  withLabShell('pchat-dc-loss', recovered, (lab) => {
    const install = `Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn "dal-pcbak-001.litwareinc.com" -SqlInstanceName "pchat" -FileShare "\\\\dal-fs-001.litwareinc.com\\PChatMirror" -DropExistingDatabasesOnMirror`;

    it('Install-CsMirrorDatabase asks for confirmation: under -NonInteractive that fails and nothing is mirrored', async () => {
      const e = await lab().fails(install);
      assert.match(e.message, /NonInteractive mode\. Read and Prompt functionality is not available/);
      assert.deepEqual(lab().sql.calls, []);
    });

    it('-Confirm:$false suppresses the prompt; the store is mirrored to its topology mirror', async () => {
      await lab().ok(`${install} -Confirm:$false`);
      assert.deepEqual(lab().sql.calls, [['dal-pcbak', 'mgc', 'dal-pcbakm']]);
      lab().lync.setPoolState(PC, 'FailedOver');
      const state = json(await lab().ok(`Get-CsDatabaseMirrorState -PoolFqdn ${PC} -DatabaseType PersistentChat | ConvertTo-Json`));
      assert.deepEqual(state, { DatabaseName: 'mgc', StateOnPrimary: 'Principal', StateOnMirror: 'Mirror', MirroringStatusOnPrimary: 'synchronized', MirroringStatusOnMirror: 'synchronized' });
      await lab().ok(`Uninstall-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn dal-pcbak-001.litwareinc.com -SqlInstanceName pchat`);
      assert.deepEqual(lab().sql.calls.at(-1), ['dal-pcbak', 'mgc', null]);
    });

    it('the parameter sets are the catalogue\'s: -ConfiguredDatabases mirrors both databases; -ForInstance with -SqlInstanceName cannot be resolved', async () => {
      await lab().ok(`Install-CsMirrorDatabase -ConfiguredDatabases -SqlServerFqdn dal-pcbak-001.litwareinc.com -ForInstance pchat -FileShare \\\\fs\\m -DropExistingDatabasesOnMirror -Confirm:$false`);
      assert.deepEqual(lab().sql.calls.slice(-2).map((c) => c[1]), ['mgc', 'mgccomp']);
      assert.match((await lab().fails(`Install-CsMirrorDatabase -ConfiguredDatabases -SqlServerFqdn a -SqlInstanceName b -ForInstance c -FileShare x -Confirm:$false`)).message, /Parameter set cannot be resolved/);
      assert.match((await lab().fails(`Install-CsMirrorDatabase -DatabaseType Mgc -SqlServerFqdn a.b -FileShare x -Confirm:$false`)).message, /Cannot convert value "Mgc" to type "DatabaseType"/);
      assert.match((await lab().fails(`Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn nope.litwareinc.com -FileShare x -Confirm:$false`)).message, /Cannot find SQL Server store "nope.litwareinc.com"/);
    });
  });
});

describe('LyncLab: Backup Service and pool failover (pool-loss)', { timeout: 120_000 }, () => {
  withLabShell('pool-loss', () => new FakeSql(), (lab) => {
    const dataConf = async (pool: string) =>
      (json(await lab().ok(`Get-CsBackupServiceStatus -PoolFqdn ${pool} | Select-Object -ExpandProperty BackupModules | Where-Object Identity -eq 'ConfServices.DataConf' | Select-Object @{n='Export';e={[string]$_.ExportStatus}} | ConvertTo-Json -Compress`)) as { Export: string }).Export;

    it('modules carry enum statuses (numbers in JSON); -Category filters; the undocumented -BackupModule is refused', async () => {
      const s = json(await lab().ok(`Get-CsBackupServiceStatus -PoolFqdn ${DAL} | ConvertTo-Json -Depth 3`)) as { PoolFqdn: string; BackupModules: { Identity: string; ExportStatus: number }[] };
      assert.equal(s.PoolFqdn, DAL);
      assert.deepEqual(s.BackupModules.map((m) => m.Identity), ['UserServices.PresenceFocus', 'ConfServices.DataConf', 'CentralMgmt.CMSMaster']);
      assert.equal(typeof s.BackupModules[0]!.ExportStatus, 'number');
      const cms = json(await lab().ok(`Get-CsBackupServiceStatus -PoolFqdn ${DAL} -Category CMS | ConvertTo-Json -Depth 3`)) as { BackupModules: { Identity: string }[] };
      assert.deepEqual(cms.BackupModules.map((m) => m.Identity), ['CentralMgmt.CMSMaster']);
      assert.match((await lab().fails(`Get-CsBackupServiceStatus -PoolFqdn ${DAL} -BackupModule ConfServices.DataConf`)).message, /A parameter cannot be found that matches parameter name 'BackupModule'/);
      assert.match((await lab().fails(`Invoke-CsBackupServiceSync -PoolFqdn ${DAL} -BackupModule DataConf`)).message, /does not belong to the set/);
    });

    it('fail over with -DisasterMode, fail back, then a DataConf sync on the partner restores the content', async () => {
      assert.match((await lab().fails(`Get-CsBackupServiceStatus -PoolFqdn ${ATL}`)).message, /Unable to contact the Backup Service on pool/);
      assert.equal(await dataConf(DAL), 'ErrorState');
      assert.match((await lab().fails(`Invoke-CsPoolFailOver -PoolFqdn ${ATL}`)).message, /run the cmdlet with the DisasterMode parameter/);
      assert.match(await lab().ok(`Invoke-CsPoolFailOver -PoolFqdn ${ATL} -DisasterMode -Verbose 4>&1`), /VERBOSE: /);
      assert.equal(lab().lync.servingPool(ATL), DAL);
      // Failing back a pool that is still down is refused: it must be back online first (POOL-FB).
      assert.match((await lab().fails(`Invoke-CsPoolFailBack -PoolFqdn ${ATL}`)).message, /Pool "atl-cs-001\.litwareinc\.com" is not reachable\. Bring its Front End servers back online/);
      assert.equal(lab().lync.servingPool(ATL), DAL);
      lab().lync.bringBack(ATL);
      await lab().ok(`Invoke-CsPoolFailBack -PoolFqdn ${ATL}`);
      assert.equal(lab().lync.fePool(ATL)?.conferenceContentLost, true);
      await lab().ok(`Invoke-CsBackupServiceSync -PoolFqdn ${DAL} -BackupModule ConfServices.DataConf`);
      assert.equal(await dataConf(DAL), 'NonSteadyState');
      lab().clock.advance(60_000);
      assert.equal(await dataConf(DAL), 'SteadyState');
      assert.equal(lab().lync.fePool(ATL)?.conferenceContentLost, false);
    });
  });
});

describe('LyncLab: topology cmdlets and faults', { timeout: 120_000 }, () => {
  withLabShell('pool-loss', () => new FakeSql(), (lab) => {
    it('Get-CsPool, Get-CsService role sets, Get-CsManagementStoreReplicationStatus, Get-CsTopology -AsXml', async () => {
      const pc = json(await lab().ok(`Get-CsPool -Identity ${PC} | ConvertTo-Json`)) as { Services: string[]; Computers: string[]; Site: string };
      assert.deepEqual(pc.Services, [`PersistentChatServer:${PC}`]);
      assert.equal(pc.Computers.length, 4);
      assert.equal(await lab().ok(`(Get-CsPool -Site Dallas).Fqdn -join ','`), `${DAL},dal-sql-001.litwareinc.com`);
      assert.equal(json(await lab().ok(`Get-CsService -PersistentChatServer | ConvertTo-Json`)).Identity, `PersistentChatServer:${PC}`);
      assert.match((await lab().fails(`Get-CsService -PersistentChatServer -Registrar`)).message, /Parameter set cannot be resolved/);
      const cms = json(await lab().ok('Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus | ConvertTo-Json')) as { ActiveMasterFqdn: string };
      assert.equal(cms.ActiveMasterFqdn, 'dal-fe-001.litwareinc.com');
      assert.equal(await lab().ok('(Get-CsManagementStoreReplicationStatus -ReplicaFqdn atl-fe-001.litwareinc.com).LastStatusReport.ToUniversalTime().ToString("o")'), '2023-11-14T22:13:20.0000000Z');
      assert.match(await lab().ok('Get-CsTopology -AsXml'), /<Cluster RequiresReplication="true" RequiresSetup="true" Fqdn="atl-gc-001.litwareinc.com">/);
    });

    it('a catalogued cmdlet the lab does not model says so', async () => {
      const e = await lab().fails('Start-CsWindowsService -Name LYNCBACKUP -Force -Confirm:$false');
      assert.match(e.message, /Start-CsWindowsService is not modelled by the rehearsal lab/);
      assert.match(String(e.category), /^NotImplemented\b/);
    });

    it('cmdlet-error fails the next state-changing cmdlet once; backup-sync-error puts DataConf in ErrorState', async () => {
      lab().faults.armed.add('cmdlet-error');
      await lab().ok('Get-CsPersistentChatState');
      const e = await lab().fails(`Set-CsPersistentChatState -Identity service:${PC} -PoolState FailedOver`);
      assert.match(e.message, /^Set-CsPersistentChatState : Command execution failed: Unable to access the Central Management Store/);
      assert.equal(lab().lync.pcPool(PC)?.poolState, 'Normal');
      await lab().ok(`Set-CsPersistentChatState -Identity service:${PC} -PoolState FailedOver`);
      lab().faults.armed.delete('cmdlet-error');
      lab().faults.armed.add('backup-sync-error');
      await lab().ok(`Invoke-CsBackupServiceSync -PoolFqdn ${DAL} -BackupModule ConfServices.DataConf`);
      lab().clock.advance(60_000);
      assert.equal(await lab().ok(`((Get-CsBackupServiceStatus -PoolFqdn ${DAL}).BackupModules | Where-Object Identity -eq 'ConfServices.DataConf').ExportStatus`), 'ErrorState');
    });
  });
});
