/**
 * Runbook commands that leave the same state however often they are sent, so an interrupted one
 * may be sent again without knowing whether the first took effect (engine: resume only on proof).
 * Kept to exact literal forms; anything else — variables, subexpressions, other parameters, more
 * than one statement — is not repeatable and is put to the operator instead.
 *
 * `Set-CsPersistentChatActiveServer` with an explicit list or `@{Replace=…}` makes the active
 * servers exactly the listed ones (cmdlet reference,
 * https://learn.microsoft.com/en-us/powershell/module/skype/set-cspersistentchatactiveserver).
 * `-Swap` toggles, so it is not repeatable; `@{Add=…}`/`@{Remove=…}` are left out as an
 * assumption (what a repeat does when the server is already in or out is not documented).
 */

/** A quoted literal with nothing PowerShell would expand (no `$`, no backtick escapes). */
const LITERAL = String.raw`(?:"[^"$\x60\r\n]*"|'[^'\r\n]*')`;
const LIST = String.raw`${LITERAL}(?:[ \t]*,[ \t]*${LITERAL})*`;
// Blanks only between the parts: a newline would end the statement in PowerShell.
const ACTIVE_SERVERS = new RegExp(
  String.raw`^[ \t]*Set-CsPersistentChatActiveServer[ \t]+-Identity[ \t]+${LITERAL}[ \t]+-ActiveServers[ \t]+(?:@\{[ \t]*Replace[ \t]*=[ \t]*${LIST}[ \t]*\}|${LIST})(?:[ \t]+-Force)?[ \t]*$`,
  'i',
);

/** Whether sending the statement twice leaves the same state as sending it once. */
export function isRepeatable(statement: string): boolean {
  return ACTIVE_SERVERS.test(statement);
}
