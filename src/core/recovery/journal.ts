/**
 * The journal port: what the engine records about a run, and what it reads back to resume.
 * One journal per runbook, append-only, one record per event (runbook-format.md "Execution").
 * The file-system implementation lives in src/adapters/journal.
 *
 * Resume rule: an action whose last record is `action-finished` with outcome `ok` is never run
 * again unless the admin forces it; one whose last record is `action-started` (crash, kill,
 * cancel) or `action-finished` with outcome `interrupted` (sent, then the transport failed: its
 * outcome is unknown) was interrupted, and the engine's verification decides whether it completed.
 *
 * Integrity: each record carries the hash of the record line before it (`prev`), so a forged,
 * edited or removed line breaks the chain, and a journal with a broken chain is not resumed from.
 * Journals written before the chain (no `prev`) are read as they are; the chain starts at the
 * first record that has one, and after it every record must have one.
 */

/** Opaque key of one action: derived from the runbook, step id, action index and action text. */
export type ActionKey = string;

/** What identifies an action. Editing the text makes a new action (a new key). */
export interface ActionRef {
  readonly stepId: string;
  /** 0-based index of the action within its step. */
  readonly index: number;
  /** The action's text as written in the runbook (fence body line or block). */
  readonly text: string;
  /** A unit inside one action, e.g. one log backup file of `apply-log-backups`. */
  readonly item?: string;
}

/**
 * `interrupted`: the action was sent and nobody knows whether it took effect (shell timed out or
 * ended, connection lost mid-request); `error` says why. Added after the first journals: readers
 * of older journals never meet it, and it folds into the status an unfinished action has.
 */
export type ActionOutcome = 'ok' | 'failed' | 'skipped' | 'interrupted';
export type RunOutcome = 'completed' | 'failed' | 'cancelled';
export type RunMode = 'live' | 'rehearsal';

/** What the engine appends. `output` is never stored: the journal keeps its SHA-256 only. */
export type JournalEvent =
  | { readonly type: 'run-started'; readonly runbook: string; readonly mode: RunMode; readonly user?: string }
  | { readonly type: 'action-started'; readonly ref: ActionRef }
  | {
      readonly type: 'action-finished';
      readonly ref: ActionRef;
      readonly outcome: ActionOutcome;
      readonly output?: string;
      readonly error?: string;
    }
  /** Data a built-in action keeps for later steps (the log-shipping snapshot). */
  | { readonly type: 'data-recorded'; readonly ref: ActionRef; readonly name: string; readonly data: unknown }
  | { readonly type: 'step-marked'; readonly stepId: string; readonly mark: 'done' | 'skipped'; readonly reason?: string }
  /** A person reopened a step (after a mis-click on Mark done or Skip, or to run it again): its mark and completed actions no longer count. */
  | { readonly type: 'step-reset'; readonly stepId: string; readonly reason?: string }
  /**
   * A check a person waived explicitly: `check` is its id (a plan-time check such as
   * `plan/checks-unavailable`, an estate check, a lint rule, or `precondition/<kind>` for a
   * precondition overridden at its step), `message` what it found, `reason` the person's why.
   */
  | { readonly type: 'check-overridden'; readonly check: string; readonly message: string; readonly reason?: string; readonly stepId?: string }
  | { readonly type: 'run-finished'; readonly outcome: RunOutcome; readonly error?: string };

interface RecordBase {
  /** Record format version. */
  readonly v: 1;
  /** 0-based sequence number within the journal file. */
  readonly seq: number;
  /** `sha256:<hex>` of the previous record's line (of the empty text for the first); absent in old journals. */
  readonly prev?: string;
  /** ISO timestamp. */
  readonly at: string;
  readonly runId: string;
}

/** What is stored: events with the action key resolved, output digested, secrets redacted. */
export type JournalRecord = RecordBase &
  (
    | { readonly type: 'run-started'; readonly runbook: string; readonly mode: RunMode; readonly user?: string; readonly host: string; readonly pid: number }
    | { readonly type: 'action-started'; readonly key: ActionKey; readonly stepId: string; readonly index: number; readonly item?: string; readonly text: string }
    | {
        readonly type: 'action-finished';
        readonly key: ActionKey;
        readonly stepId: string;
        readonly index: number;
        readonly item?: string;
        readonly outcome: ActionOutcome;
        /** `sha256:<hex>` of the output, when there was output. */
        readonly outputDigest?: string;
        readonly error?: string;
      }
    | { readonly type: 'data-recorded'; readonly key: ActionKey; readonly stepId: string; readonly name: string; readonly data: unknown }
    | { readonly type: 'step-marked'; readonly stepId: string; readonly mark: 'done' | 'skipped'; readonly reason?: string }
    | { readonly type: 'step-reset'; readonly stepId: string; readonly reason?: string }
    | { readonly type: 'check-overridden'; readonly check: string; readonly message: string; readonly reason?: string; readonly stepId?: string }
    | { readonly type: 'run-finished'; readonly outcome: RunOutcome; readonly error?: string }
  );

/**
 * A line that could not be read: `torn` = the unterminated last line of a crash mid-write;
 * `tampered` = a record that does not follow the one before it in the chain (forged, edited, or a
 * line before it removed): the journal cannot be trusted to resume from.
 */
export interface JournalLineProblem {
  readonly line: number;
  readonly kind: 'torn' | 'corrupt' | 'tampered';
  readonly text: string;
}

/**
 * The journal cannot be trusted or written: its chain is broken, or it was deleted, replaced or
 * written to by another program while a run held it. The run stops; `hint` says what to do.
 */
export class JournalIntegrityError extends Error {
  override readonly name = 'JournalIntegrityError';

  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

export interface JournalContents {
  readonly records: readonly JournalRecord[];
  readonly problems: readonly JournalLineProblem[];
}

/**
 * `started` = no known end: interrupted (crash, kill, cancel, or finished with outcome
 * `interrupted`, then with its `error`), or still running.
 */
export type ActionStatus = 'completed' | 'failed' | 'skipped' | 'started';

export interface ActionState {
  readonly key: ActionKey;
  readonly stepId: string;
  readonly index: number;
  readonly item?: string;
  readonly status: ActionStatus;
  readonly runId: string;
  readonly at: string;
  readonly error?: string;
  readonly outputDigest?: string;
}

export interface RunSummary {
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** Absent when the run never recorded its end (crash or still running). */
  readonly outcome?: RunOutcome;
}

export interface JournalState {
  readonly actions: ReadonlyMap<ActionKey, ActionState>;
  readonly steps: ReadonlyMap<string, { readonly mark: 'done' | 'skipped'; readonly at: string }>;
  /** Recorded data by `<action key>/<name>`; the latest wins. */
  readonly data: ReadonlyMap<string, unknown>;
  readonly runs: readonly RunSummary[];
  readonly problems: readonly JournalLineProblem[];
}

/** An open journal. Holding one means holding the runbook's run lock. */
export interface Journal {
  /** The journal file (for messages). */
  readonly file: string;
  readonly runId: string;
  keyOf(ref: ActionRef): ActionKey;
  append(event: JournalEvent): Promise<JournalRecord>;
  read(): Promise<JournalContents>;
  state(): Promise<JournalState>;
  /** Releases the lock. Appending afterwards fails. */
  close(): Promise<void>;
}

export interface OpenJournalOptions {
  /** Take the lock even if another live run holds it (the admin confirmed it is gone). */
  readonly breakLock?: boolean;
  /**
   * What the run acts on (`lockTargets(plan)`): one lock each besides the runbook's own, so a copy
   * of the runbook, or another runbook acting on the same pool or instance, cannot run beside it.
   */
  readonly targets?: readonly string[];
}

/** Opens journals by runbook path; `open` takes the run lock, `read` does not. */
export interface JournalStore {
  open(runbookPath: string, options?: OpenJournalOptions): Promise<Journal>;
  read(runbookPath: string): Promise<JournalContents>;
}

/** An `interrupted` finish is resumed like an unfinished start: verified before anything is re-sent. */
const statusOf = (outcome: ActionOutcome): ActionStatus => (outcome === 'ok' ? 'completed' : outcome === 'interrupted' ? 'started' : outcome);

/** Folds records into the per-action state the engine resumes from. Later records win. */
export function journalState(contents: JournalContents): JournalState {
  const actions = new Map<ActionKey, ActionState>();
  const steps = new Map<string, { mark: 'done' | 'skipped'; at: string }>();
  const data = new Map<string, unknown>();
  const runs = new Map<string, RunSummary>();
  for (const r of contents.records) {
    switch (r.type) {
      case 'run-started':
        runs.set(r.runId, { runId: r.runId, startedAt: r.at });
        break;
      case 'run-finished': {
        const run = runs.get(r.runId);
        runs.set(r.runId, { runId: r.runId, startedAt: run?.startedAt ?? r.at, finishedAt: r.at, outcome: r.outcome });
        break;
      }
      case 'action-started':
        actions.set(r.key, { key: r.key, stepId: r.stepId, index: r.index, ...(r.item !== undefined ? { item: r.item } : {}), status: 'started', runId: r.runId, at: r.at });
        break;
      case 'action-finished':
        actions.set(r.key, {
          key: r.key,
          stepId: r.stepId,
          index: r.index,
          ...(r.item !== undefined ? { item: r.item } : {}),
          status: statusOf(r.outcome),
          runId: r.runId,
          at: r.at,
          ...(r.error !== undefined ? { error: r.error } : {}),
          ...(r.outputDigest !== undefined ? { outputDigest: r.outputDigest } : {}),
        });
        break;
      case 'data-recorded':
        data.set(`${r.key}/${r.name}`, r.data);
        break;
      case 'step-marked':
        steps.set(r.stepId, { mark: r.mark, at: r.at });
        break;
      case 'step-reset':
        steps.delete(r.stepId);
        // Completed and failed actions run again; one whose outcome is unknown stays `started`, so
        // the next run still verifies it before anything is sent again.
        for (const [key, a] of actions) if (a.stepId === r.stepId && a.status !== 'started') actions.delete(key);
        break;
    }
  }
  return { actions, steps, data, runs: [...runs.values()], problems: contents.problems };
}
