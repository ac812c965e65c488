/**
 * Error records and their text exactly as Windows PowerShell 5.1 writes them to stderr with the
 * default `$ErrorView` (NormalView):
 *
 *     Get-Foo : The term 'Get-Foo' is not recognized as …
 *     At line:1 char:1
 *     + Get-Foo
 *     + ~~~~~~~
 *         + CategoryInfo          : ObjectNotFound: (Get-Foo:String) [], CommandNotFoundException
 *         + FullyQualifiedErrorId : CommandNotFoundException
 *
 * Each stdin line of `powershell -Command -` is its own script, so positions are always `line:1`.
 */
import type { Extent } from './ast';

export interface ErrorRecordInit {
  /** Exception message. */
  message: string;
  /** ErrorCategory name, e.g. `InvalidArgument`. */
  category: string;
  /** Exception type name shown as the category reason, e.g. `ParameterBindingException`. */
  reason: string;
  /** Error id; the command's .NET class is appended (`NamedParameterNotFound,Microsoft…Cmdlet`). */
  errorId: string;
  /** Name shown before ` : ` and as the category activity; empty for parse errors. */
  commandName?: string;
  /** .NET class of the command, appended to the error id. */
  commandClass?: string;
  targetName?: string;
  targetType?: string;
  /** Activity in brackets; defaults to the command name. */
  activity?: string;
  /** Part of the line the error points at. */
  extent?: Extent;
  /** The script text `extent` refers to, when it is not the stdin line ([scriptblock]::Create). */
  source?: string;
}

/** A PowerShell error record. Thrown as an exception for terminating errors. */
export class PsError extends Error {
  constructor(readonly record: ErrorRecordInit) {
    super(record.message);
  }
}

/** Cmdlet-level terminating error in Lync style (`ProcessingFailed`, `InvalidOperation`). */
export function cmdletFailure(message: string, reason = 'InvalidOperationException', errorId = 'ProcessingFailed', category = 'InvalidOperation'): PsError {
  return new PsError({ message, category, reason, errorId });
}

/** `FullyQualifiedErrorId` as PowerShell reports it: the error id, then the command's class. */
export function fullyQualifiedErrorId(r: ErrorRecordInit): string {
  return r.commandClass ? `${r.errorId},${r.commandClass}` : r.errorId;
}

/** The lines of the error as 5.1 prints it for the statement `line`. */
export function formatErrorRecord(r: ErrorRecordInit, line: string, isParseError = false): string[] {
  const out: string[] = [];
  const position = r.extent ? positionMessage(r.source ?? line, r.extent) : [];
  if (isParseError) {
    out.push(...position, ...r.message.split('\n'));
  } else {
    const head = r.commandName ? `${r.commandName} : ` : '';
    const [first, ...rest] = r.message.split('\n');
    out.push(head + first, ...rest, ...position);
  }
  const target = `${r.targetName ?? ''}:${r.targetType ?? ''}`;
  const activity = r.activity ?? r.commandName ?? '';
  out.push(`    + CategoryInfo          : ${r.category}: (${target}) [${activity}], ${r.reason}`);
  out.push(`    + FullyQualifiedErrorId : ${fullyQualifiedErrorId(r)}`);
  out.push(' ');
  return out;
}

/**
 * `At line:1 char:N` plus the source line and its `~~~` underline, truncated to 69 columns
 * with `...` like 5.1's PositionUtilities.VerboseMessage.
 */
export function positionMessage(line: string, extent: Extent): string[] {
  const header = `At line:1 char:${extent.start + 1}`;
  let source = line.trimEnd();
  if (!source) return [header];
  let before = extent.start;
  let errorLength = Math.min(extent.end, source.length) - extent.start;
  const max = 69;
  let prefixDots = false;
  let suffixDots = false;
  if (source.length > max) {
    const totalPrefix = before;
    let prefix = Math.min(totalPrefix, 12);
    const totalSuffix = source.length - errorLength - before;
    let suffix = Math.min(totalSuffix, 8);
    let candidate = prefix + errorLength + suffix;
    if (candidate >= max) {
      if (prefix + errorLength >= max) errorLength = max - prefix;
      suffixDots = true;
    } else {
      const prefixAvailable = totalPrefix - prefix;
      if (prefixAvailable > 0) {
        prefix += Math.min(prefixAvailable, max - candidate);
        candidate = prefix + errorLength + suffix;
      }
      if (candidate < max && totalSuffix > 0) suffix += Math.min(totalSuffix, max - candidate);
      suffixDots = suffix < totalSuffix;
    }
    prefixDots = prefix < totalPrefix;
    const startIndex = Math.max(before - prefix, 0);
    source = source.slice(startIndex, startIndex + max);
    before = Math.min(before, prefix);
    errorLength = Math.min(errorLength, max - before);
  }
  const text = `${prefixDots ? '... ' : ''}${source}${suffixDots ? ' ...' : ''}`;
  const underline = ' '.repeat(before + (prefixDots ? 4 : 0)) + '~'.repeat(Math.max(errorLength, 1));
  return [header, `+ ${text}`, `+ ${underline}`];
}
