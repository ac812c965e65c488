#!/usr/bin/env bash
# Installs PowerShell 7 (pwsh), which the rehearsal lab's Lync Management Shell and the parser
# checks under test/oracles run on, when no pwsh is found. Idempotent: when a pwsh of the wanted
# major version is on PATH or in the .NET tools folder it changes nothing.
#
# Here it is the NuGet global tool `PowerShell` (`dotnet tool install --global`); pass the
# version: NuGet's newest does not install on every machine. Elsewhere use Microsoft's packages
# (README, "Requirements"): PowerShell 7 for Linux or macOS, or Windows PowerShell 5.1, which
# the lab uses on Windows.
#
#   LYNC_PWSH_VERSION   default 7.6.10
#   LYNC_PWSH           a pwsh to use instead (nothing is installed)
#
# Result: pwsh on PATH or at $HOME/.dotnet/tools/pwsh. src/lab/shell/pwsh.ts finds it the same way.
set -euo pipefail

version="${LYNC_PWSH_VERSION:-7.6.10}"
tools="$HOME/.dotnet/tools"
log() { echo "[install-powershell] $*"; }

found() {
  local candidate
  for candidate in "${LYNC_PWSH:-}" "$(command -v pwsh || true)" "$tools/pwsh"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    local v
    v="$("$candidate" -NoLogo -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null || true)"
    if [ "${v%%.*}" = "${version%%.*}" ]; then
      log "PowerShell $v: $candidate"
      return 0
    fi
  done
  return 1
}

found && exit 0
if ! command -v dotnet >/dev/null; then
  echo "[install-powershell] no pwsh and no dotnet: install PowerShell $version (Microsoft's packages) or the .NET SDK, then run this again" >&2
  exit 1
fi
log "installing PowerShell $version as a .NET global tool"
# `update` installs when absent and moves another version to this one.
dotnet tool update --global PowerShell --version "$version" >/dev/null
found || { echo "[install-powershell] installed, but $tools/pwsh does not run" >&2; exit 1; }
