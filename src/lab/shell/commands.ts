/**
 * What a Lync cmdlet of the lab is: a `run` over the parameters PowerShell bound (plain JSON,
 * protocol.ts), reading and changing the lab through `ShellEnvironment`. Binding itself —
 * parameter sets, mandatory parameters, types, enums — is real PowerShell's, in the generated
 * LyncLab module (module.ts), so `run` only sees calls PowerShell accepted.
 */
import type { LyncState } from '../lync/state';
import type { FaultLatch } from './faults';
import type { LabSqlSide } from './ports';
import type { ParamValue, WireValue } from './protocol';

export interface ShellEnvironment {
  readonly lync: LyncState;
  readonly sql: LabSqlSide;
  readonly faults: FaultLatch;
  /** Cmdlets (lower case) whose next call is held, never answered; each callback runs when it arrives. */
  readonly held: Map<string, () => void>;
}

export type Params = Readonly<Record<string, ParamValue>>;

export interface CmdletContext {
  /** `$PSCmdlet.ParameterSetName`, as the catalogue names the sets. */
  readonly set: string;
  readonly params: Params;
  readonly env: ShellEnvironment;
  /** Shown with -Verbose. */
  verbose(message: string): void;
  warn(message: string): void;
}

export interface LabCmdlet {
  /** As the catalogue spells it (src/core/runbook/cmdlets.ts). */
  readonly name: string;
  /** Changes estate state: subject to the `cmdlet-error` fault. */
  readonly stateChanging?: boolean;
  run(ctx: CmdletContext): WireValue[];
}

/** A terminating error of a cmdlet, in the shape the Lync cmdlets write them. */
export class CmdletFailure extends Error {
  constructor(
    message: string,
    /** .NET exception type (full name) of the error record. */
    readonly exception = 'System.InvalidOperationException',
    /** ErrorCategory name. */
    readonly category = 'InvalidOperation',
    readonly errorId = 'ProcessingFailed',
  ) {
    super(message);
  }
}

export const invalidArgument = (message: string) => new CmdletFailure(message, 'System.ArgumentException', 'InvalidArgument');
export const notFound = (message: string) => new CmdletFailure(message, 'System.Management.Automation.ItemNotFoundException', 'ObjectNotFound');

// Typed accessors for bound parameters (absent when not given).

export function str(p: Params, name: string): string | undefined {
  const v = p[name];
  return v === undefined || v === null ? undefined : String(v);
}

export function flag(p: Params, name: string): boolean {
  return p[name] === true;
}

/** A string list: one string, an array, or nothing. */
export function strings(v: ParamValue | undefined): string[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v.flatMap((x) => strings(x as ParamValue)) : [String(v)];
}

/** A hashtable key, case-insensitive as PowerShell's hashtables are. */
export function entry(v: ParamValue | undefined, key: string): ParamValue | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  return Object.entries(v).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
}

/** PowerShell's -like: `*`, `?`, case-insensitive. */
export function psLike(text: string, pattern: string): boolean {
  const re = pattern.replace(/[.+^${}()|\\[\]]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'is').test(text);
}

// Reply values (protocol.ts, WireValue).

/** A typed object; `toStringValue` is its ToString() (what deep ConvertTo-Json levels show). */
export function lyncObject(typeName: string, props: Record<string, WireValue>, toStringValue?: string): WireValue {
  return { __type: typeName, ...(toStringValue !== undefined ? { __string: toStringValue } : {}), ...props };
}

/** A value of one of the module's enums (module.ts), by name. */
export const enumValue = (type: string, value: string): WireValue => ({ __enum: type, value });

export const dateValue = (ms: number): WireValue => ({ __date: ms });
