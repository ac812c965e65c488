/**
 * Reads an error as Windows PowerShell 5.1 writes it to stderr:
 *
 *   Get-CsPool : Cannot bind parameter 'Identity'. …
 *   At line:1 char:1
 *   + Get-CsPool -Identity …
 *   + ~~~~~~~~~~~~~~~~~~~~~~~~
 *       + CategoryInfo          : InvalidArgument: (:) [Get-CsPool], ParameterBindingException
 *       + FullyQualifiedErrorId : CannotConvertArgument,Microsoft.Rtc.Management.…
 *
 * The message (first lines, up to the position block) and the two info lines are what an admin
 * needs; the echo of the command is not.
 */

export interface PowerShellErrorText {
  readonly message: string;
  readonly category?: string;
  readonly errorId?: string;
}

const INFO = /^\s*\+\s*(CategoryInfo|FullyQualifiedErrorId)\s*:\s*(.*)$/;
const POSITION = /^(At line:\d+|At [^\n]*:\d+ char:\d+|\+ )/;

export function parsePowerShellError(stderr: string): PowerShellErrorText {
  const lines = stderr.split(/\r?\n/).map((l) => l.trimEnd());
  const messageLines: string[] = [];
  let category: string | undefined;
  let errorId: string | undefined;
  let inMessage = true;
  for (const line of lines) {
    const info = INFO.exec(line);
    if (info) {
      inMessage = false;
      if (info[1] === 'CategoryInfo') category ??= info[2]!.trim();
      else errorId ??= info[2]!.trim();
      continue;
    }
    if (POSITION.test(line.trimStart())) inMessage = false;
    if (inMessage && line.trim() !== '') messageLines.push(line.trim());
    else if (inMessage && messageLines.length > 0) inMessage = false;
  }
  const message = messageLines.join(' ') || stderr.trim() || 'PowerShell reported an error without a message.';
  return { message, ...(category ? { category } : {}), ...(errorId ? { errorId } : {}) };
}

/** `<message> (<CategoryInfo>)`: what ShellError says. */
export function describePowerShellError(parsed: PowerShellErrorText): string {
  return parsed.category ? `${parsed.message} (${parsed.category})` : parsed.message;
}
