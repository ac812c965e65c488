/**
 * Runs runbook steps from the editor: plan, ports of the current target, the journal, the
 * engine — with a modal confirmation showing the exact command and its target before anything
 * destructive, a cancellable progress notification, output to the run channel and the step's
 * output view, and a failure told at the step and in a notification (with Show output / Retry).
 * Every way of running (lenses, guided commands, per-step commands, rehearsal) comes through here.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Journal } from '../../core/recovery/journal';
import type { CheckOverride, RunPlan } from '../../core/recovery/plan';
import type { Finding } from '../../core/recovery/preflight';
import type { ConfirmRequest, OverrideRequest, RunEvent, RunResult } from '../../core/recovery/run-types';
import { showHidden } from '../../core/text';
import type { TargetService } from '../connections/targetService';
import type { WorkspaceTrustGuard } from '../connections/trust';
import { describeError, type Logger } from '../log';
import { GuidedCommand } from '../guided/model';
import { askSafely } from '../safeDialog';
import { runSummary, SteppingCommand, targetLabel } from './model';
import type { RunOutput } from './output';
import { enginePorts, type LabFiles } from './ports';
import { gatedPlan, loadRunbookEstate, RunbookProblem, RunRefused } from './runbooks';
import type { SteppingState } from './state';

export const CONFIRM_REHEARSAL_SETTING = 'lyncRecovery.rehearsal.confirmDestructive';

export type RunRequest =
  | { readonly kind: 'step'; readonly stepId: string; readonly force?: boolean }
  | { readonly kind: 'remaining' };

export interface RunControls {
  /** Texts the admin already saw and accepted (a guided run's step confirmation): not asked again. */
  readonly approved?: ReadonlySet<string>;
  /** Don't show the failure notification (the caller tells it). */
  readonly quiet?: boolean;
}

/** Plans a runbook document through the gate every run passes: parse, estate, lint, plan (throws RunbookProblem). */
export async function planDocument(state: SteppingState, document: vscode.TextDocument, overrides: readonly CheckOverride[] = []): Promise<RunPlan> {
  const runbook = await state.runbooks.get(document);
  return gatedPlan(document.uri, runbook, await loadRunbookEstate(document.uri, runbook), overrides);
}

function eventLines(event: RunEvent, describeCheck: (c: unknown) => string): string[] {
  switch (event.type) {
    case 'step-started':
      return [`== ${event.title} {#${event.stepId}}`];
    case 'step-skipped':
      return [`== {#${event.stepId}} skipped: ${event.reason}`];
    case 'step-finished':
      return [`== {#${event.stepId}} ${event.outcome}`];
    case 'check':
      return [`${event.ok ? 'ok  ' : 'FAIL'} ${event.phase}: ${describeCheck(event.check)} — ${event.detail}`];
    case 'action-started':
      return [`→ line ${event.line} on ${event.target}${event.resumed ? ' (resuming after an interruption)' : ''}:`, ...event.text.split('\n').map((l) => `    ${l}`)];
    case 'action-skipped':
      return [`· ${event.text.split('\n')[0]}: ${event.reason}`];
    case 'action-finished':
      return [event.ok ? `✓ line ${event.line} completed` : `✗ line ${event.line}: ${event.error ?? 'failed'}`];
    case 'output':
      return [`  ${event.line}`];
    case 'progress':
      return [`  … ${event.message}`];
    case 'warning':
      return [`! ${event.message}`];
  }
}

export class RunController {
  constructor(
    private readonly state: SteppingState,
    private readonly output: RunOutput,
    private readonly targets: TargetService,
    private readonly trust: WorkspaceTrustGuard,
    private readonly log: Logger,
    /** The lab this extension started, if any (rehearsal files map through it). */
    private readonly lab: () => LabFiles | undefined,
  ) {}

  /** Runs a step or the remaining steps; undefined when it did not start (refused, declined, busy). */
  async run(uri: vscode.Uri, request: RunRequest, controls: RunControls = {}): Promise<RunResult | undefined> {
    if (!this.trust.require(vscode.l10n.t('run runbook steps'))) return undefined;
    if (this.state.running(uri) !== undefined) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} is already running a step; wait for it or cancel it from its notification.', path.basename(uri.fsPath)));
      return undefined;
    }
    await this.targets.ready();
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.isDirty && !(await document.save())) {
      throw new RunbookProblem(vscode.l10n.t('Save {0} first: steps run from the saved file, which the journal identifies.', path.basename(uri.fsPath)));
    }
    let plan: RunPlan;
    try {
      plan = await this.#plan(document);
    } catch (error) {
      this.#tellProblem(uri, error);
      return undefined;
    }
    if (request.kind === 'step' && !plan.steps.some((s) => s.id === request.stepId)) {
      throw new RunbookProblem(vscode.l10n.t('{0} has no step "{1}" (steps: {2}).', path.basename(uri.fsPath), request.stepId, plan.steps.map((s) => s.id).join(', ')));
    }
    const target = this.targets.current;
    const mode = target.kind;
    const clients = this.targets.clients();
    if (mode === 'live' && !(await this.#prepareLive(plan, request, clients))) return undefined;
    const ports = await enginePorts(clients, plan.estate, this.lab(), this.log);
    const { FileJournalStore, JournalLockedError } = await import('../../adapters/journal');
    // Every password of the target's connections (live: typed or saved in SecretStorage; rehearsal: the lab's).
    const labPasswords = target.kind === 'rehearsal' ? Object.values(target.info.instances).map((i) => i.password) : [];
    const secrets = [...new Set([...labPasswords, ...((await clients.secrets?.()) ?? [])])];
    this.targets.secrets.add(secrets);
    const store = new FileJournalStore({ directory: this.state.journalDirectory(), secrets });
    let journal;
    try {
      journal = await store.open(uri.fsPath, { targets: (await import('../../core/recovery/lock-targets')).lockTargets(plan) });
    } catch (error) {
      if (error instanceof JournalLockedError) throw new RunbookProblem(error.message);
      const { JournalIntegrityError } = await import('../../core/recovery/journal');
      if (error instanceof JournalIntegrityError) throw new RunbookProblem(`${error.message} ${error.hint}`);
      throw error;
    }
    const engine = await import('../../core/recovery');
    const { describeCheck } = await import('../../core/procedures/render');
    const label = targetLabel(this.state.target(), vscode.l10n.t);
    // "step 3 of 8", never "3/8": N/M means steps done of all, in the status bar and the lens.
    const stepTitle = new Map(plan.steps.map((s, i) => [s.id, vscode.l10n.t('step {0} of {1}: {2}', i + 1, plan.steps.length, s.title)]));
    const pending: Promise<void>[] = [];
    const write = (stepId: string, lines: string[]) => {
      for (const line of lines) this.output.info(`[${mode === 'rehearsal' ? 'REHEARSAL' : 'LIVE'}] ${path.basename(uri.fsPath)} #${stepId} ${line}`);
      pending.push(this.output.append(uri, stepId, lines));
    };
    this.state.setFailure(uri, undefined);
    const started = new Date().toISOString();
    const header = (stepId: string) => write(stepId, [`──── ${started} — ${label} — ${os.userInfo().username} ────`]);
    const headed = new Set<string>();
    let result: RunResult;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `${mode === 'rehearsal' ? vscode.l10n.t('REHEARSAL') : vscode.l10n.t('LIVE')}: ${plan.title}`, cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          const cancel = token.onCancellationRequested(() => abort.abort());
          try {
            const options = {
              ports,
              journal,
              mode,
              signal: abort.signal,
              user: os.userInfo().username,
              ...(mode === 'rehearsal' ? { pollIntervalMs: 250 } : {}),
              confirm: async (r: ConfirmRequest) => {
                const ok = await this.#confirm(r, mode, controls.approved);
                // At a checkpoint of a rehearsal, the lab does what the admin does by hand (re-establishing log shipping).
                const done = ok && mode === 'rehearsal' && r.kind === 'checkpoint' ? this.lab()?.checkpoint?.(plan, r.stepId) : undefined;
                if (done) write(r.stepId, [`REHEARSAL: ${done}`]);
                return ok;
              },
              override: (r: OverrideRequest) => this.#override(r, mode),
              onEvent: (event: RunEvent) => {
                if (event.type === 'step-skipped') {
                  // Steps already behind us keep their output as it was; the channel says why they were passed.
                  this.output.info(`[${mode === 'rehearsal' ? 'REHEARSAL' : 'LIVE'}] ${path.basename(uri.fsPath)} #${event.stepId} skipped: ${event.reason}`);
                  return;
                }
                if (!headed.has(event.stepId)) {
                  headed.add(event.stepId);
                  header(event.stepId);
                }
                write(event.stepId, eventLines(event, (c) => describeCheck(c as Parameters<typeof describeCheck>[0])));
                if (event.type === 'step-started') {
                  this.state.setRunning(uri, event.stepId);
                  progress.report({ message: stepTitle.get(event.stepId) ?? event.title });
                } else if (event.type === 'step-finished') {
                  this.state.setRunning(uri, undefined);
                } else if (event.type === 'progress') {
                  progress.report({ message: `${stepTitle.get(event.stepId) ?? event.stepId}: ${event.message}` });
                } else if (event.type === 'action-finished' || event.type === 'action-skipped') {
                  this.state.journalChanged(uri);
                }
              },
            };
            const force = request.kind === 'step' && request.force ? { force: new Set([request.stepId]) } : {};
            const run = request.kind === 'step' ? engine.runStep(plan, request.stepId, { ...options, ...force }) : engine.runRunbook(plan, options);
            const outcome = await run;
            // A step without actions that ran (its checks held) is done: the journal says so.
            for (const step of outcome.steps) {
              const planned = plan.steps.find((s) => s.id === step.stepId);
              if (step.outcome === 'completed' && planned && planned.actions.length === 0) await engine.markStep(plan, journal, step.stepId, 'done', 'no action to run; its checks held');
            }
            return outcome;
          } finally {
            cancel.dispose();
          }
        },
      );
    } finally {
      await journal.close().catch((error: unknown) => this.log.warn(`Closing the journal: ${describeError(error)}`));
      this.state.setRunning(uri, undefined);
      await Promise.all(pending);
    }
    this.log.info(`${mode} run of ${uri.fsPath} (${request.kind === 'step' ? request.stepId : 'remaining steps'}): ${result.outcome}${result.failure ? ` — ${result.failure.message}` : ''}`);
    if (result.failure) {
      this.state.setFailure(uri, { stepId: result.failure.stepId, message: this.targets.secrets.text(result.failure.message), ...(result.failure.hint ? { hint: result.failure.hint } : {}) });
      if (!controls.quiet) this.#tellFailure(uri, result);
    }
    this.state.journalChanged(uri);
    if (!result.failure && !controls.quiet) void this.#tellSummary(uri, document, label, result.steps.filter((s) => s.outcome === 'completed').length);
    return result;
  }

  /** Records a mark (done by hand / skipped) in the journal. */
  async mark(uri: vscode.Uri, stepId: string, mark: 'done' | 'skipped', reason?: string): Promise<void> {
    const { markStep } = await import('../../core/recovery');
    await this.#record(uri, (plan, journal) => markStep(plan, journal, stepId, mark, reason));
  }

  /** Reopens a step (Reset Step): journaled, so the report shows who reopened it and why. */
  async reset(uri: vscode.Uri, stepId: string, reason?: string): Promise<void> {
    const { resetStep } = await import('../../core/recovery');
    await this.#record(uri, (plan, journal) => resetStep(plan, journal, stepId, reason));
  }

  /** A person's record in the journal, framed as a run of its own (who, when, on which target). */
  async #record(uri: vscode.Uri, write: (plan: RunPlan, journal: Journal) => Promise<void>): Promise<void> {
    const document = await vscode.workspace.openTextDocument(uri);
    const plan = await planDocument(this.state, document);
    const { FileJournalStore } = await import('../../adapters/journal');
    const journal = await new FileJournalStore({ directory: this.state.journalDirectory() }).open(uri.fsPath);
    try {
      await journal.append({ type: 'run-started', runbook: uri.fsPath, mode: this.targets.current.kind, user: os.userInfo().username });
      await write(plan, journal);
      await journal.append({ type: 'run-finished', outcome: 'completed' });
    } finally {
      await journal.close();
    }
    this.state.setFailure(uri, undefined);
    this.state.journalChanged(uri);
  }

  async #prepareLive(plan: RunPlan, request: RunRequest, clients: ReturnType<TargetService['clients']>): Promise<boolean> {
    const steps = request.kind === 'step' ? plan.steps.filter((s) => s.id === request.stepId) : plan.steps;
    const ids = new Set<string>();
    for (const step of steps) {
      for (const action of step.actions) {
        if (action.kind === 'sql') ids.add(action.target.instanceId);
        if (action.kind === 'lync') for (const c of action.commands) if (c.target) ids.add(c.target.instanceId);
      }
    }
    for (const id of ids) {
      const access = await clients.prepareSql(id, true);
      if (!access.ok) {
        const settings = vscode.l10n.t('Open Settings');
        void vscode.window.showErrorMessage(vscode.l10n.t('Cannot run on SQL instance {0}: {1}', id, access.message), settings).then((c) => {
          if (c === settings) void vscode.commands.executeCommand('workbench.action.openSettings', 'lyncRecovery.sql.connections');
        });
        return false;
      }
    }
    return true;
  }

  #rehearsalConfirms(): boolean {
    return vscode.workspace.getConfiguration().get<boolean>(CONFIRM_REHEARSAL_SETTING, true);
  }

  async #confirm(request: ConfirmRequest, mode: 'live' | 'rehearsal', approved: ReadonlySet<string> | undefined): Promise<boolean> {
    const rehearsal = mode === 'rehearsal';
    if (rehearsal && !this.#rehearsalConfirms()) {
      this.output.info(`[REHEARSAL] #${request.stepId} confirmed automatically (${CONFIRM_REHEARSAL_SETTING} is off): ${request.text.split('\n')[0]}`);
      return true;
    }
    if (request.kind === 'destructive' && approved?.has(request.text)) return true;
    const where = rehearsal ? vscode.l10n.t('REHEARSAL') : vscode.l10n.t('LIVE');
    let message: string;
    let detail: string;
    let act: string;
    let safe: string;
    switch (request.kind) {
      case 'destructive':
        message = vscode.l10n.t('{0} — step {1} sends a destructive command to {2}', where, request.stepId, request.target);
        // A built-in's exact command is what it sends (its T-SQL), not the runbook's `lync` line.
        detail = request.sends
          ? vscode.l10n.t('Target: {0}\n\nExact command (from the runbook line "{1}"):\n\n{2}\n\nRun it?', request.target, request.text, request.sends)
          : vscode.l10n.t('Target: {0}\n\nExact command:\n\n{1}\n\nRun it?', request.target, request.text);
        act = vscode.l10n.t('Run');
        safe = vscode.l10n.t("Don't Run");
        break;
      case 'checkpoint':
        message = vscode.l10n.t('{0} — step {1}: confirm before going on', where, request.stepId);
        detail = request.text;
        act = vscode.l10n.t('Confirm');
        safe = vscode.l10n.t('Not Yet');
        break;
      case 'interrupted':
        message = vscode.l10n.t('{0} — step {1} was interrupted while sending to {2}', where, request.stepId, request.target);
        detail = request.detail
          ? vscode.l10n.t('Nothing shows whether this completed:\n\n{0}\n\n{1}\n\nCheck the server first. Send it again?', request.text, request.detail)
          : vscode.l10n.t('Nothing shows whether this completed:\n\n{0}\n\nCheck the server first. Send it again?', request.text);
        act = vscode.l10n.t('Send Again');
        safe = vscode.l10n.t("Don't Send");
        break;
    }
    return askSafely({ message: showHidden(message), detail: showHidden(detail), act, safe });
  }

  async #override(request: OverrideRequest, mode: 'live' | 'rehearsal'): Promise<boolean> {
    if (mode === 'rehearsal' && !this.#rehearsalConfirms()) return false;
    const where = mode === 'rehearsal' ? vscode.l10n.t('REHEARSAL') : vscode.l10n.t('LIVE');
    return askSafely({
      message: showHidden(vscode.l10n.t('{0} — a precondition of step {1} does not hold', where, request.stepId)),
      detail: showHidden(request.warning),
      act: vscode.l10n.t('Override and Continue'),
      safe: vscode.l10n.t('Stop Here'),
    });
  }

  #tellFailure(uri: vscode.Uri, result: RunResult): void {
    const failure = result.failure!;
    const show = vscode.l10n.t('Show Output');
    const retry = vscode.l10n.t('Retry');
    const report = vscode.l10n.t('Export Report');
    const message = this.targets.secrets.text(failure.message);
    const text = failure.hint ? `${message} ${vscode.l10n.t('What to do: {0}', failure.hint)}` : message;
    const tell = result.outcome === 'cancelled' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    void tell(text, show, retry, report).then((choice) => {
      if (choice === show) void vscode.commands.executeCommand(SteppingCommand.showStepOutput, uri, failure.stepId);
      if (choice === retry) void vscode.commands.executeCommand(SteppingCommand.retryStep, uri, failure.stepId);
      if (choice === report) void vscode.commands.executeCommand(GuidedCommand.exportReport, uri);
    });
  }

  /** A run that did not fail ends with what it did, where the runbook stands, and the report. */
  async #tellSummary(uri: vscode.Uri, document: vscode.TextDocument, label: string, ranNow: number): Promise<void> {
    const { views } = await this.state.snapshot(document);
    const report = vscode.l10n.t('Export Report');
    const choice = await vscode.window.showInformationMessage(runSummary(label, ranNow, views, vscode.l10n.t), report);
    if (choice === report) await vscode.commands.executeCommand(GuidedCommand.exportReport, uri);
  }

  /**
   * The gated plan; a refusal a person may override is asked about, one check at a time, in a
   * modal naming the check, and needs a reason (journaled with the run, shown in the report).
   * A declined override, or a plan that cannot be made at all, throws the refusal.
   */
  async #plan(document: vscode.TextDocument): Promise<RunPlan> {
    const { CANNOT_PLAN, findingPlace } = await import('../../core/recovery/preflight');
    const overrides: CheckOverride[] = [];
    for (;;) {
      try {
        return await planDocument(this.state, document, overrides);
      } catch (error) {
        if (!(error instanceof RunRefused) || error.refusals.some((f) => f.rule === CANNOT_PLAN)) throw error;
        const next = error.refusals.find((f) => !overrides.some((o) => o.check === f.rule));
        const reason = next && (await this.#askOverride(next, findingPlace(next), error.refusals.length));
        if (!next || reason === undefined) throw error;
        overrides.push({ check: next.rule, reason });
      }
    }
  }

  async #askOverride(refusal: Finding, place: string, count: number): Promise<string | undefined> {
    const button = vscode.l10n.t('Override {0}…', refusal.rule);
    const detail = [
      `${place}: ${refusal.message}`,
      vscode.l10n.t('Fix it and run again. Override only if you know what skipping this check costs: the override and your reason are journaled and shown in the recovery report.'),
      ...(count > 1 ? [vscode.l10n.t('{0} check(s) refuse this run; each is asked on its own.', count)] : []),
    ].join('\n\n');
    if ((await vscode.window.showWarningMessage(vscode.l10n.t('Check {0} refuses this run', refusal.rule), { modal: true, detail }, button)) !== button) return undefined;
    const reason = await vscode.window.showInputBox({
      title: vscode.l10n.t('Why override {0}?', refusal.rule),
      prompt: vscode.l10n.t('The reason is journaled with the run and shown in the recovery report.'),
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? vscode.l10n.t('Give a reason.') : undefined),
    });
    return reason?.trim() || undefined;
  }

  #tellProblem(uri: vscode.Uri, error: unknown): void {
    if (!(error instanceof RunbookProblem)) throw error;
    this.log.warn(`${uri.fsPath}: ${error.message}`);
    const problems = vscode.l10n.t('Show Problems');
    void vscode.window.showErrorMessage(error.message, ...(error.problems.length > 0 ? [problems] : [])).then((c) => {
      if (c === problems) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
  }
}
