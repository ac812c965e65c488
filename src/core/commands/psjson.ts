/**
 * Structured replies from the shell. node-powershell returns whatever text appeared between its
 * own delimiters, and an empty string when the shell died mid-command (test-doubles.md). So every
 * command whose output matters is wrapped: its output is converted to JSON and printed between
 * markers carrying a per-call nonce, with a distinct marker for a failure. A reply without the
 * markers, or with the opening one only, is never read as success.
 */
import { psString, type PowerShellCommand } from './powershell';
import { parseNonce, type Nonce } from './values';

const markers = (nonce: Nonce) => ({
  ok: `#LR-BEGIN-OK-${nonce}#`,
  error: `#LR-BEGIN-ERROR-${nonce}#`,
  end: `#LR-END-${nonce}#`,
});

/**
 * One line that runs `command` in the current scope (dot-sourced, so `$s = …` on one runbook line
 * is visible on the next), with errors made terminating, and prints
 * `#LR-BEGIN-OK-<nonce>#<json>#LR-END-<nonce>#` or `#LR-BEGIN-ERROR-<nonce>#{message,…}#LR-END-<nonce>#`.
 * The command travels as a single-quoted string into `[scriptblock]::Create`, so a trailing
 * `# comment` in it cannot swallow the end marker.
 */
export function wrapForJson(command: PowerShellCommand | string, nonce: string): PowerShellCommand {
  const m = markers(parseNonce(nonce));
  return [
    '$__lrEap = $ErrorActionPreference; $ErrorActionPreference = \'Stop\';',
    `try { $__lrOut = @(. ([scriptblock]::Create(${psString(command)})));`,
    `'${m.ok}' + (ConvertTo-Json -InputObject $__lrOut -Depth 6 -Compress) + '${m.end}' }`,
    'catch { $__lrErr = @{ message = [string]$_; errorId = [string]$_.FullyQualifiedErrorId; category = [string]$_.CategoryInfo.Category };',
    `'${m.error}' + (ConvertTo-Json -InputObject $__lrErr -Compress) + '${m.end}' }`,
    'finally { $ErrorActionPreference = $__lrEap }',
  ].join(' ') as PowerShellCommand;
}

export type ShellReplyErrorCode = 'missing-sentinel' | 'truncated' | 'invalid-json' | 'command-failed';

export class ShellReplyError extends Error {
  override readonly name = 'ShellReplyError';

  constructor(
    readonly code: ShellReplyErrorCode,
    message: string,
    /** For `command-failed`: PowerShell's FullyQualifiedErrorId and category, when given. */
    readonly errorId?: string,
    readonly category?: string,
  ) {
    super(message);
  }
}

export type ShellReply = { readonly ok: true; readonly value: unknown[] } | { readonly ok: false; readonly error: ShellReplyError };

/** Windows PowerShell 5.1 writes dates as `"\/Date(1700000000000)\/"` (optionally with an offset). */
const MS_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;

function reviveDates(_key: string, value: unknown): unknown {
  if (typeof value === 'string') {
    const m = MS_DATE.exec(value);
    if (m) return new Date(Number(m[1]));
  }
  return value;
}

const excerpt = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

/**
 * Reads a reply produced by `wrapForJson`. The value is always the list of output objects:
 * 5.1 unwraps one-element arrays and prints nothing for no output, both normalised here.
 */
export function parseWrappedJson(output: string, nonce: string): ShellReply {
  const m = markers(parseNonce(nonce));
  const text = output ?? '';
  const okAt = text.indexOf(m.ok);
  const errorAt = text.indexOf(m.error);
  const failed = errorAt >= 0 && (okAt < 0 || errorAt < okAt);
  const begin = failed ? errorAt : okAt;
  if (begin < 0) {
    const reason = text.trim() === '' ? 'the shell returned nothing' : `no start marker in: ${excerpt(text.trim())}`;
    return { ok: false, error: new ShellReplyError('missing-sentinel', `Reply not recognised (${reason}); the command may not have run.`) };
  }
  const start = begin + (failed ? m.error : m.ok).length;
  const end = text.lastIndexOf(m.end);
  if (end < start) {
    return { ok: false, error: new ShellReplyError('truncated', 'The reply was cut off before its end marker; the command may not have finished.') };
  }
  const payload = text.slice(start, end).trim();
  let parsed: unknown;
  try {
    parsed = payload === '' ? null : JSON.parse(payload, reviveDates);
  } catch (e) {
    return { ok: false, error: new ShellReplyError('invalid-json', `The reply is not valid JSON (${(e as Error).message}): ${excerpt(payload)}`) };
  }
  if (failed) {
    const err = (parsed ?? {}) as { message?: unknown; errorId?: unknown; category?: unknown };
    const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    return {
      ok: false,
      error: new ShellReplyError('command-failed', str(err.message) ?? 'The command failed without a message.', str(err.errorId), str(err.category)),
    };
  }
  return { ok: true, value: parsed === null ? [] : Array.isArray(parsed) ? parsed : [parsed] };
}
