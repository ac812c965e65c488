/**
 * The lines a session runs when its shell starts, before any command: UTF-8 output, then the
 * Lync module or a remote session to a Front End. Built from validated, single-quoted values
 * (psString); each is one line, as every invocation is.
 */
import { psString } from '../../core/commands/powershell';

/** Always first: Windows PowerShell 5.1 otherwise writes in the console's OEM code page. */
export const UTF8_OUTPUT = '[Console]::OutputEncoding = [Text.Encoding]::UTF8';

/** `Import-Module '<name>'`: the Lync Server Management Shell module is `Lync` (`SkypeForBusiness` on SfB 2015). */
export function importModule(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`not a module name: ${JSON.stringify(name)}`);
  return `Import-Module ${psString(name)} -ErrorAction Stop`;
}

/**
 * A remote session to a Front End's management endpoint (Kerberos/NTLM as the signed-in user),
 * its cmdlets imported into this shell. `connectionUri` is e.g. `https://fe01.contoso.com/OcsPowershell`.
 */
export function remoteSession(connectionUri: string): string {
  let url: URL;
  try {
    url = new URL(connectionUri);
  } catch {
    throw new Error(`not a connection URI: ${JSON.stringify(connectionUri)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`the connection URI must be http(s): ${JSON.stringify(connectionUri)}`);
  if (url.username || url.password) throw new Error('the connection URI must not carry credentials');
  return (
    `$lrSession = New-PSSession -ConnectionUri ${psString(url.href)} -Authentication Negotiate -ErrorAction Stop; ` +
    'Import-PSSession $lrSession -AllowClobber -ErrorAction Stop | Out-Null'
  );
}
