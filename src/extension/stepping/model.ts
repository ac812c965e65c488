/**
 * Runbook stepping, the view model: what each step's state is (from the journal, the source of
 * truth), what the code lenses, the gutter and the status bar say. Pure: no `vscode`, no I/O, so
 * it is unit-tested in plain Node; the editor classes only draw what this computes.
 */
import type { ActionKey, ActionRef, JournalState } from '../../core/recovery/journal';
import type { RunbookKind } from '../../core/runbook/model';
import { showHidden } from '../../core/text';
import { formatMessage, type Translate } from '../translate';

/**
 * - `pending`: nothing of it ran; `partial`: some actions completed, not all (a later action
 *   never started); `running`: it runs now; `done`: every action completed, or marked done;
 *   `failed`: its last attempt failed; `skipped`: marked skipped; `interrupted`: an action started
 *   and never finished (crash, cancel) — the next run verifies before sending anything again.
 */
export type StepStatus = 'pending' | 'partial' | 'running' | 'done' | 'failed' | 'skipped' | 'interrupted';

/** What the view model needs of a step: its id, title, heading line and the actions' identity. */
export interface StepShape {
  readonly id: string;
  readonly title: string;
  /** 0-based line of the `##` heading. */
  readonly line: number;
  readonly actions: readonly { readonly index: number; readonly text: string }[];
}

export interface StepView {
  readonly id: string;
  readonly title: string;
  readonly line: number;
  readonly status: StepStatus;
  /** Actions completed / actions in the step. */
  readonly completed: number;
  readonly total: number;
  /** The journal's error of the failed action. */
  readonly error?: string;
  /** When the state was last recorded (ISO). */
  readonly at?: string;
  /** Set when the admin marked the step. */
  readonly mark?: 'done' | 'skipped';
}

/** The failure of the last run of a step, as the engine reported it (message + what to do). */
export interface StepFailure {
  readonly stepId: string;
  readonly message: string;
  readonly hint?: string;
}

/** Folds the journal into one view per step. `running` names the step running now, if any. */
export function stepViews(
  steps: readonly StepShape[],
  state: JournalState | undefined,
  keyOf: (ref: ActionRef) => ActionKey,
  running?: string,
): StepView[] {
  return steps.map((step) => {
    const base = { id: step.id, title: step.title, line: step.line, total: step.actions.length };
    const actions = step.actions.map((a) => state?.actions.get(keyOf({ stepId: step.id, index: a.index, text: a.text })));
    const completed = actions.filter((a) => a?.status === 'completed').length;
    const latest = actions.reduce<string | undefined>((at, a) => (a && (!at || a.at > at) ? a.at : at), undefined);
    const mark = state?.steps.get(step.id);
    const withAt = (at: string | undefined) => (at ? { at } : {});
    if (running === step.id) return { ...base, status: 'running', completed, ...withAt(latest) };
    if (mark) return { ...base, status: mark.mark === 'done' ? 'done' : 'skipped', completed, mark: mark.mark, at: mark.at };
    const failed = actions.find((a) => a?.status === 'failed');
    if (failed) return { ...base, status: 'failed', completed, ...(failed.error ? { error: failed.error } : {}), ...withAt(latest) };
    if (step.actions.length > 0 && completed === step.actions.length) return { ...base, status: 'done', completed, ...withAt(latest) };
    if (actions.some((a) => a?.status === 'started')) return { ...base, status: 'interrupted', completed, ...withAt(latest) };
    if (completed > 0 || actions.some((a) => a?.status === 'skipped')) return { ...base, status: 'partial', completed, ...withAt(latest) };
    return { ...base, status: 'pending', completed };
  });
}

/** "3. Copy the logs" — unless the heading is numbered already ("## 3. Copy the logs"). */
export const numberedTitle = (position: number, title: string): string => (/^\d+[.)]\s/.test(title) ? title : `${position}. ${title}`);

/** Steps that count as behind us: done or skipped. */
export const isSettled = (status: StepStatus): boolean => status === 'done' || status === 'skipped';

/** The first step still to do (what "Run remaining" starts with). */
export function nextStep(views: readonly StepView[]): StepView | undefined {
  return views.find((v) => !isSettled(v.status));
}

const SHORT_NAMES: Record<RunbookKind, string> = {
  'persistent-chat-failover': 'PC Failover',
  'persistent-chat-failback': 'PC Failback',
  'conference-restore': 'Conference Restore',
  'pool-failover': 'Pool Failover',
  'pool-failback': 'Pool Failback',
  custom: 'Runbook',
};

/** "PC Failover", "Pool Failback"… (the runbook kind, short). */
export function kindShortName(kind: RunbookKind | undefined, t: Translate = formatMessage): string {
  return t(SHORT_NAMES[kind ?? 'custom']);
}

/** What runs are pointed at, as the top lens and the status bar show it. */
export interface TargetDescription {
  readonly kind: 'live' | 'rehearsal';
  /** Live: the estate's name. */
  readonly estateName?: string;
  /** Rehearsal: the lab's scenario. */
  readonly scenario?: string;
}

/** "LIVE: Litware" / "REHEARSAL: lab pchat-dc-loss". */
export function targetLabel(target: TargetDescription, t: Translate = formatMessage): string {
  if (target.kind === 'rehearsal') return t('REHEARSAL: lab {0}', target.scenario ?? 'unknown');
  return target.estateName ? t('LIVE: {0}', target.estateName) : t('LIVE');
}

export interface StatusBarView {
  readonly text: string;
  readonly tooltip: string;
  /** `error` when a step failed, `warning` in rehearsal, undefined otherwise. */
  readonly tone?: 'error' | 'warning';
}

const STATUS_ICON: Record<StepStatus, string> = {
  pending: '○',
  partial: '◐',
  running: '…',
  done: '✓',
  failed: '✗',
  skipped: '⤼',
  interrupted: '!',
};

/** "$(checklist) PC Failover 4/8" with a tooltip listing every step. */
export function statusBarView(kind: RunbookKind | undefined, views: readonly StepView[], target: TargetDescription, t: Translate = formatMessage): StatusBarView {
  const settled = views.filter((v) => isSettled(v.status)).length;
  const running = views.some((v) => v.status === 'running');
  const failed = views.some((v) => v.status === 'failed');
  const icon = running ? '$(sync~spin)' : failed ? '$(error)' : settled === views.length && views.length > 0 ? '$(pass-filled)' : '$(checklist)';
  const prefix = target.kind === 'rehearsal' ? `${t('REHEARSAL')} ` : '';
  const text = `${icon} ${prefix}${kindShortName(kind, t)} ${settled}/${views.length}`;
  const lines = [`${kindShortName(kind, t)} — ${targetLabel(target, t)}`, t('{0} of {1} steps done or skipped', settled, views.length), ''];
  views.forEach((v, i) => lines.push(`${STATUS_ICON[v.status]} ${numberedTitle(i + 1, v.title)} — ${statusWord(v.status, t)}`));
  return { text, tooltip: showHidden(lines.join('\n')), ...(failed ? { tone: 'error' as const } : target.kind === 'rehearsal' ? { tone: 'warning' as const } : {}) };
}

export function statusWord(status: StepStatus, t: Translate = formatMessage): string {
  switch (status) {
    case 'pending':
      return t('not run');
    case 'partial':
      return t('partly run');
    case 'running':
      return t('running');
    case 'done':
      return t('done');
    case 'failed':
      return t('failed');
    case 'skipped':
      return t('skipped');
    case 'interrupted':
      return t('interrupted');
  }
}

/** Command ids the lenses carry (package.json contributes them; see stepping/commands.ts). */
export const SteppingCommand = {
  runStep: 'lyncRecovery.runStep',
  dryRunStep: 'lyncRecovery.dryRunStep',
  markStepDone: 'lyncRecovery.markStepDone',
  skipStep: 'lyncRecovery.skipStep',
  resetStep: 'lyncRecovery.resetStep',
  retryStep: 'lyncRecovery.retryStep',
  showStepOutput: 'lyncRecovery.showStepOutput',
  runRemaining: 'lyncRecovery.runRemaining',
  dryRunRunbook: 'lyncRecovery.dryRunRunbook',
  showSteps: 'lyncRecovery.showSteps',
  chooseTarget: 'lyncRecovery.chooseTarget',
} as const;

export interface LensView {
  readonly title: string;
  readonly command: string;
  /** Arguments after the runbook URI. */
  readonly args: readonly string[];
  readonly tooltip?: string;
}

/** The lenses on a step heading: what can be done with the step in its state. */
export function stepLenses(view: StepView, t: Translate = formatMessage): LensView[] {
  const id = view.id;
  if (view.status === 'running') return [{ title: `$(sync~spin) ${t('Running…')}`, command: SteppingCommand.showStepOutput, args: [id], tooltip: t('Show the output of this step') }];
  const lenses: LensView[] = [];
  const state = view.status === 'pending' ? undefined : `${STATUS_ICON[view.status]} ${statusWord(view.status, t)}`;
  if (state) lenses.push({ title: state, command: SteppingCommand.showStepOutput, args: [id], tooltip: view.error === undefined ? t('Show the output of this step') : showHidden(view.error) });
  if (view.status === 'failed' || view.status === 'interrupted') {
    lenses.push({ title: `$(debug-restart) ${t('Retry')}`, command: SteppingCommand.retryStep, args: [id], tooltip: t('Run the step again: completed actions are skipped, an interrupted one is verified first') });
    lenses.push({ title: t('Show output'), command: SteppingCommand.showStepOutput, args: [id] });
  } else if (!isSettled(view.status)) {
    lenses.push({ title: `▶ ${t('Run step')}`, command: SteppingCommand.runStep, args: [id], tooltip: t('Run this step; destructive commands are shown and confirmed first') });
  }
  lenses.push({ title: t('Dry run'), command: SteppingCommand.dryRunStep, args: [id], tooltip: t('Show exactly what would be sent, and where, without sending anything') });
  if (!isSettled(view.status)) {
    lenses.push({ title: t('Mark done'), command: SteppingCommand.markStepDone, args: [id], tooltip: t('Record that you did this step by hand') });
    lenses.push({ title: t('Skip'), command: SteppingCommand.skipStep, args: [id], tooltip: t('Record that this step is left out on purpose') });
  } else {
    lenses.push({ title: t('Reset step'), command: SteppingCommand.resetStep, args: [id], tooltip: t('Reopen this step so it can be run again (recorded in the journal)') });
  }
  return lenses;
}

/**
 * The message every run that did not fail ends with: what this run did, then where the runbook
 * stands as N/M — steps done or skipped of all, the one meaning the status bar and the lens use.
 */
export function runSummary(label: string, ranNow: number, views: readonly StepView[], t: Translate = formatMessage): string {
  const settled = views.filter((v) => isSettled(v.status)).length;
  const now = ranNow === 1 ? t('1 step run now') : t('{0} steps run now', ranNow);
  return settled === views.length
    ? t('{0}: {1}; {2}/{3} done — every step is done or skipped.', label, now, settled, views.length)
    : t('{0}: {1}; {2}/{3} done — {4} left.', label, now, settled, views.length, views.length - settled);
}

/** The lenses at the top of the runbook: the target, progress and "Run remaining". */
export function topLenses(views: readonly StepView[], target: TargetDescription, t: Translate = formatMessage): LensView[] {
  const settled = views.filter((v) => isSettled(v.status)).length;
  const lenses: LensView[] = [
    {
      title: `${target.kind === 'rehearsal' ? '$(beaker)' : '$(plug)'} ${targetLabel(target, t)}`,
      command: SteppingCommand.chooseTarget,
      args: [],
      tooltip: t('Where steps run; click to change'),
    },
  ];
  const running = views.some((v) => v.status === 'running');
  if (!running && settled < views.length) lenses.push({ title: `▶ ${t('Run remaining ({0} of {1})', views.length - settled, views.length)}`, command: SteppingCommand.runRemaining, args: [] });
  if (running) lenses.push({ title: `$(sync~spin) ${t('Running…')}`, command: SteppingCommand.showSteps, args: [] });
  lenses.push({ title: t('Dry run all'), command: SteppingCommand.dryRunRunbook, args: [] });
  lenses.push({ title: t('{0}/{1} done', settled, views.length), command: SteppingCommand.showSteps, args: [] });
  return lenses;
}

/** A lens placed on a line (0-based). */
export interface PlacedLens extends LensView {
  readonly line: number;
}

/** Every lens of a runbook: the top lenses on the title line (else the first step's), then each step's. */
export function runbookLenses(views: readonly StepView[], target: TargetDescription, titleLine: number | undefined, t: Translate = formatMessage): PlacedLens[] {
  if (views.length === 0) return [];
  const top = titleLine ?? views[0]!.line;
  return [...topLenses(views, target, t).map((l) => ({ ...l, line: top })), ...views.flatMap((v) => stepLenses(v, t).map((l) => ({ ...l, line: v.line })))];
}

/** What the lenses, the gutter and the status bar of a runbook are drawn from. */
export interface DrawnState {
  readonly kind?: RunbookKind;
  readonly titleLine?: number;
  readonly views: readonly StepView[];
  readonly target: TargetDescription;
  readonly failure?: StepFailure;
}

/** The drawn state as a string: two states with the same fingerprint are drawn the same. */
export function drawnFingerprint(state: DrawnState): string {
  return JSON.stringify([state.kind ?? null, state.titleLine ?? null, state.target, state.failure ?? null, state.views]);
}

/** The one-line message shown after a failed step's heading (decoration and hover). */
export function failureLine(view: StepView, failure: StepFailure | undefined, t: Translate = formatMessage): string | undefined {
  if (view.status !== 'failed' && view.status !== 'interrupted') return undefined;
  if (failure && failure.stepId === view.id) return failure.hint ? `${failure.message} — ${t('What to do: {0}', failure.hint)}` : failure.message;
  if (view.status === 'interrupted') return t('Interrupted: an action started and never finished. Retry verifies it before sending anything again.');
  return view.error ? t('Failed: {0}', view.error) : t('Failed');
}
