/**
 * What a run needs (ports, journal, callbacks) and what it reports (events, result). The CLI and
 * the extension render the events; nothing here knows about terminals or editors.
 */
import type { Check } from '../procedures/types';
import type { Journal, RunMode } from './journal';
import type { LogBackupFiles, ShellSession, SqlGateway } from './ports';
import type { SqlEndpoint } from './targets';

export interface EnginePorts {
  readonly sql: SqlGateway;
  readonly shell: ShellSession;
  readonly files: LogBackupFiles;
}

/** Where an action runs, for people: `backup dal-pcbak (dal-pcbak-001.litwareinc.com\pchat)`. */
export type TargetLabel = string;

export type ConfirmRequest =
  /** A destructive action: the exact text and where it goes. */
  /** `sends`: for a `lync` built-in, what it sends (its T-SQL), where `text` is the runbook's line. */
  | { readonly kind: 'destructive'; readonly stepId: string; readonly target: TargetLabel; readonly text: string; readonly sends?: string }
  /** A `confirm "…"` checkpoint, or a check only a person can make. */
  | { readonly kind: 'checkpoint'; readonly stepId: string; readonly text: string }
  /**
   * An action was interrupted (crash, kill, cancel, or a timeout / lost connection after it was
   * sent) and nothing can tell whether it completed. `detail`: what the journal recorded and
   * what the step's verification saw, when there is something to say.
   */
  | { readonly kind: 'interrupted'; readonly stepId: string; readonly target: TargetLabel; readonly text: string; readonly detail?: string };

/** An overridable precondition failed (split brain, share unreachable…). */
export interface OverrideRequest {
  readonly stepId: string;
  readonly warning: string;
}

/** `interrupted`: an action of the step was sent and its outcome is unknown; the next run verifies it. */
export type StepOutcome = 'completed' | 'failed' | 'skipped' | 'cancelled' | 'interrupted';

export type RunEvent =
  | { readonly type: 'step-started'; readonly stepId: string; readonly title: string }
  | { readonly type: 'step-skipped'; readonly stepId: string; readonly reason: string }
  | { readonly type: 'step-finished'; readonly stepId: string; readonly outcome: StepOutcome }
  | { readonly type: 'check'; readonly stepId: string; readonly phase: 'before' | 'after'; readonly check: Check; readonly ok: boolean; readonly detail: string }
  | { readonly type: 'action-started'; readonly stepId: string; readonly line: number; readonly target: TargetLabel; readonly text: string; readonly resumed: boolean }
  | { readonly type: 'action-skipped'; readonly stepId: string; readonly line: number; readonly text: string; readonly reason: string }
  | { readonly type: 'action-finished'; readonly stepId: string; readonly line: number; readonly ok: boolean; readonly error?: string }
  /** A line of output (a row, a shell object, what a built-in did). */
  | { readonly type: 'output'; readonly stepId: string; readonly line: string }
  /** Progress of a long operation: SQL Server's "N percent processed.", Backup Service states. */
  | { readonly type: 'progress'; readonly stepId: string; readonly message: string; readonly percent?: number }
  | { readonly type: 'warning'; readonly stepId: string; readonly message: string };

export interface RunOptions {
  readonly ports: EnginePorts;
  readonly journal: Journal;
  readonly mode: RunMode;
  readonly signal?: AbortSignal;
  /** Asked before every destructive action and at every checkpoint; false stops the run. */
  confirm(request: ConfirmRequest): Promise<boolean>;
  /** Asked when an overridable precondition fails; absent = never override. */
  override?(request: OverrideRequest): Promise<boolean>;
  onEvent?(event: RunEvent): void;
  /** Steps whose completed actions run again (the admin forces them). */
  readonly force?: ReadonlySet<string>;
  /** Who runs it, for the journal. */
  readonly user?: string;
  /** Backup Service polling: interval, and how to wait (tests replace it: no sleeps). */
  readonly pollIntervalMs?: number;
  wait?(ms: number, signal?: AbortSignal): Promise<void>;
  now?(): number;
}

export interface StepResult {
  readonly stepId: string;
  readonly title: string;
  readonly outcome: StepOutcome;
  readonly reason?: string;
}

export interface RunFailure {
  /** What happened, where. */
  readonly message: string;
  readonly stepId: string;
  /** 1-based line of the action (0 for a check). */
  readonly line: number;
  /** What to do next. */
  readonly hint?: string;
  /** Set when the run stopped because an action's outcome is unknown (its step is interrupted). */
  readonly outcomeUnknown?: boolean;
}

export interface RunResult {
  /** An interrupted step (outcome unknown) makes the run `failed`: it did not complete. */
  readonly outcome: 'completed' | 'failed' | 'cancelled';
  readonly steps: readonly StepResult[];
  readonly failure?: RunFailure;
}

export type { SqlEndpoint };
