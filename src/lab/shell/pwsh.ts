/**
 * Where the lab finds the real PowerShell it runs its Lync Management Shell in: `LYNC_PWSH`,
 * then `pwsh` on PATH, then the .NET global tools folder (where scripts/install-powershell.sh
 * puts it). On Windows the lab uses Windows PowerShell 5.1 (`powershell.exe`), the shell the
 * Lync module itself needs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PWSH_INSTALL_HINT = 'bash scripts/install-powershell.sh';

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The PowerShell executable for the lab, or undefined when none is installed. */
export function findPowerShell(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (process.platform === 'win32') return env.LYNC_PWSH || 'powershell.exe';
  if (env.LYNC_PWSH) return isExecutable(env.LYNC_PWSH) ? env.LYNC_PWSH : undefined;
  const onPath = (env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'pwsh'))
    .find(isExecutable);
  if (onPath) return onPath;
  const tool = path.join(os.homedir(), '.dotnet', 'tools', 'pwsh');
  return isExecutable(tool) ? tool : undefined;
}

/** Like findPowerShell, but throws an error that says how to install it. */
export function requirePowerShell(env: NodeJS.ProcessEnv = process.env): string {
  const found = findPowerShell(env);
  if (found) return found;
  throw new Error(`The rehearsal lab needs PowerShell 7 (pwsh) and none was found (LYNC_PWSH, PATH, ~/.dotnet/tools). Install it: ${PWSH_INSTALL_HINT}`);
}
