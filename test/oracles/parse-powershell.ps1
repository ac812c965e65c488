# Test oracle: PowerShell's own parser judges PowerShell text.
# Reads a JSON array of texts on stdin; writes a JSON array with, for each text, the parse errors
# ([System.Management.Automation.Language.Parser]::ParseInput) with their UTF-16 offsets, and the
# commands it found (name, whether `&` or `.` invokes it, the parameter names as written) so a
# caller can compare bindings.
$ErrorActionPreference = 'Stop'
# Runs unchanged on Windows PowerShell 5.1 (the lab's shell on Windows): no 7-only syntax or switches.
$texts = [Console]::In.ReadToEnd() | ConvertFrom-Json
$results = foreach ($text in $texts) {
  $tokens = $null
  $errors = $null
  $ast = [System.Management.Automation.Language.Parser]::ParseInput([string]$text, [ref]$tokens, [ref]$errors)
  $commands = foreach ($c in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
    [ordered]@{
      name = $c.GetCommandName()
      invoked = $c.InvocationOperator -ne [System.Management.Automation.Language.TokenKind]::Unknown
      start = $c.Extent.StartOffset
      parameters = @($c.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] } | ForEach-Object { $_.ParameterName })
    }
  }
  [ordered]@{
    errors = @($errors | ForEach-Object { [ordered]@{ id = $_.ErrorId; message = $_.Message; start = $_.Extent.StartOffset; end = $_.Extent.EndOffset } })
    commands = @($commands)
  }
}
ConvertTo-Json -InputObject @($results) -Depth 6 -Compress
