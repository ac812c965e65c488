/**
 * The PowerShell half of the LyncLab module that every generated cmdlet calls: one loopback TCP
 * connection per PowerShell process to the lab's shell server (opened on first use, kept in
 * module scope; port and token from the environment, protocol.ts), one JSON line out per call
 * and one back, turned into typed objects, verbose and warning messages, and error records.
 * Written for Windows PowerShell 5.1 as much as PowerShell 7 (no `??`, `?:`, `&&`, `||`).
 */
import { ENV_PORT, ENV_TOKEN } from './protocol';

export const LYNC_LAB_RUNTIME = String.raw`$script:LyncLabConnection = $null
$script:LyncLabToString = New-Object 'System.Collections.Generic.Dictionary[string,scriptblock]'

function Close-LyncLabConnection {
  if ($null -ne $script:LyncLabConnection) { $script:LyncLabConnection.Client.Close() }
  $script:LyncLabConnection = $null
}

function Get-LyncLabConnection {
  if ($null -ne $script:LyncLabConnection) { return $script:LyncLabConnection }
  $client = New-Object System.Net.Sockets.TcpClient
  $client.NoDelay = $true
  $client.Connect('127.0.0.1', [int]$env:${ENV_PORT})
  $utf8 = New-Object System.Text.UTF8Encoding($false)
  $stream = $client.GetStream()
  $connection = @{
    Client = $client
    Reader = New-Object System.IO.StreamReader($stream, $utf8)
    Writer = New-Object System.IO.StreamWriter($stream, $utf8)
  }
  $connection.Writer.NewLine = "` + '`n' + String.raw`"
  $connection.Writer.AutoFlush = $true
  $connection.Writer.WriteLine((ConvertTo-Json -InputObject @{ token = [string]$env:${ENV_TOKEN} } -Compress))
  $line = $connection.Reader.ReadLine()
  $hello = $null
  if ($null -ne $line) { $hello = ConvertFrom-Json -InputObject $line }
  if ($null -eq $hello -or -not $hello.ok) {
    $client.Close()
    $why = 'it closed the connection'
    if ($null -ne $hello) { $why = [string]$hello.error }
    throw "The rehearsal lab refused this shell ($why). Start the shell from the lab's launch (its port and token)."
  }
  $script:LyncLabConnection = $connection
  return $connection
}

# A value of the lab's reply, with the lab's objects, enums and dates made real again.
function ConvertFrom-LyncLabValue($Value) {
  if ($Value -is [System.Array]) {
    for ($i = 0; $i -lt $Value.Count; $i++) { $Value[$i] = ConvertFrom-LyncLabValue $Value[$i] }
    return ,$Value
  }
  if ($Value -isnot [System.Management.Automation.PSCustomObject]) { return $Value }
  $properties = $Value.PSObject.Properties
  if ($null -ne $properties['__enum']) { return [System.Enum]::Parse($script:LyncLabEnums[$Value.__enum], [string]$Value.value) }
  if ($null -ne $properties['__date']) { return (New-Object System.DateTime(1970, 1, 1, 0, 0, 0, [System.DateTimeKind]::Utc)).AddMilliseconds($Value.__date) }
  $typeName = $Value.__type
  $text = $Value.__string
  $properties.Remove('__type')
  $properties.Remove('__string')
  foreach ($p in @($properties)) { $p.Value = ConvertFrom-LyncLabValue $p.Value }
  if ($null -ne $typeName) { $Value.PSObject.TypeNames.Insert(0, $typeName) }
  if ($null -ne $text) {
    # ToString() is the object's text (what ConvertTo-Json prints below its -Depth). One script
    # block per distinct text, made once: building one per object would double a call's time.
    $method = $null
    if (-not $script:LyncLabToString.TryGetValue($text, [ref]$method)) {
      $method = [scriptblock]::Create("'" + $text.Replace("'", "''") + "'")
      $script:LyncLabToString[$text] = $method
    }
    $Value.PSObject.Members.Add((New-Object System.Management.Automation.PSScriptMethod('ToString', $method)))
  }
  return $Value
}

# A bound parameter as the lab reads it: switches as booleans, enums by name, time spans as text.
function ConvertTo-LyncLabArgument($Value) {
  if ($Value -is [System.Management.Automation.SwitchParameter]) { return $Value.IsPresent }
  if ($Value -is [System.Enum] -or $Value -is [System.TimeSpan]) { return $Value.ToString() }
  return $Value
}

function Invoke-LyncLabCmdlet {
  param($Cmdlet, [string]$Name, $Bound, [bool]$ShouldProcess, [string]$TargetParameter)
  if ($ShouldProcess) {
    $target = 'Global'
    if ($TargetParameter -and $Bound.ContainsKey($TargetParameter)) { $target = [string]$Bound[$TargetParameter] }
    # A prompt PowerShell cannot show (-NonInteractive) ends the cmdlet, as it does a compiled one;
    # from a function it would otherwise be a statement error and the call would go on.
    try { $go = $Cmdlet.ShouldProcess($target, $Name) }
    catch {
      $cause = $_.Exception
      if ($null -ne $cause.InnerException) { $cause = $cause.InnerException }
      $Cmdlet.ThrowTerminatingError((New-Object System.Management.Automation.ErrorRecord($cause, 'ConfirmationPromptFailed', [System.Management.Automation.ErrorCategory]::InvalidOperation, $target)))
    }
    if (-not $go) { return }
  }
  $arguments = @{}
  foreach ($key in @($Bound.Keys)) {
    if ($script:LyncLabCommonParameters -notcontains $key) { $arguments[$key] = ConvertTo-LyncLabArgument $Bound[$key] }
  }
  $request = ConvertTo-Json -InputObject @{ cmdlet = $Name; set = $Cmdlet.ParameterSetName; params = $arguments } -Compress -Depth 6
  $connection = Get-LyncLabConnection
  $connection.Writer.WriteLine($request)
  $line = $connection.Reader.ReadLine()
  if ($null -eq $line) {
    Close-LyncLabConnection
    throw "The rehearsal lab closed the connection during $Name; the cmdlet may or may not have run. Check that the lab is still running."
  }
  $reply = ConvertFrom-Json -InputObject $line
  if ($null -ne $reply.exit) {
    [Console]::Error.WriteLine([string]$reply.exit.message)
    [System.Environment]::Exit([int]$reply.exit.code)
  }
  foreach ($message in @($reply.verbose)) { $Cmdlet.WriteVerbose($message) }
  foreach ($message in @($reply.warnings)) { $Cmdlet.WriteWarning($message) }
  foreach ($item in @($reply.objects)) { $Cmdlet.WriteObject((ConvertFrom-LyncLabValue $item)) }
  foreach ($e in @($reply.errors)) {
    $type = [string]$e.exception -as [type]
    if ($null -eq $type) { $type = [System.InvalidOperationException] }
    $exception = New-Object -TypeName $type.FullName -ArgumentList ([string]$e.message)
    $record = New-Object System.Management.Automation.ErrorRecord($exception, [string]$e.errorId, [System.Management.Automation.ErrorCategory]$e.category, $e.target)
    $Cmdlet.ThrowTerminatingError($record)
  }
}`;
