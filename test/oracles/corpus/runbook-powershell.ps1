# Corpus: real and tricky runbook PowerShell, judged by PowerShell's own parser and by the
# language server (test/oracles/powershell.test.ts). Cases are separated by lines of `# ---`.
# They must get the same verdict from both: a syntax error or none, and for each command the
# same parameter names. A case the two still disagree on carries a line
#   # oracle-disagrees: <reason>
# and the test checks that they do disagree (so a fixed case loses its note).
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com" -PoolState FailedOver

# ---
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com"-PoolState FailedOver

# ---
Set-CsPersistentChatState -Identity 'service:atl-gc-001.litwareinc.com'-PoolState FailedOver

# ---
Set-CsPersistentChatState -Identity "PersistentChatServer:atl-gc-001.litwareinc.com" -PoolState Normal

# ---
Set-CsPersistentChatState -Identity "PersistentChatServer:atl-gc-001.litwareinc.com" –PoolState Normal

# ---
Set-CsPersistentChatState -Identity "PersistentChatServer:atl-gc-001.litwareinc.com" —PoolState FailedOver

# ---
Set-CsPersistentChatState –Identity "service:atl-gc-001.litwareinc.com" –PoolState FailedOver

# ---
Set-CsPersistentChatState -Identity “service:atl-gc-001.litwareinc.com” -PoolState FailedOver

# ---
Set-CsPersistentChatState -Identity “service:atl-gc-001.litwareinc.com”-PoolState FailedOver

# ---
Set-CsPersistentChatState -Identity ‘service:atl-gc-001.litwareinc.com’ -PoolState Normal

# ---
Set-CsPersistentChatState -Identity 'service:atl-gc-001.litwareinc.com’ -PoolState Normal

# ---
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com” -PoolState Normal

# ---
Get-CsPersistentChatState -Identity "PersistentChatServer:atl-gc-001.litwareinc.com"

# ---
Get-CsPersistentChatState -Identity service:atl-gc-001.litwareinc.com | Select-Object Identity, PoolState

# ---
Get-CsPersistentChatState | Format-List *

# ---
(Get-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com").PoolState

# ---
Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers $Null

# ---
Set-CsPersistentChatActiveServer -Identity global -ActiveServers $null

# ---
Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers @{Replace="atl-pc-001.litwareinc.com","atl-pc-002.litwareinc.com"}

# ---
Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers @{Replace="dal-pc-001.litwareinc.com", "dal-pc-002.litwareinc.com"}

# ---
Set-CsPersistentChatActiveServer -Identity 'PChatServerCollection' -ActiveServers @{Add='dal-pc-003.litwareinc.com'}

# ---
Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers @{Remove="atl-pc-002.litwareinc.com"}

# ---
Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers @{Replace=@("atl-pc-001.litwareinc.com","atl-pc-002.litwareinc.com")}

# ---
Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers @{Replace="atl-pc-001.litwareinc.com";Add="atl-pc-002.litwareinc.com"}

# ---
Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers @{
  Replace = "atl-pc-001.litwareinc.com",
            "atl-pc-002.litwareinc.com"
}

# ---
Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn dal-pcbak-001.litwareinc.com -SqlInstanceName pchat -FileShare "\\dal-pcbak-001.litwareinc.com\PChatMirror" -DropExistingDatabasesOnMirror -Verbose

# ---
Install-CsMirrorDatabase -DatabaseType PersistentChatCompliance -SqlServerFqdn dal-pcbak-001.litwareinc.com -SqlInstanceName pchat -FileShare \\dal-pcbak-001.litwareinc.com\PChatMirror -DropExistingDatabasesOnMirror

# ---
Install-CsMirrorDatabase -ConfiguredDatabases -FileShare "\\atl-fs-001.litwareinc.com\mirror" -SqlServerFqdn atl-sql-001.litwareinc.com -Confirm:$false

# ---
Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn dal-pcbak-001.litwareinc.com `
  -SqlInstanceName pchat `
  -FileShare "\\dal-pcbak-001.litwareinc.com\PChatMirror" `
  -DropExistingDatabasesOnMirror

# ---
Install-CsMirrorDatabase -DatabaseType PersistentChat `
  –SqlServerFqdn dal-pcbak-001.litwareinc.com `
  –FileShare "\\dal-pcbak-001.litwareinc.com\PChatMirror"

# ---
Uninstall-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn dal-pcbak-001.litwareinc.com -SqlInstanceName pchat -Verbose

# ---
Uninstall-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn dal-pcbak-001.litwareinc.com -SqlInstanceName pchat -DropExistingDatabasesOnMirror -Confirm:$false

# ---
Get-CsDatabaseMirrorState -PoolFqdn atl-gc-001.litwareinc.com -DatabaseType PersistentChat

# ---
Get-CsDatabaseMirrorState -PoolFqdn atl-gc-001.litwareinc.com | Format-Table DatabaseName, StateOnPrimary, StateOnMirror -AutoSize

# ---
Invoke-CsDatabaseFailover -PoolFqdn atl-cs-001.litwareinc.com -DatabaseType User -NewPrincipal Mirror -Verbose

# ---
Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com -DisasterMode -Verbose

# ---
Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com –DisasterMode –Verbose

# ---
Invoke-CsPoolFailback -PoolFqdn atl-cs-001.litwareinc.com -Verbose

# ---
Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com -BackupModule ConfServices.DataConf

# ---
Invoke-CsBackupServiceSync -PoolFqdn "dal-cs-001.litwareinc.com" -BackupModule "ConfServices.DataConf"

# ---
$status = Get-CsBackupServiceStatus -PoolFqdn dal-cs-001.litwareinc.com
$status.BackupModules | Where-Object { $_.Identity -eq "ConfServices.DataConf" }

# ---
Get-CsBackupServiceStatus -PoolFqdn dal-cs-001.litwareinc.com | Select-Object -ExpandProperty BackupModules | Select-Object @{n='Identity';e={[string]$_.Identity}}, @{n='ExportStatus';e={[string]$_.ExportStatus}}

# ---
Get-CsBackupServiceStatus -PoolFqdn dal-cs-001.litwareinc.com -Category UserData

# ---
Get-CsPoolBackupRelationship -PoolFqdn atl-cs-001.litwareinc.com

# ---
Get-CsPool -Identity atl-cs-001.litwareinc.com | Select-Object Identity, Services, Computers

# ---
Get-CsPool | Where-Object { $_.Services -like "*PersistentChatServer*" } | Select-Object -ExpandProperty Identity

# ---
Get-CsService -PersistentChatServer | Select-Object Identity, ActiveServers

# ---
Get-CsService -Registrar -PoolFqdn atl-cs-001.litwareinc.com

# ---
Get-CsManagementStoreReplicationStatus | Where-Object { -not $_.UpToDate }

# ---
Invoke-CsManagementServerFailover -BackupSqlServerFqdn dal-sql-001.litwareinc.com -BackupSqlInstanceName rtc -Force

# ---
Start-CsWindowsService -Name RTCSRV -ComputerName atl-fe-001.litwareinc.com

# ---
Start-CsPool -PoolFqdn atl-cs-001.litwareinc.com -Confirm:$false

# ---
Stop-CsWindowsService -ComputerName dal-pc-001.litwareinc.com -Name RTCCHAT

# ---
$pool = "atl-gc-001.litwareinc.com"
Set-CsPersistentChatState -Identity "service:$pool" -PoolState FailedOver

# ---
$pool = "atl-gc-001.litwareinc.com"
Set-CsPersistentChatState -Identity "PersistentChatServer:$($pool)" -PoolState FailedOver

# ---
$params = @{
  Identity  = "PersistentChatServer:atl-gc-001.litwareinc.com"
  PoolState = "FailedOver"
}
Set-CsPersistentChatState @params -Verbose

# ---
$mirror = @{ DatabaseType = "PersistentChat"; SqlServerFqdn = "dal-pcbak-001.litwareinc.com"; SqlInstanceName = "pchat" }
Install-CsMirrorDatabase @mirror -FileShare "\\dal-pcbak-001.litwareinc.com\PChatMirror" -DropExistingDatabasesOnMirror

# ---
$servers = "dal-pc-001.litwareinc.com", "dal-pc-002.litwareinc.com"
Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Replace=$servers}

# ---
$note = @"
Failover of atl-gc-001 started at $(Get-Date -Format o).
The "mgc" database is on dal-pcbak-001.
"@
Write-Host $note

# ---
$query = @'
SELECT name, state_desc FROM sys.databases WHERE name = N'mgc'
'@
Invoke-Sqlcmd -ServerInstance "dal-pcbak-001.litwareinc.com\pchat" -Query $query

# ---
$note = @"
unterminated here-string
Write-Host $note

# ---
$note = @"text on the opening line
"@

# ---
foreach ($server in @("dal-pc-001.litwareinc.com", "dal-pc-002.litwareinc.com")) {
  Start-CsWindowsService -Name RTCCHAT -ComputerName $server
}

# ---
1..30 | ForEach-Object {
  $state = (Get-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com").PoolState
  if ($state -eq "FailedOver") { break }
  Start-Sleep -Seconds 10
}

# ---
if ((Get-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com").PoolState -ne "Normal") {
  Write-Warning "The pool is not Normal yet"
} else {
  Write-Host "OK"
}

# ---
try {
  Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com -DisasterMode -ErrorAction Stop
} catch {
  Write-Error "Failover failed: $($_.Exception.Message)"
  throw
}

# ---
$ErrorActionPreference = "Stop"
$VerbosePreference = 'Continue'

# ---
Import-Module "C:\Program Files\Common Files\Microsoft Lync Server 2013\Modules\Lync\Lync.psd1"

# ---
Import-Module Lync; Get-CsPool

# ---
Get-CsPool -Identity atl-cs-001.litwareinc.com; Get-CsPoolBackupRelationship -PoolFqdn atl-cs-001.litwareinc.com

# ---
& "C:\Program Files\Microsoft SQL Server\110\Tools\Binn\SQLCMD.EXE" -S "dal-pcbak-001\pchat" -E -Q "SELECT 1"

# ---
sqlcmd -S dal-pcbak-001.litwareinc.com\pchat -E -Q "RESTORE DATABASE mgc WITH RECOVERY"

# ---
Copy-Item -Path "\\atl-fs-001.litwareinc.com\pchat-logs\*.trn" -Destination "D:\LogShipping\mgc\" -Verbose

# ---
robocopy \\atl-fs-001.litwareinc.com\pchat-logs D:\LogShipping\mgc *.trn /XO /R:2 /W:5

# ---
Get-ChildItem -Path D:\LogShipping\mgc -Filter *.trn | Sort-Object LastWriteTime | Select-Object -Last 5 Name, Length

# ---
Get-ChildItem D:\LogShipping\mgc\*.trn | Measure-Object -Property Length -Sum

# ---
Test-Path "\\atl-fs-001.litwareinc.com\pchat-logs"

# ---
Test-NetConnection -ComputerName atl-pcsql-001.litwareinc.com -Port 1433

# ---
Get-CsPool | Select-Object Identity, Site | Sort-Object Site

# ---
Get-CsPool | Select-Object Identity,Site,Services

# ---
Get-CsUser -Identity "sip:kenmyer@litwareinc.com" | Select-Object SipAddress, RegistrarPool

# ---
Get-CsUser -Filter {RegistrarPool -eq "atl-cs-001.litwareinc.com"} | Measure-Object

# ---
Move-CsUser -Identity "Ken Myer" -Target dal-cs-001.litwareinc.com -Force -Confirm:$false

# ---
Get-CsUser | Where-Object RegistrarPool -eq "atl-cs-001.litwareinc.com" | Move-CsUser -Target dal-cs-001.litwareinc.com -Force

# ---
[string]$pool = "atl-gc-001.litwareinc.com"; [int]$tries = 3

# ---
$result = Get-CsDatabaseMirrorState -PoolFqdn atl-gc-001.litwareinc.com
$result | ConvertTo-Json -Depth 3 | Out-File -FilePath C:\Temp\mirror.json -Encoding utf8

# ---
Get-CsPersistentChatState | ConvertTo-Json -Compress

# ---
Write-Host ("PoolState: {0}" -f (Get-CsPersistentChatState).PoolState)

# ---
Write-Host "PoolState: $((Get-CsPersistentChatState).PoolState)"

# ---
Write-Host 'It''s done'

# ---
Write-Host "Say ""hello"""

# ---
Write-Host "Tab`there and a backtick `` and a dollar `$x"

# ---
Write-Host “Smart quotes all around”

# ---
Write-Host ‘Smart single quotes’

# ---
Write-Host “Mixed closing"

# ---
Write-Host 'It’’s done'

# ---
$x = 5 – 3
Write-Host $x

# ---
if ($a –eq 1) { "one" }

# ---
# Step 5 of the failover: switch the pool to its backup databases.
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com" -PoolState FailedOver  # from the Microsoft page

# ---
<# Block comment
   spanning lines: Set-CsPersistentChatState -PoolState Normal #>
Get-CsPersistentChatState

# ---
<# unterminated block comment
Get-CsPersistentChatState

# ---
Get-CsPool -Identity atl-cs-001.litwareinc.com <# inline #> | Select-Object Identity

# ---
Get-CsPool # trailing comment with "quotes and 'apostrophes

# ---
Get-CsPool -Identity "atl-cs-001.litwareinc.com

# ---
Get-CsPool -Identity 'atl-cs-001.litwareinc.com

# ---
Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers @{Replace="atl-pc-001.litwareinc.com"

# ---
Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers @{Replace=}

# ---
if ($true) { Get-CsPool

# ---
Get-CsPool | 

# ---
Get-CsPool -Identity (Get-Item

# ---
foreach ($s in $servers) Start-CsWindowsService -ComputerName $s

# ---
$x = 

# ---
Get-CsPool -Identity atl-cs-001.litwareinc.com `

# ---
Write-Host "a" "b" )

# ---
function Test-Pool { param([string]$Pool) Get-CsPool -Identity $Pool

# ---
$h = @{ a = 1; b = }

# ---
Get-CsPool -Identity "atl-cs-001.litwareinc.com"}

# ---
[int]$x = 1
[

# ---
Write-Host "$(Get-Date"

# ---
Get-CsPool -Identity @(

# ---
&& Get-CsPool

# ---
function Wait-PoolState {
  param(
    [Parameter(Mandatory)] [string] $Identity,
    [ValidateSet("Normal", "FailedOver")] [string] $State = "FailedOver"
  )
  do {
    Start-Sleep -Seconds 5
    $current = (Get-CsPersistentChatState -Identity $Identity).PoolState
  } until ($current -eq $State)
}
Wait-PoolState -Identity "service:atl-gc-001.litwareinc.com" -State FailedOver

# ---
$servers = Get-CsService -PersistentChatServer | Where-Object { $_.SiteId -eq "site:Dallas" } | ForEach-Object { $_.PoolFqdn }
Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Replace=$servers}

# ---
Get-CsPool | ? { $_.Identity -match "^atl" } | % { $_.Computers }

# ---
Get-CsPool | Where Identity -Like "atl*"

# ---
$pools = @(Get-CsPool)
$pools.Count

# ---
$s = [PSCustomObject]@{ Pool = "atl-gc-001.litwareinc.com"; State = "FailedOver" }
$s | Format-Table -AutoSize

# ---
[System.Net.Dns]::GetHostEntry("atl-pcsql-001.litwareinc.com").AddressList

# ---
$session = New-PSSession -ComputerName atl-fe-001.litwareinc.com -Authentication Negotiate
Import-PSSession $session -AllowClobber | Out-Null

# ---
Invoke-Command -ComputerName dal-pc-001.litwareinc.com -ScriptBlock { Get-Service RTCCHAT }

# ---
Invoke-Command -ComputerName dal-pc-001.litwareinc.com -ScriptBlock {
  param($Name)
  Get-Service -Name $Name
} -ArgumentList RTCCHAT

# ---
Get-Service RTC* -ComputerName atl-fe-001.litwareinc.com | Where-Object Status -ne Running | Start-Service

# ---
Get-Service -Name "RTCSRV", "RTCCHAT" | Select-Object Name, Status

# ---
Get-EventLog -LogName "Lync Server" -Newest 20 -EntryType Error,Warning

# ---
Get-WinEvent -FilterHashtable @{LogName="Lync Server"; Level=2; StartTime=(Get-Date).AddHours(-1)}

# ---
$cred = Get-Credential -UserName "LITWARE\admin" -Message "SQL admin"

# ---
Start-Process -FilePath "sqlcmd.exe" -ArgumentList "-S", "dal-pcbak-001\pchat", "-E", "-Q", "SELECT @@SERVERNAME" -Wait -NoNewWindow

# ---
$env:PATH += ";C:\Program Files\Microsoft SQL Server\110\Tools\Binn"

# ---
${pool name} = "atl-gc-001.litwareinc.com"
Write-Host ${pool name}

# ---
$a = 1; $b = 2; $a + $b

# ---
$list = 1, 2, 3
$list -contains 2

# ---
$x = $null -eq $result

# ---
Write-Output (1 + 2) (3 + 4)

# ---
Get-CsPool -Identity:atl-cs-001.litwareinc.com

# ---
Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com -DisasterMode:$true

# ---
Set-CsBackupServiceConfiguration -Identity global -SyncInterval 00:02:00

# ---
Set-CsBackupServiceConfiguration -Identity "global" -SyncInterval (New-TimeSpan -Minutes 2)

# ---
Get-CsBackupServiceConfiguration | Select-Object SyncInterval

# ---
Get-Date -Format "yyyy-MM-dd HH:mm:ss"

# ---
"{0:N0} MB" -f ((Get-Item D:\LogShipping\mgc\mgc.bak).Length / 1MB)

# ---
Get-CsPool -Identity atl-cs-001.litwareinc.com -ErrorAction SilentlyContinue -ErrorVariable err
if ($err) { "not found" }

# ---
Get-CsPool 2>&1 | Out-Null

# ---
Get-CsPool > C:\Temp\pools.txt

# ---
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com" -PoolState FailedOver -WhatIf

# ---
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com" -PoolState:FailedOver

# ---
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com" -PoolState "FailedOver"

# ---
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com" -PoolState 'FailedOver'

# ---
Set-CsPersistentChatState "service:atl-gc-001.litwareinc.com" -PoolState FailedOver

# ---
Set-CsPersistentChatState -Identity("service:atl-gc-001.litwareinc.com") -PoolState FailedOver

# ---
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com"  `
                          -PoolState FailedOver

# ---
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com" - PoolState FailedOver

# ---
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com" --PoolState FailedOver

# ---
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com" -PoolState FailedOver;

# ---
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com" -PoolState FailedOver ;; Get-CsPool

# ---
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com"-PoolState FailedOver -Confirm:$false

# ---
Set-CsPersistentChatState -Identity service:atl-gc-001.litwareinc.com-PoolState FailedOver

# ---
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com"–PoolState FailedOver

# ---
Set-CsPersistentChatState -Identity $pool-PoolState FailedOver

# ---
Set-CsPersistentChatState -Identity ("service:" + $pool) -PoolState FailedOver

# ---
Set-CsPersistentChatState -Identity "service:$pool"-PoolState FailedOver

# ---
Get-CsPersistentChatState -Identity @"
service:atl-gc-001.litwareinc.com
"@
# ---
# A block of comments only (an empty step the runbook snippet inserts)
# ---

# ---
Invoke-CsBackupServiceSync -PoolFqdn <Pool2 FQDN> -BackupModule ConfServices.DataConf
# ---
Get-Item D:\LogShipping\mgc\mgc<1>.trn
# ---
$limit = 512MB
if ((Get-Item D:\LogShipping\mgc\mgc.bak).Length -gt 2GB) { "large" }
# ---
$pool = "atl-gc-001.litwareinc.com"
Set-CsPersistentChatState -Identity ${pool}-PoolState FailedOver
# ---
Set-CsPersistentChatState -Identity $pools[0]-PoolState FailedOver
# ---
Set-CsPersistentChatState -Identity (Get-CsPersistentChatState).Identity-PoolState FailedOver
# ---
Set-CsPersistentChatState -Identity “service:atl-gc-001.litwareinc.com”–PoolState FailedOver
# ---
Set-CsPersistentChatActiveServer -Identity “global” -ActiveServers @{Replace=“dal-pc-001.litwareinc.com”,“dal-pc-002.litwareinc.com”}
# ---
foreach ($i in 1..3) { Get-CsPool }
# ---
2..4 | ForEach-Object { "attempt $_" }
