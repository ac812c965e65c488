import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertToJson } from '../../../src/lab/shell/json';
import { PS_CUSTOM_OBJECT, PsDate, PsObject } from '../../../src/lab/shell/values';
import { POOL_STATE } from '../../../src/lab/shell/cmdlets/types';
import { FakeSql } from './shell-fakes';
import { harness } from './shell-session';

const PC = 'atl-gc-001.litwareinc.com';
const ATL = 'atl-cs-001.litwareinc.com';
const DAL = 'dal-cs-001.litwareinc.com';

/** Parses what `… | ConvertTo-Json` printed. */
const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe('ConvertTo-Json (Windows PowerShell 5.1)', () => {
  it('pretty-prints with 5.1 spacing and aligned nesting', () => {
    const o = new PsObject(PS_CUSTOM_OBJECT, [['a', 1], ['list', [new PsObject(PS_CUSTOM_OBJECT, [['b', 'x']])]]]);
    assert.equal(convertToJson(o), ['{', '    "a":  1,', '    "list":  [', '                 {', '                     "b":  "x"', '                 }', '             ]', '}'].join('\r\n'));
  });

  it('writes enums as numbers, dates as \\/Date(ms)\\/, escapes like JavaScriptSerializer', () => {
    const o = new PsObject(PS_CUSTOM_OBJECT, [['s', POOL_STATE.of('FailedOver')], ['d', new PsDate(1234)], ['t', `it's <b>&`]]);
    assert.equal(convertToJson(o, 2, true), '{"s":1,"d":"\\/Date(1234)\\/","t":"it\\u0027s \\u003cb\\u003e\\u0026"}');
  });

  it('truncates below -Depth to the ToString() text', () => {
    const deep = new PsObject('Deep.Type', [['c', 1]]);
    const o = new PsObject(PS_CUSTOM_OBJECT, [['a', new PsObject(PS_CUSTOM_OBJECT, [['b', new PsObject(PS_CUSTOM_OBJECT, [['x', deep]])]])]]);
    assert.equal(convertToJson(o, 2, true), '{"a":{"b":{"x":"Deep.Type"}}}');
    assert.equal(convertToJson(o, 3, true), '{"a":{"b":{"x":{"c":1}}}}');
  });

  it('unwraps a one-element pipeline but keeps -InputObject arrays', () => {
    const h = harness();
    assert.equal(h.ok(`@('x') | ConvertTo-Json -Compress`), '"x"');
    assert.equal(h.ok(`'x','y' | ConvertTo-Json -Compress`), '["x","y"]');
    assert.equal(h.ok(`ConvertTo-Json -InputObject @('x') -Compress`), '["x"]');
    assert.match(h.fails(`'x' | ConvertTo-Json -Depth 0`), /less than the minimum allowed range of 1/);
    assert.match(h.fails(`'x' | ConvertTo-Json -EnumsAsStrings`), /A parameter cannot be found that matches parameter name 'EnumsAsStrings'/);
  });
});

describe('Persistent Chat cmdlets', () => {
  it('Get-CsPersistentChatState by every documented identity form, and -Filter', () => {
    const h = harness();
    for (const id of [`PersistentChatServer:${PC}`, `service:${PC}`, `service:PersistentChatServer:${PC}`]) {
      assert.deepEqual(json(h.ok(`Get-CsPersistentChatState -Identity "${id}" | ConvertTo-Json -Compress`)), { Identity: `service:PersistentChatServer:${PC}`, PoolState: 0 });
    }
    assert.equal(json(h.ok(`Get-CsPersistentChatState -Filter "*.litwareinc.com" | ConvertTo-Json`)).PoolState, 0);
    assert.equal(h.ok(`Get-CsPersistentChatState | Select-Object Identity, @{Name='PoolState';Expression={[string]$_.PoolState}} | ConvertTo-Json -Compress`), `{"Identity":"service:PersistentChatServer:${PC}","PoolState":"Normal"}`);
  });

  it('refuses unknown pools and the doc sample "service: <fqdn>" with a space', () => {
    const h = harness();
    assert.match(h.fails(`Set-CsPersistentChatState -Identity "service:lyncpc.dci.discovery.com" -PoolState Normal`), /Cannot find "PersistentChatState" "service:lyncpc.dci.discovery.com" because it does not exist\./);
    assert.match(h.fails(`Set-CsPersistentChatState -Identity "service: ${PC}" -PoolState Normal`), /ObjectNotFound/);
    assert.match(h.fails(`Get-CsPersistentChatState -Identity "service:${ATL}"`), /does not exist/);
  });

  it('Set-CsPersistentChatState without -PoolState sets Normal (the documented default)', () => {
    const h = harness();
    h.ok(`Set-CsPersistentChatState -Identity "service:${PC}" -PoolState FailedOver`);
    h.ok(`Set-CsPersistentChatState -Identity "service:${PC}"`);
    assert.equal(h.lync.pcPool(PC)?.poolState, 'Normal');
  });

  it('Set-CsPersistentChatState takes objects from the pipeline and honours -WhatIf', () => {
    const h = harness();
    assert.match(h.ok(`Set-CsPersistentChatState -Identity "service:${PC}" -PoolState FailedOver -WhatIf`), /^What if: Performing the operation "Set" on target "service:/);
    assert.equal(h.lync.pcPool(PC)?.poolState, 'Normal');
    h.ok(`Get-CsPersistentChatState | Set-CsPersistentChatState -PoolState FailedOver`);
    assert.equal(h.lync.pcPool(PC)?.poolState, 'FailedOver');
    assert.equal(h.ok(`Get-CsPersistentChatState | Where-Object { $_.PoolState -eq "FailedOver" } | ForEach-Object { $_.Identity }`), `service:PersistentChatServer:${PC}`);
  });

  it('Set-CsPersistentChatActiveServer: $null clears, more than 4 or a stranger is refused', () => {
    const h = harness();
    h.ok(`Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers $Null`);
    assert.deepEqual(h.lync.pcPool(PC)?.activeServers, []);
    assert.match(h.fails(`Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Add="atl-fe-001.litwareinc.com"}`), /is not a Persistent Chat server in pool/);
    assert.match(h.fails(`Set-CsPersistentChatActiveServer -ActiveServers a.b,c.d`), /not a Persistent Chat server/);
    assert.match(h.fails(`Set-CsPersistentChatActiveServer -Identity PChatServerCollection -ActiveServers $null`), /Cannot find "PersistentChatActiveServer" "PChatServerCollection"/);
  });

  it('refuses more than four active servers', () => {
    const estateServers = ['atl-pc-001', 'atl-pc-002', 'dal-pc-001', 'dal-pc-002'].map((s) => `${s}.litwareinc.com`);
    const h = harness();
    h.ok(`Set-CsPersistentChatActiveServer -Identity global -ActiveServers ${estateServers.join(',')}`);
    const pool = h.lync.pcPool(PC);
    assert.ok(pool);
    assert.throws(() => h.lync.setActiveServers({ ...pool, servers: [...pool.servers, 'five.litwareinc.com'] }, [...estateServers, 'five.litwareinc.com']), /at most 4 active servers/);
  });
});

describe('mirroring cmdlets', () => {
  const recovered = () => new FakeSql().db('dal-pcbak', 'mgc', 'ONLINE').db('atl-pcsql', 'mgc', 'ONLINE');

  it('Install-CsMirrorDatabase mirrors the store whose principal is -SqlServerFqdn to its topology mirror', () => {
    const h = harness('pchat-dc-loss', recovered());
    h.ok(`Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn "dal-pcbak-001.litwareinc.com" -SqlInstanceName "pchat" -FileShare "\\\\dal-fs-001.litwareinc.com\\PChatMirror" -DropExistingDatabasesOnMirror -Verbose`);
    assert.deepEqual(h.sql.calls, [['dal-pcbak', 'mgc', 'dal-pcbakm']]);
    h.lync.setPoolState(PC, 'FailedOver');
    const state = json(h.ok(`Get-CsDatabaseMirrorState -PoolFqdn ${PC} -DatabaseType PersistentChat | ConvertTo-Json`));
    assert.deepEqual(state, { DatabaseName: 'mgc', StateOnPrimary: 'Principal', StateOnMirror: 'Mirror', MirroringStatusOnPrimary: 'synchronized', MirroringStatusOnMirror: 'synchronized' });
    h.ok(`Uninstall-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn dal-pcbak-001.litwareinc.com -SqlInstanceName pchat`);
    assert.deepEqual(h.sql.calls.at(-1), ['dal-pcbak', 'mgc', null]);
  });

  it('ConfiguredDatabases mirrors every Persistent Chat database of the store', () => {
    const sql = recovered().db('dal-pcbak', 'mgccomp', 'ONLINE');
    const h = harness('steady', sql);
    h.ok(`Install-CsMirrorDatabase -ConfiguredDatabases -SqlServerFqdn dal-pcbak-001.litwareinc.com -ForInstance pchat -FileShare \\\\fs\\m`);
    assert.deepEqual(sql.calls.map((c) => c[1]), ['mgc', 'mgccomp']);
  });

  it('is refused when the principal is unreachable, not online, or the mirror has the database', () => {
    const down = recovered();
    down.down.add('atl-pcsql');
    assert.match(harness('steady', down).fails(`Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn atl-pcsql-001.litwareinc.com -SqlInstanceName pchat -FileShare x`), /Cannot connect to SQL Server "atl-pcsql-001.litwareinc.com\\pchat"/);
    const restoring = new FakeSql().db('dal-pcbak', 'mgc', 'RESTORING');
    assert.match(harness('steady', restoring).fails(`Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn dal-pcbak-001.litwareinc.com -SqlInstanceName pchat -FileShare x`), /is RESTORING/);
    const existing = recovered().db('dal-pcbakm', 'mgc', 'RESTORING');
    assert.match(harness('steady', existing).fails(`Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn dal-pcbak-001.litwareinc.com -SqlInstanceName pchat -FileShare x`), /already exists on mirror/);
    assert.match(harness().fails(`Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn nope.litwareinc.com -FileShare x`), /Cannot find SQL Server store "nope.litwareinc.com"/);
    assert.match(harness().fails(`Install-CsMirrorDatabase -DatabaseType Mgc -SqlServerFqdn a.b -FileShare x`), /enumerator names and try again: Application, Archiving/);
  });
});

describe('Backup Service and pool failover', () => {
  const status = (h: ReturnType<typeof harness>, pool: string) => {
    const out = h.ok(`Get-CsBackupServiceStatus -PoolFqdn ${pool} | Select-Object -ExpandProperty BackupModules | Where-Object Identity -eq 'ConfServices.DataConf' | Select-Object @{n='Export';e={[string]$_.ExportStatus}} | ConvertTo-Json -Compress`);
    return (json(out) as { Export: string }).Export;
  };

  it('reports modules with enum statuses and filters by -Category', () => {
    const h = harness();
    const s = json(h.ok(`Get-CsBackupServiceStatus -PoolFqdn ${ATL} | ConvertTo-Json -Depth 3`)) as { PoolFqdn: string; BackupModules: { Identity: string; ExportStatus: number }[] };
    assert.equal(s.PoolFqdn, ATL);
    assert.deepEqual(s.BackupModules.map((m) => m.Identity), ['UserServices.PresenceFocus', 'ConfServices.DataConf', 'CentralMgmt.CMSMaster']);
    assert.equal(typeof s.BackupModules[0].ExportStatus, 'number');
    // A one-element collection inside an object stays an array.
    const cms = json(h.ok(`Get-CsBackupServiceStatus -PoolFqdn ${DAL} -Category CMS | ConvertTo-Json -Depth 3`)) as { BackupModules: { Identity: string }[] };
    assert.deepEqual(cms.BackupModules.map((m) => m.Identity), ['CentralMgmt.CMSMaster']);
    assert.match(h.fails(`Get-CsBackupServiceStatus -PoolFqdn ${DAL} -Category RGS`), /enumerator names and try again: UserData, CMS/);
  });

  it('does not accept the undocumented -BackupModule on Get-CsBackupServiceStatus', () => {
    assert.match(harness().fails(`Get-CsBackupServiceStatus -PoolFqdn ${DAL} -BackupModule ConfServices.DataConf`), /A parameter cannot be found that matches parameter name 'BackupModule'\./);
  });

  it('pool-loss: fail over with -DisasterMode, fail back, then a DataConf sync on the partner restores the content', () => {
    const h = harness('pool-loss');
    assert.match(h.fails(`Get-CsBackupServiceStatus -PoolFqdn ${ATL}`), /Unable to contact the Backup Service on pool/);
    assert.equal(status(h, DAL), 'ErrorState');
    assert.match(h.fails(`Invoke-CsPoolFailOver -PoolFqdn ${ATL}`), /run the cmdlet with the DisasterMode parameter/);
    h.ok(`Invoke-CsPoolFailOver -PoolFqdn ${ATL} -DisasterMode -Verbose`);
    assert.equal(h.lync.servingPool(ATL), DAL);
    assert.match(h.fails(`Invoke-CsPoolFailOver -PoolFqdn ${ATL} -DisasterMode`), /already failed over/);
    h.ok(`Invoke-CsPoolFailBack -PoolFqdn ${ATL} -Verbose`);
    assert.equal(h.lync.servingPool(ATL), ATL);
    assert.equal(h.lync.fePool(ATL)?.conferenceContentLost, true);
    assert.equal(status(h, DAL), 'NonSteadyState');
    h.ok(`Invoke-CsBackupServiceSync -PoolFqdn ${DAL} -BackupModule ConfServices.DataConf`);
    assert.equal(status(h, DAL), 'NonSteadyState');
    h.clock.advance(60_000);
    assert.equal(status(h, DAL), 'SteadyState');
    assert.equal(h.lync.fePool(ATL)?.conferenceContentLost, false);
  });

  it('a planned failover leaves the failed-over pool in FinalState', () => {
    const h = harness();
    h.ok(`Invoke-CsPoolFailOver -PoolFqdn ${ATL}`);
    assert.equal(status(h, ATL), 'FinalState');
    assert.match(h.fails(`Invoke-CsPoolFailBack -PoolFqdn ${DAL}`), /is not failed over/);
  });

  it('validates -BackupModule values and accepts the later RGS modules', () => {
    const h = harness();
    h.ok(`Invoke-CsBackupServiceSync -PoolFqdn ${DAL} -BackupModule ApplicationServer.RGSDataStore`);
    assert.match(h.fails(`Invoke-CsBackupServiceSync -PoolFqdn ${DAL} -BackupModule DataConf`), /"DataConf" is not a valid backup module/);
    assert.match(h.fails(`Invoke-CsBackupServiceSync -PoolFqdn nope.litwareinc.com`), /Cannot find Front End pool/);
  });

  it('Get-CsPoolBackupRelationship names the paired pool', () => {
    assert.equal(json(harness().ok(`Get-CsPoolBackupRelationship -PoolFqdn ${ATL} | ConvertTo-Json -Compress`)).BackupPoolFqdn, DAL);
  });
});

describe('topology cmdlets', () => {
  it('Get-CsPool lists pools and SQL hosts with Services and Computers', () => {
    const h = harness();
    const pc = json(h.ok(`Get-CsPool -Identity ${PC} | ConvertTo-Json`)) as { Services: string[]; Computers: string[]; Site: string };
    assert.deepEqual(pc.Services, [`PersistentChatServer:${PC}`]);
    assert.equal(pc.Computers.length, 4);
    assert.equal(pc.Site, 'Site:Atlanta');
    assert.match(h.fails(`Get-CsPool -Identity nope.litwareinc.com`), /Cannot find "Cluster" "nope.litwareinc.com"/);
    assert.equal(h.ok(`(Get-CsPool -Site Dallas).Fqdn`), `${DAL}\ndal-sql-001.litwareinc.com`);
  });

  it('Get-CsService -PersistentChatServer returns the Persistent Chat service', () => {
    const h = harness();
    assert.equal(json(h.ok(`Get-CsService -PersistentChatServer | ConvertTo-Json`)).Identity, `PersistentChatServer:${PC}`);
    assert.match(h.fails(`Get-CsService -PersistentChatServer -Registrar`), /Parameter set cannot be resolved/);
  });

  it('Get-CsManagementStoreReplicationStatus names the CMS master, on the surviving pool in pool-loss', () => {
    const h = harness('pool-loss');
    const cms = json(h.ok('Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus | ConvertTo-Json')) as { ActiveMasterFqdn: string; ActiveFileTransferAgents: string[] };
    assert.equal(cms.ActiveMasterFqdn, 'dal-fe-001.litwareinc.com');
    assert.deepEqual(cms.ActiveFileTransferAgents, ['dal-fe-001.litwareinc.com']);
    const replica = json(h.ok('Get-CsManagementStoreReplicationStatus -ReplicaFqdn atl-fe-001.litwareinc.com | ConvertTo-Json')) as { UpToDate: boolean; LastStatusReport: string };
    assert.equal(replica.UpToDate, false);
    assert.equal(replica.LastStatusReport, '/Date(1700000000000)/');
  });

  it('Get-CsTopology -AsXml is a published topology document', () => {
    const xml = harness().ok('Get-CsTopology -AsXml');
    assert.match(xml, /^<\?xml version="1.0" encoding="utf-16"\?>\n<Topology Signature="[0-9a-f-]+" xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">/);
    assert.match(xml, /<Cluster RequiresReplication="true" RequiresSetup="true" Fqdn="atl-gc-001.litwareinc.com">/);
    assert.match(xml, /RoleName="PersistentChatService"/);
  });
});

describe('scenarios and modules', () => {
  it('pchat-dc-loss: the pool is Normal and the primary data center servers are down', () => {
    const h = harness('pchat-dc-loss');
    assert.equal(h.lync.pcPool(PC)?.poolState, 'Normal');
    assert.equal(h.lync.serverUp('atl-pc-001.litwareinc.com'), false);
    assert.equal(h.lync.serverUp('dal-pc-001.litwareinc.com'), true);
  });

  it('Import-Module accepts the Lync and SkypeForBusiness modules only', () => {
    const h = harness();
    assert.equal(h.ok('Import-Module Lync; Import-Module SkypeForBusiness -Force'), '');
    assert.equal(h.ok(`Import-Module 'C:\\Program Files\\Common Files\\Microsoft Lync Server 2013\\Modules\\Lync\\Lync.psd1'`), '');
    assert.match(h.fails('Import-Module ActiveDirectoy'), /The specified module 'ActiveDirectoy' was not loaded because no valid module file was found in any module directory\./);
  });

  it('rejects unknown scenarios', () => {
    assert.throws(() => harness('meteor'), /unknown lab scenario "meteor"/);
  });
});

describe('shell faults', () => {
  it('cmdlet-error fails the next state-changing cmdlet once', () => {
    const h = harness();
    h.faults.armed.add('cmdlet-error');
    h.ok(`Get-CsPersistentChatState`);
    const err = h.fails(`Set-CsPersistentChatState -Identity service:${PC} -PoolState FailedOver`);
    assert.match(err, /^Set-CsPersistentChatState : Command execution failed: /);
    assert.match(err, /FullyQualifiedErrorId : ProcessingFailed,Microsoft\.Rtc\.Management\.PersistentChat\.Cmdlets\.SetPersistentChatStateCmdlet/);
    assert.equal(h.lync.pcPool(PC)?.poolState, 'Normal');
    h.ok(`Set-CsPersistentChatState -Identity service:${PC} -PoolState FailedOver`);
    h.faults.armed.delete('cmdlet-error');
    h.ok(`'cleared'`);
    h.faults.armed.add('cmdlet-error');
    h.fails(`Set-CsPersistentChatState -Identity service:${PC} -PoolState Normal`);
  });

  it('pwsh-hang and pwsh-crash stop the next Lync cmdlet', () => {
    const h = harness();
    h.faults.armed.add('pwsh-hang');
    assert.equal(h.run(`'fine'`).reply.hang, undefined);
    assert.equal(h.run(`Get-CsPool`).reply.hang, true);
    h.faults.armed.add('pwsh-crash');
    const crash = h.run(`Get-CsPool`).reply;
    assert.equal(crash.exit, 255);
  });

  it('backup-sync-error puts DataConf in ErrorState after the sync', () => {
    const h = harness();
    h.faults.armed.add('backup-sync-error');
    h.ok(`Invoke-CsBackupServiceSync -PoolFqdn ${DAL}`);
    h.clock.advance(60_000);
    const out = h.ok(`(Get-CsBackupServiceStatus -PoolFqdn ${DAL}).BackupModules | ForEach-Object { "$($_.Identity)=$($_.ExportStatus)" }`);
    assert.equal(out, 'UserServices.PresenceFocus=SteadyState\nConfServices.DataConf=ErrorState\nCentralMgmt.CMSMaster=NotInitialized');
  });

  it('exit ends the session with its code', () => {
    assert.equal(harness().run('exit 3').reply.exit, 3);
  });
});
