/**
 * The recovery engine: runs a plan one step at a time, each action in order, stopping at the
 * first failure. Every action is journaled (started, then finished with its outcome and output
 * digest) under the contract's key, so a completed action is never run again unless the admin
 * forces its step, and an interrupted action — by a crash (started, never finished), or sent and
 * then cut off by a timeout, a crashed shell or a lost connection (finished `interrupted`: its
 * outcome is unknown) — is resolved by verification — the step's checks for runbook text, the
 * built-in's own re-reading of the state (redo LSN, database state) for `lync` actions — rather
 * than blindly run twice.
 */
import type { PowerShellCommand } from '../commands/powershell';
import { describeCheck } from '../procedures/render';
import type { Check } from '../procedures/types';
import { runLyncAction, type ActionContext } from './actions';
import { classifyFailure } from './classify';
import { lyncText } from './dry-run';
import { errorHint } from './error-hints';
import { ActionError, DeclinedError, howToMarkDone } from './errors';
import { JournalIntegrityError, type ActionKey, type ActionRef, type ActionStatus, type Journal, type JournalState } from './journal';
import type { PlannedAction, PlannedLyncCommand, PlannedStep, RunPlan } from './plan';
import { CancelledError, ConnectionError, FileError, ShellError, SqlError, SqlLoginError, TimeoutError, type SqlRow } from './ports';
import type { RunEvent, RunFailure, RunOptions, RunResult, StepResult } from './run-types';
import { describeEndpoint } from './targets';
import { isRepeatable } from './repeatable';
import { evaluateCheck, readsState, type CheckContext } from './verify';

export const DEFAULT_POLL_INTERVAL_MS = 15_000;

/** Stops the run: carries where it stopped, what to do, and how the step ended. */
class StepStop extends Error {
  constructor(
    readonly failure: RunFailure,
    readonly outcome: 'failed' | 'cancelled' | 'interrupted',
  ) {
    super(failure.message);
  }
}

function abortableWait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError('Cancelled while waiting.', 'wait'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError('Cancelled while waiting.', 'wait'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * What to do after a failure of the connection or the shell itself (not of what was sent): the
 * step's own advice would be about the step's logic, which did not get a say. A command whose
 * outcome is unknown gets `unknownOutcomeHint` instead.
 */
function transportHint(error: unknown): string | undefined {
  if (error instanceof SqlLoginError) return `Check the SQL login (user, password, enabled, access) set for ${error.instanceId}, then run again: completed actions are skipped.`;
  if (error instanceof ConnectionError) return 'Check that the instance is up and reachable from here, then run again: completed actions are skipped, and the built-ins re-read the server state (redo LSN, database state), so nothing is applied twice.';
  if (error instanceof ShellError && error.failure === 'crashed') return 'The shell is started afresh on the next run: run again (completed actions are skipped).';
  if (error instanceof TimeoutError) return 'It did not answer within its time limit (a stuck shell is restarted on the next run): check that it responds, then run again.';
  return undefined;
}

/**
 * What to do when an action was sent and its outcome is unknown: the built-ins re-read the state
 * they act on; runbook text is verified by the step's checks, else the operator decides.
 */
function unknownOutcomeHint(error: unknown, step: PlannedStep, kind: PlannedAction['kind']): string {
  if (kind === 'lync') {
    if (error instanceof ActionError && error.hint) return error.hint;
    return 'Run again once it answers: the built-in re-reads the state it acts on (redo LSN, database state, sessions), so nothing is done twice.';
  }
  const first = kind === 'powershell' ? 'Run again (a fresh shell is started)' : 'Run again once the instance answers';
  return step.checks.after.some(readsState)
    ? `${first}: the step's verification is checked first — if it shows the action took effect, it is recorded as completed and not sent again; if not, you are asked before it is sent again.`
    : `Check whether it took effect before you run again: nothing can verify it, so the next run asks before sending it again (if it did take effect, mark the step done instead: ${howToMarkDone(step.id)}).`;
}

/** What to do after an error: what the error itself calls for, else the step's advice. */
function hintFor(error: unknown, stepHint: string | undefined, stepId: string): string {
  if (error instanceof ActionError && error.hint) return error.hint;
  if (error instanceof JournalIntegrityError) return error.hint;
  const own = transportHint(error) ?? errorHint(error, stepId);
  if (own) return own;
  if (stepHint) return stepHint;
  if (error instanceof ConnectionError) return 'Check that the instance is up and reachable from here, then run again: completed actions are skipped.';
  if (error instanceof TimeoutError) return 'The operation may still be running on the server: check its state before running again.';
  if (error instanceof ShellError) return 'Check the command and the Lync Management Shell, then run again: completed actions are skipped.';
  if (error instanceof FileError) return 'Fix the file system problem named above, then run again.';
  return 'Fix the cause named above, then run again: completed actions are skipped.';
}

function describeError(error: unknown): string {
  if (error instanceof SqlError) return `SQL Server error ${error.number}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The command a PowerShell statement runs (`Set-CsPersistentChatState`), else its start: what failed. */
const shortened = (text: string, max = 60): string => (text.length > max ? `${text.slice(0, max)}…` : text);
const commandOf = (statement: string): string => /\b[A-Za-z]+-[A-Za-z]+\b/.exec(statement)?.[0] ?? shortened(statement);

const rowText = (row: SqlRow): string => Object.entries(row).map(([k, v]) => `${k}=${v instanceof Date ? v.toISOString() : String(v)}`).join(' ');
const objectText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

class Run {
  readonly #statuses = new Map<ActionKey, ActionStatus>();
  /** The error journaled with each action's last finish: why an interrupted one is unknown. */
  readonly #errors = new Map<ActionKey, string>();
  readonly #data = new Map<string, unknown>();
  readonly #marks: Map<string, 'done' | 'skipped'>;
  readonly #journal: Journal;
  readonly results: StepResult[] = [];

  constructor(
    readonly plan: RunPlan,
    readonly options: RunOptions,
    state: JournalState,
  ) {
    this.#journal = options.journal;
    for (const [key, a] of state.actions) {
      this.#statuses.set(key, a.status);
      if (a.error !== undefined) this.#errors.set(key, a.error);
    }
    for (const [key, value] of state.data) this.#data.set(key, value);
    this.#marks = new Map([...state.steps].map(([id, m]) => [id, m.mark]));
  }

  emit(event: RunEvent): void {
    this.options.onEvent?.(event);
  }

  #status(ref: ActionRef): ActionStatus | undefined {
    return this.#statuses.get(this.#journal.keyOf(ref));
  }

  /** Fence-level refs plus the built-ins' own: what "the step has run" is made of. */
  #refs(step: PlannedStep): ActionRef[] {
    return step.actions.flatMap((a) => (a.kind === 'lync' ? [a.ref, ...a.commands.map((c) => c.ref)] : [a.ref]));
  }

  stepComplete(step: PlannedStep): boolean {
    const mark = this.#marks.get(step.id);
    if (mark) return true;
    return step.actions.every((a) => this.#status(a.ref) === 'completed');
  }

  async step(step: PlannedStep): Promise<void> {
    const forced = this.options.force?.has(step.id) === true;
    const mark = this.#marks.get(step.id);
    if (!forced && (mark || (step.actions.length > 0 && this.stepComplete(step)))) {
      const reason = mark ? `marked ${mark}` : 'completed in an earlier run';
      this.emit({ type: 'step-skipped', stepId: step.id, reason });
      this.results.push({ stepId: step.id, title: step.title, outcome: 'skipped', reason });
      return;
    }
    this.emit({ type: 'step-started', stepId: step.id, title: step.title });
    const fresh = forced || this.#refs(step).every((r) => this.#status(r) === undefined);
    // Preconditions describe the state before the step; once part of it ran they no longer hold.
    if (fresh) await this.#checks(step, 'before', step.checks.before);
    for (const action of step.actions) await this.#action(step, action, forced);
    await this.#checks(step, 'after', step.checks.after);
    this.emit({ type: 'step-finished', stepId: step.id, outcome: 'completed' });
    this.results.push({ stepId: step.id, title: step.title, outcome: 'completed' });
  }

  #checkContext(step: PlannedStep): CheckContext {
    return {
      ports: this.options.ports,
      ...(this.options.signal ? { signal: this.options.signal } : {}),
      stepDone: (id) => {
        const other = this.plan.steps.find((s) => s.id === id);
        return other !== undefined && this.stepComplete(other);
      },
      checkpoint: (text) => this.options.confirm({ kind: 'checkpoint', stepId: step.id, text }),
    };
  }

  async #checks(step: PlannedStep, phase: 'before' | 'after', checks: readonly Check[]): Promise<void> {
    for (const check of checks) {
      const result = await evaluateCheck(check, this.#checkContext(step));
      this.emit({ type: 'check', stepId: step.id, phase, check, ok: result.ok, detail: result.detail });
      if (result.ok) continue;
      if (result.error !== undefined) {
        // Not a state the admin must change: the check could not be made at all.
        throw new StepStop({ message: `${phase === 'before' ? 'Before' : 'After'} step ${step.id}: could not check that ${describeCheck(check)}: ${describeError(result.error)}`, stepId: step.id, line: step.line, hint: hintFor(result.error, undefined, step.id) }, 'failed');
      }
      if (phase === 'before' && result.warning && this.options.override && (await this.options.override({ stepId: step.id, warning: result.warning }))) {
        this.emit({ type: 'warning', stepId: step.id, message: `Overridden by the operator: ${result.warning}` });
        await this.#journal.append({ type: 'check-overridden', check: `precondition/${check.kind}`, stepId: step.id, message: result.warning });
        continue;
      }
      throw new StepStop(
        {
          message: `${phase === 'before' ? 'Before' : 'After'} step ${step.id}: expected ${describeCheck(check)}; found: ${result.detail}.${result.warning ? ` ${result.warning}` : ''}`,
          stepId: step.id,
          line: step.line,
          hint: phase === 'before' ? (result.warning ? 'Stop here unless you are sure: fix what is named above and run again, or, knowing what it costs, let a run that allows overrides continue (lync-runbook run asks).' : 'Bring the system into the expected state (or finish the earlier steps), then run again.') : (step.checks.onFailure ?? 'Find out why the step did not have its effect before going on.'),
        },
        'failed',
      );
    }
  }

  #targetOf(action: PlannedAction | PlannedLyncCommand): string {
    if ('call' in action) {
      if (action.target) return describeEndpoint(action.target);
      return action.call.name === 'confirm' ? 'the operator' : action.call.name === 'copy-log-backups' ? 'files: log-shipping share → copy folder' : 'Lync Server Management Shell';
    }
    switch (action.kind) {
      case 'sql':
        return describeEndpoint(action.target);
      case 'powershell':
        return 'Lync Server Management Shell';
      case 'lync':
        return [...new Set(action.commands.map((c) => this.#targetOf(c)))].join(', ');
    }
  }

  /** Journals one unit around `work`; `announce` = false for wrappers and sub-units (no action-started event). */
  async #journaled(step: PlannedStep, ref: ActionRef, line: number, text: string, target: string, resumed: boolean, announce: boolean, work: (out: (line: string) => void) => Promise<void>): Promise<void> {
    const output: string[] = [];
    const out = (l: string) => {
      output.push(l);
      this.emit({ type: 'output', stepId: step.id, line: l });
    };
    if (announce) this.emit({ type: 'action-started', stepId: step.id, line, target, text, resumed });
    await this.#journal.append({ type: 'action-started', ref });
    this.#statuses.set(this.#journal.keyOf(ref), 'started');
    this.#errors.delete(this.#journal.keyOf(ref));
    try {
      await work(out);
    } catch (e) {
      // Cancelled: left "started", so the next run verifies it (as after a crash).
      if (this.#cancelled(e)) throw e;
      const error = describeError(e);
      await this.#finishFailed(ref, e, error, output.join('\n'));
      if (announce) this.emit({ type: 'action-finished', stepId: step.id, line, ok: false, error });
      throw e;
    }
    await this.#journal.append({ type: 'action-finished', ref, outcome: 'ok', output: output.join('\n') });
    this.#statuses.set(this.#journal.keyOf(ref), 'completed');
    if (announce) this.emit({ type: 'action-finished', stepId: step.id, line, ok: true });
  }

  #cancelled(e: unknown): boolean {
    return e instanceof CancelledError || this.options.signal?.aborted === true;
  }

  /** Journals a failed unit: `interrupted` when it was sent and its outcome is unknown, else `failed`. */
  async #finishFailed(ref: ActionRef, e: unknown, error: string, output?: string): Promise<void> {
    const unknown = classifyFailure(e) === 'outcome-unknown';
    await this.#journal.append({ type: 'action-finished', ref, outcome: unknown ? 'interrupted' : 'failed', ...(output !== undefined ? { output } : {}), error });
    const key = this.#journal.keyOf(ref);
    this.#statuses.set(key, unknown ? 'started' : 'failed');
    this.#errors.set(key, error);
  }

  async #confirmDestructive(step: PlannedStep, target: string, text: string, sends?: string): Promise<void> {
    if (!(await this.options.confirm({ kind: 'destructive', stepId: step.id, target, text, ...(sends !== undefined ? { sends } : {}) }))) throw new DeclinedError(`Declined: ${text.split('\n')[0]} on ${target} was not sent.`);
  }

  async #action(step: PlannedStep, action: PlannedAction, forced: boolean): Promise<void> {
    const status = this.#status(action.ref);
    const target = this.#targetOf(action);
    const firstLine = action.kind === 'lync' ? action.commands.map((c) => c.text).join('; ') : action.kind === 'sql' ? action.text : action.statements.join('; ');
    if (status === 'completed' && !forced) {
      this.emit({ type: 'action-skipped', stepId: step.id, line: action.line, text: firstLine, reason: 'completed in an earlier run' });
      return;
    }
    const signal = this.options.signal;
    /** What was being sent when it failed, for the message. */
    let sending: string | undefined;
    try {
      if (action.kind === 'lync') {
        await this.#journaled(step, action.ref, action.line, firstLine, target, status === 'started', false, async () => {
          for (const command of action.commands) await this.#lync(step, command, forced);
        });
        return;
      }
      if (status === 'started' && !forced && (await this.#resolvedByVerification(step, action, target, firstLine))) return;
      if (action.destructive) await this.#confirmDestructive(step, target, action.kind === 'sql' ? action.text : action.statements.join('\n'));
      await this.#journaled(step, action.ref, action.line, firstLine, target, status === 'started', true, async (out) => {
        if (action.kind === 'sql') {
          const options = { ...(signal ? { signal } : {}), onInfo: (message: string) => this.emit({ type: 'progress', stepId: step.id, message }) };
          // A block that changes state: one request per statement; the first error stops it (docs/engine.md).
          const requests = action.requests ?? [{ statement: action.text, text: action.text }];
          for (const [k, request] of requests.entries()) {
            if (action.requests && requests.length > 1) sending = `statement ${k + 1} of ${requests.length}: ${shortened(request.statement, 200)}`;
            const result = await this.options.ports.sql.batch(action.target.instanceId, request.text, options);
            for (const set of result.recordsets) for (const row of set) out(rowText(row));
          }
          return;
        }
        for (const statement of action.statements) {
          sending = commandOf(statement);
          // The runbook's own text is sent as written: that is the contract.
          const reply = await this.options.ports.shell.runJson(statement as PowerShellCommand, signal ? { signal } : {});
          for (const value of reply) out(objectText(value));
        }
      });
    } catch (e) {
      throw this.#stop(step, action, sending === undefined ? target : `${target} (${sending})`, e);
    }
  }

  /**
   * An interrupted action (crash, cancel, or sent and then cut off) is resolved only on proof:
   * when the step has checks that read the state and they hold, the action completed; when they
   * cannot be made, the run stops. An operator checkpoint is never proof. Without proof, a
   * repeatable command is sent again; anything else is put to the operator ("send it again?").
   */
  async #resolvedByVerification(step: PlannedStep, action: PlannedAction, target: string, text: string): Promise<boolean> {
    const ref = action.ref;
    const recorded = this.#errors.get(this.#journal.keyOf(ref));
    const seen: string[] = recorded !== undefined ? [`last run: ${recorded}`] : [];
    const proofs = step.checks.after.filter(readsState);
    if (proofs.length > 0) {
      const results = await Promise.all(proofs.map((c) => evaluateCheck(c, this.#checkContext(step))));
      if (results.every((r) => r.ok)) {
        await this.#journal.append({ type: 'action-finished', ref, outcome: 'ok', output: `verified after an interruption: ${results.map((r) => r.detail).join('; ')}` });
        this.#statuses.set(this.#journal.keyOf(ref), 'completed');
        this.emit({ type: 'action-skipped', stepId: step.id, line: action.line, text, reason: `interrupted earlier, verified complete (${results.map((r) => r.detail).join('; ')})` });
        return true;
      }
      const unchecked = results.find((r) => r.error !== undefined);
      if (unchecked) {
        // Asking "send it again?" makes no sense while the state cannot even be read.
        throw new StepStop(
          { message: `Step ${step.id} was interrupted earlier during "${text}" on ${target}, and whether it took effect cannot be checked now: ${describeError(unchecked.error)}`, stepId: step.id, line: action.line, hint: hintFor(unchecked.error, undefined, step.id), outcomeUnknown: true },
          'interrupted',
        );
      }
      seen.push(`the step's verification does not show it took effect: ${results.filter((r) => !r.ok).map((r) => r.detail).join('; ')}`);
    } else if (step.checks.after.length > 0) {
      seen.push("the step's only verification is the operator's confirmation, which cannot show whether it took effect");
    }
    if (action.kind === 'powershell' && action.statements.length > 0 && action.statements.every(isRepeatable)) {
      this.emit({ type: 'warning', stepId: step.id, message: `"${text}" was interrupted earlier and nothing shows whether it took effect; sent again: it sets the same state however often it is sent.` });
      return false;
    }
    if (!(await this.options.confirm({ kind: 'interrupted', stepId: step.id, target, text, ...(seen.length > 0 ? { detail: seen.join('\n') } : {}) }))) {
      throw new StepStop(
        {
          message: `Step ${step.id} was interrupted earlier during "${text}" on ${target}, and nothing shows whether it completed; not sent again.`,
          stepId: step.id,
          line: action.line,
          hint: `Check whether it took effect: if it did, mark the step done (${howToMarkDone(step.id)}); if not, run again and confirm sending it again.`,
          outcomeUnknown: true,
        },
        'interrupted',
      );
    }
    return false;
  }

  async #lync(step: PlannedStep, command: PlannedLyncCommand, forced: boolean): Promise<void> {
    const status = this.#status(command.ref);
    if (status === 'completed' && !forced) {
      this.emit({ type: 'action-skipped', stepId: step.id, line: command.line, text: command.text, reason: 'completed in an earlier run' });
      return;
    }
    const target = this.#targetOf(command);
    if (command.destructive) await this.#confirmDestructive(step, target, command.text, lyncText(this.plan, command).text);
    // Built-ins re-read the state they act on, so an interrupted one simply runs again.
    await this.#journaled(step, command.ref, command.line, command.text, target, status === 'started', true, async (out) => {
      await runLyncAction(this.#actionContext(step, command, out));
    });
  }

  #actionContext(step: PlannedStep, command: PlannedLyncCommand, out: (line: string) => void): ActionContext {
    const options = this.options;
    return {
      plan: this.plan,
      stepId: step.id,
      command,
      ports: options.ports,
      ...(options.signal ? { signal: options.signal } : {}),
      pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      wait: (ms) => (options.wait ?? abortableWait)(ms, options.signal),
      now: () => (options.now ?? Date.now)(),
      emit: (event) => this.emit(event),
      output: out,
      progress: (message, percent) => this.emit({ type: 'progress', stepId: step.id, message, ...(percent !== undefined ? { percent } : {}) }),
      checkpoint: (text) => options.confirm({ kind: 'checkpoint', stepId: step.id, text }),
      recordData: async (name, data) => {
        await this.#journal.append({ type: 'data-recorded', ref: command.ref, name, data });
        this.#data.set(`${this.#journal.keyOf(command.ref)}/${name}`, data);
      },
      findData: (name) => {
        let found: unknown;
        for (const [key, value] of this.#data) if (key.endsWith(`/${name}`)) found = value;
        return found;
      },
      // One record per unit, after it: the built-in resumes from the server's state (the redo
      // LSN), so the record is the audit trail — one durable write per log backup, not two.
      unit: async (item, work) => {
        const ref = { ...command.ref, item: `${command.ref.item}/${item}` };
        try {
          const result = await work();
          await this.#journal.append({ type: 'action-finished', ref, outcome: 'ok' });
          return result;
        } catch (e) {
          if (!this.#cancelled(e)) await this.#finishFailed(ref, e, describeError(e));
          throw e;
        }
      },
    };
  }

  #stop(step: PlannedStep, action: PlannedAction, target: string, e: unknown): StepStop {
    if (e instanceof StepStop) return e;
    const line = action.line;
    // Declined: nothing was sent and nothing failed, so no remedy applies.
    if (e instanceof DeclinedError) return new StepStop({ message: `Step ${step.id} not run (line ${line}): ${e.message}`, stepId: step.id, line, hint: 'Nothing was sent. Run the step again when you are ready: completed actions are skipped.' }, 'cancelled');
    if (this.#cancelled(e)) {
      return new StepStop({ message: `Cancelled during step ${step.id} (line ${line}) on ${target}.`, stepId: step.id, line, hint: 'Run again to resume: an interrupted action is verified before anything is sent again.' }, 'cancelled');
    }
    if (classifyFailure(e) === 'outcome-unknown') {
      return new StepStop(
        { message: `Step ${step.id} was interrupted (line ${line}) on ${target} and its outcome is unknown: ${describeError(e)}`, stepId: step.id, line, hint: unknownOutcomeHint(e, step, action.kind), outcomeUnknown: true },
        'interrupted',
      );
    }
    return new StepStop({ message: `Step ${step.id} failed (line ${line}) on ${target}: ${describeError(e)}`, stepId: step.id, line, hint: hintFor(e, step.checks.onFailure, step.id) }, 'failed');
  }
}

async function runSteps(plan: RunPlan, steps: readonly PlannedStep[], options: RunOptions): Promise<RunResult> {
  const journal = options.journal;
  await journal.append({ type: 'run-started', runbook: plan.runbookPath, mode: options.mode, ...(options.user ? { user: options.user } : {}) });
  // Checks waived before the run (plan-time, estate, lint) are part of its audit trail.
  for (const o of plan.overrides ?? []) await journal.append({ type: 'check-overridden', check: o.check, message: o.message, reason: o.reason });
  // The shell starts while the steps before its first PowerShell block run, not when that block is reached.
  if (steps.some((s) => s.actions.some((a) => a.kind === 'powershell'))) options.ports.shell.warmUp?.();
  const run = new Run(plan, options, await journal.state());
  let result: RunResult;
  try {
    for (const step of steps) {
      if (options.signal?.aborted) throw new StepStop({ message: `Cancelled before step ${step.id}.`, stepId: step.id, line: step.line, hint: 'Run again to resume.' }, 'cancelled');
      try {
        await run.step(step);
      } catch (e) {
        if (e instanceof StepStop) run.emit({ type: 'step-finished', stepId: step.id, outcome: e.outcome });
        throw e instanceof StepStop ? e : new StepStop({ message: `Step ${step.id} failed: ${describeError(e)}`, stepId: step.id, line: step.line, hint: hintFor(e, step.checks.onFailure, step.id) }, 'failed');
      }
    }
    result = { outcome: 'completed', steps: run.results };
  } catch (e) {
    if (!(e instanceof StepStop)) throw e;
    const step = steps.find((s) => s.id === e.failure.stepId);
    const steps_ = [...run.results, { stepId: e.failure.stepId, title: step?.title ?? e.failure.stepId, outcome: e.outcome, reason: e.failure.message }];
    result = { outcome: e.outcome === 'cancelled' ? 'cancelled' : 'failed', steps: steps_, failure: e.failure };
  }
  // A journal lost under the run takes no more records; the result says so.
  await journal.append({ type: 'run-finished', outcome: result.outcome, ...(result.failure ? { error: result.failure.message } : {}) }).catch((e: unknown) => {
    if (!(e instanceof JournalIntegrityError)) throw e;
  });
  return result;
}

/** Runs every step in order; completed steps and actions are skipped. */
export function runRunbook(plan: RunPlan, options: RunOptions): Promise<RunResult> {
  return runSteps(plan, plan.steps, options);
}

/** Runs one step (its completed actions are skipped unless `force` names it). */
export function runStep(plan: RunPlan, stepId: string, options: RunOptions): Promise<RunResult> {
  const step = plan.steps.find((s) => s.id === stepId);
  if (!step) throw new Error(`The runbook has no step "${stepId}" (steps: ${plan.steps.map((s) => s.id).join(', ')}).`);
  return runSteps(plan, [step], options);
}

/** Records that the admin did a step by hand (`done`) or decided to leave it out (`skipped`). */
export async function markStep(plan: RunPlan, journal: Journal, stepId: string, mark: 'done' | 'skipped', reason?: string): Promise<void> {
  if (!plan.steps.some((s) => s.id === stepId)) throw new Error(`The runbook has no step "${stepId}".`);
  await journal.append({ type: 'step-marked', stepId, mark, ...(reason ? { reason } : {}) });
}

/** Reopens a step: its mark and its completed actions no longer count, so the next run runs it again. */
export async function resetStep(plan: RunPlan, journal: Journal, stepId: string, reason?: string): Promise<void> {
  if (!plan.steps.some((s) => s.id === stepId)) throw new Error(`The runbook has no step "${stepId}".`);
  await journal.append({ type: 'step-reset', stepId, ...(reason ? { reason } : {}) });
}
