/**
 * What a command of the stand-in is: its binding metadata plus a `run` over bound values.
 * Lync cmdlets read and change the lab through `ShellEnvironment`; built-ins (Write-Output,
 * ConvertTo-Json, Where-Object, …) only transform their input.
 */
import type { CommandElement } from './ast';
import type { Binding, BoundValue, CommandDef, FqdnListChange } from './binder';
import type { FaultLatch } from './faults';
import type { LabSqlSide } from './ports';
import type { LyncState } from '../lync/state';
import { PsEnum, type PsScriptBlock, type PsValue } from './values';

export interface ShellEnvironment {
  readonly lync: LyncState;
  readonly sql: LabSqlSide;
  readonly faults: FaultLatch;
}

export interface InvocationContext {
  readonly binding: Binding;
  /** Pipeline input (empty when the command is first in the pipeline). */
  readonly input: readonly PsValue[];
  readonly hasInput: boolean;
  readonly element: CommandElement;
  readonly env: ShellEnvironment;
  /** `VERBOSE: …` line, shown only with -Verbose. */
  verbose(message: string): void;
  warn(message: string): void;
  /** Runs a script block with `$_` set to `item`. */
  invokeBlock(block: PsScriptBlock, item: PsValue): PsValue[];
  /** Text Out-Default would print for these objects. */
  format(items: readonly PsValue[]): string[];
}

export interface Command extends CommandDef {
  /** Changes estate state: subject to -WhatIf and the `cmdlet-error` fault. */
  readonly stateChanging?: boolean;
  /** `What if:` operation and target shown for -WhatIf. */
  whatIf?(ctx: InvocationContext): { operation: string; target: string };
  run(ctx: InvocationContext): PsValue[];
}

// Typed accessors for bound values.

export function str(b: Binding, name: string): string | undefined {
  const v = b.values.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flag(b: Binding, name: string): boolean {
  return b.values.get(name) === true;
}

export function enumName(b: Binding, name: string): string | undefined {
  const v = b.values.get(name);
  return v instanceof PsEnum ? v.name : undefined;
}

export function strings(b: Binding, name: string): string[] | undefined {
  const v = b.values.get(name);
  return Array.isArray(v) ? v.map(String) : undefined;
}

export function listChange(b: Binding, name: string): FqdnListChange | undefined {
  const v: BoundValue | undefined = b.values.get(name);
  return v !== null && typeof v === 'object' && ('replace' in v || 'add' in v) ? (v as FqdnListChange) : undefined;
}

export function value(b: Binding, name: string): PsValue | undefined {
  return b.values.get(name) as PsValue | undefined;
}
