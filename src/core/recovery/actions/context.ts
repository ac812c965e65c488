/** What a built-in action gets from the engine: its call, its target, the ports and the journal. */
import type { PlannedLyncCommand, RunPlan } from '../plan';
import type { EnginePorts, RunEvent } from '../run-types';

export interface ActionContext {
  readonly plan: RunPlan;
  readonly stepId: string;
  readonly command: PlannedLyncCommand;
  readonly ports: EnginePorts;
  readonly signal?: AbortSignal;
  readonly pollIntervalMs: number;
  wait(ms: number): Promise<void>;
  now(): number;
  emit(event: RunEvent): void;
  output(line: string): void;
  progress(message: string, percent?: number): void;
  /** Asks the operator; false = declined. */
  checkpoint(text: string): Promise<boolean>;
  /** Keeps data in the journal for later steps (the log-shipping snapshot). */
  recordData(name: string, data: unknown): Promise<void>;
  /** The latest data recorded under `name` by any action of this runbook. */
  findData(name: string): unknown;
  /** Runs one journaled unit inside this action (one log backup of apply-log-backups). */
  unit<T>(item: string, work: () => Promise<T>): Promise<T>;
}

/** `…\mgc_20240101000500.trn` → `mgc_20240101000500.trn`. */
export const baseName = (windowsPath: string): string => windowsPath.split(/[\\/]/).filter((p) => p !== '').pop() ?? '';

/** "N percent processed." → N (SQL Server's RESTORE progress messages). */
export function percentOf(message: string): number | undefined {
  const m = /(\d{1,3}) percent processed/i.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** Validates a path read from SQL Server or the journal before it goes into a command. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
