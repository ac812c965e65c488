import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLine, ParseError } from '../../../src/lab/shell/parser';
import { positionMessage } from '../../../src/lab/shell/errors';
import { harness } from './shell-session';

const PC = 'service:atl-gc-001.litwareinc.com';

describe('stand-in parser', () => {
  it('splits a line into statements, pipelines and arguments', () => {
    const [a, b] = parseLine(`Get-CsPool -Identity 'x' | ConvertTo-Json -Compress; 'OK-1'`);
    assert.equal(a.kind, 'pipeline');
    assert.equal(b.kind, 'pipeline');
    if (a.kind !== 'pipeline') return;
    assert.deepEqual(a.elements.map((e) => (e.kind === 'command' ? e.name : 'expr')), ['Get-CsPool', 'ConvertTo-Json']);
  });

  it('treats en dash, em dash and horizontal bar as parameter dashes', () => {
    for (const dash of ['\u2013', '\u2014', '\u2015']) {
      const [st] = parseLine(`Set-CsPersistentChatState ${dash}PoolState FailedOver`);
      assert.ok(st.kind === 'pipeline' && st.elements[0].kind === 'command');
      const el = st.elements[0];
      assert.ok(el.kind === 'command' && el.args[0].kind === 'param' && el.args[0].name === 'PoolState');
    }
  });

  it('reports an unterminated string with the parser error id', () => {
    assert.throws(() => parseLine(`Get-CsPool 'abc`), (e: unknown) => e instanceof ParseError && e.errorId === 'TerminatorExpectedAtEndOfString');
  });

  it('truncates long lines in position messages as Windows PowerShell 5.1 does', () => {
    const line = `Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com" -PoolState Failover`;
    const at = line.indexOf('Failover');
    assert.deepEqual(positionMessage(line, { start: at, end: at + 8 }), [
      `At line:1 char:${at + 1}`,
      '+ ... ate -Identity "service:atl-gc-001.litwareinc.com" -PoolState Failover',
      '+                                                                  ~~~~~~~~',
    ]);
  });
});

describe('stand-in binder', () => {
  it('binds case-insensitive names, unique prefixes and en dashes', () => {
    const h = harness();
    h.ok(`set-cspersistentchatstate -iDENTITY ${PC} \u2013PoolSt FailedOver`);
    assert.equal(h.lync.pcPool('atl-gc-001.litwareinc.com')?.poolState, 'FailedOver');
  });

  it('binds Identity by position', () => {
    const h = harness();
    h.ok(`Set-CsPersistentChatState "PersistentChatServer:atl-gc-001.litwareinc.com" -PoolState FailedOver`);
    assert.equal(h.lync.pcPool('atl-gc-001.litwareinc.com')?.poolState, 'FailedOver');
  });

  it('refuses an unknown parameter with 5.1 text', () => {
    const line = `Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn dal-pcbak-001.litwareinc.com -SqlInstanceName pchat -FileShare \\\\fs\\m -DropExisitingDatabasesOnMirror`;
    const err = harness().fails(line);
    const lines = err.split('\n');
    assert.equal(lines[0], `Install-CsMirrorDatabase : A parameter cannot be found that matches parameter name 'DropExisitingDatabasesOnMirror'.`);
    assert.match(lines[1], /^At line:1 char:\d+$/);
    assert.equal(lines[4], '    + CategoryInfo          : InvalidArgument: (:) [Install-CsMirrorDatabase], ParameterBindingException');
    assert.equal(lines[5], '    + FullyQualifiedErrorId : NamedParameterNotFound,Microsoft.Rtc.Management.Deployment.InstallMirrorDatabaseCmdlet');
  });

  it('reports an ambiguous abbreviation with the possible matches', () => {
    const err = harness().fails(`Invoke-CsPoolFailOver -P atl-cs-001.litwareinc.com`);
    assert.match(err, /^Invoke-CsPoolFailOver : Parameter cannot be processed because the parameter name 'P' is ambiguous\. Possible matches include: -PoolFqdn -PipelineVariable\./);
    assert.match(err, /FullyQualifiedErrorId : AmbiguousParameter,/);
  });

  it('validates enums with the enumerator list', () => {
    const err = harness().fails(`Set-CsPersistentChatState -Identity "${PC}" -PoolState Failover`);
    assert.ok(
      err.startsWith(
        `Set-CsPersistentChatState : Cannot bind parameter 'PoolState'. Cannot convert value "Failover" to type "Microsoft.Rtc.Management.WritableConfig.Settings.PersistentChat.PoolState". Error: "Unable to match the identifier name Failover to a valid enumerator name. Specify one of the following enumerator names and try again: Normal, FailedOver"`,
      ),
    );
    assert.match(err, /CannotConvertArgumentNoMessage/);
  });

  it('accepts enum names in any case and quoted', () => {
    const h = harness();
    h.ok(`Set-CsPersistentChatState -Identity '${PC}' -PoolState 'failedover'`);
    assert.equal(h.lync.pcPool('atl-gc-001.litwareinc.com')?.poolState, 'FailedOver');
  });

  it('reports missing mandatory parameters', () => {
    const err = harness().fails('Get-CsDatabaseMirrorState');
    assert.match(err, /^Get-CsDatabaseMirrorState : Cannot process command because of one or more missing mandatory parameters: PoolFqdn\./);
    assert.match(err, /MissingMandatoryParameter/);
  });

  it('reports a parameter without its argument', () => {
    const err = harness().fails(`Set-CsPersistentChatState -Identity ${PC} -PoolState`);
    assert.match(err, /Missing an argument for parameter 'PoolState'\. Specify a parameter of type 'Microsoft\.Rtc\.Management\.WritableConfig\.Settings\.PersistentChat\.PoolState' and try again\./);
  });

  it('refuses parameters of two parameter sets', () => {
    const err = harness().fails(`Set-CsPersistentChatActiveServer -Identity global -ActiveServers $null -Swap`);
    assert.match(err, /Parameter set cannot be resolved using the specified named parameters\./);
    const both = harness().fails(`Install-CsMirrorDatabase -ConfiguredDatabases -DatabaseType PersistentChat -SqlServerFqdn a.b.c -FileShare x`);
    assert.match(both, /AmbiguousParameterSet/);
  });

  it('picks the parameter set from the switch given', () => {
    const h = harness();
    h.ok(`Set-CsPersistentChatActiveServer -Identity global -Swap`);
    assert.deepEqual(h.lync.pcPool('atl-gc-001.litwareinc.com')?.activeServers, ['dal-pc-001.litwareinc.com', 'dal-pc-002.litwareinc.com']);
    assert.match(harness().fails(`Set-CsPersistentChatActiveServer -Identity global`), /missing mandatory parameters: ActiveServers\./);
  });

  it('refuses a parameter given twice and a stray positional argument', () => {
    assert.match(harness().fails(`Get-CsPool -Identity a -Identity b`), /parameter 'Identity' is specified more than once/);
    assert.match(harness().fails(`Get-CsBackupServiceStatus -PoolFqdn dal-cs-001.litwareinc.com extra`), /A positional parameter cannot be found that accepts argument 'extra'\./);
  });

  it('binds switches, -Switch:$false and common parameters', () => {
    const h = harness();
    const out = h.ok(`Set-CsPersistentChatState -Identity ${PC} -PoolState FailedOver -Confirm:$false -Verbose -ErrorAction Stop`);
    assert.match(out, /^VERBOSE: Setting PoolState/);
    assert.match(harness().fails(`Set-CsPersistentChatState -Identity ${PC} -Force:maybe`), /Boolean parameters accept only Boolean values/);
  });

  it('reads single quotes with doubled quotes, double quotes with backtick escapes and unset variables as $null', () => {
    const h = harness();
    assert.equal(h.ok(`Write-Output 'it''s'`), "it's");
    assert.equal(h.ok('Write-Output "a`tb ""q"" [$undefined]"'), 'a\tb "q" []');
    h.ok(`$pool = 'atl-gc-001.litwareinc.com'`);
    assert.equal(h.ok('Write-Output "service:$pool"'), 'service:atl-gc-001.litwareinc.com');
  });

  it('binds hashtables to PSListModifier parameters', () => {
    const h = harness();
    h.ok(`Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers @{Add="dal-pc-001.litwareinc.com","dal-pc-002.litwareinc.com"}`);
    assert.equal(h.lync.pcPool('atl-gc-001.litwareinc.com')?.activeServers.length, 4);
    h.ok(`Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers @{Remove="atl-pc-001.litwareinc.com"}`);
    h.ok(`Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Replace='dal-pc-001.litwareinc.com'}`);
    assert.deepEqual(h.lync.pcPool('atl-gc-001.litwareinc.com')?.activeServers, ['dal-pc-001.litwareinc.com']);
    assert.match(h.fails(`Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Append='x.y'}`), /Cannot convert the "System.Collections.Hashtable"/);
  });

  it('reports a parser error in 5.1 format', () => {
    const err = harness().fails(`Get-CsPool -Identity 'atl`);
    assert.deepEqual(err.split('\n').slice(0, 5), [
      'At line:1 char:22',
      "+ Get-CsPool -Identity 'atl",
      '+                      ~~~~',
      "The string is missing the terminator: '.",
      '    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException',
    ]);
  });

  it('answers unknown commands with CommandNotFoundException', () => {
    const err = harness().fails('Get-CsPersistentChatActiveServer');
    assert.match(err, /^Get-CsPersistentChatActiveServer : The term 'Get-CsPersistentChatActiveServer' is not recognized as the name of a cmdlet, function, script file, or operable program\./);
    assert.match(err, /\+ CategoryInfo {10}: ObjectNotFound: \(Get-CsPersistentChatActiveServer:String\) \[\], CommandNotFoundException/);
  });

  it('runs later statements after a statement fails', () => {
    const r = harness().run(`Get-Nope; 'after'`);
    assert.match(r.err, /Get-Nope/);
    assert.equal(r.out, 'after');
  });
});
