/** The Lync Management Shell adapter: `ShellSession` over node-powershell. */
export { PowerShellSession, type PowerShellSessionOptions, defaultExecutable, DEFAULT_INVOCATION_TIMEOUT_MS } from './session';
export { importModule, remoteSession, UTF8_OUTPUT } from './prelude';
export { passwordsIn, passwordVariable, SQL_PASSWORD_VARIABLE } from './environment';
