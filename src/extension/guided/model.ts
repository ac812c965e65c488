/**
 * Guided procedures, the pure part: which procedures there are and what their commands are
 * called, which pools each applies to, where the runbook a guided run drives lives, what the
 * preflight report and each step's confirmation say, and which step comes next. No `vscode`.
 *
 * A guided run is a runbook run: the command renders the procedure into
 * `.lync-recovery/runbooks/<kind>-<pool>.runbook.md` (or reuses it), opens it and steps through
 * it — one execution path, one journal, so it resumes like any runbook.
 */
import type { Estate, Pool, PoolKind } from '../../core/estate/model';
import type { ProcedureKind } from '../../core/procedures/types';
import type { DryRunStep } from '../../core/recovery/dry-run';
import { showHidden } from '../../core/text';
import { formatMessage, type Translate } from '../translate';
import { isSettled, type StepView } from '../stepping/model';

export interface ProcedureInfo {
  readonly kind: ProcedureKind;
  /** The guided command's id. */
  readonly command: string;
  /** The per-step commands' prefix: "Persistent Chat Failover". */
  readonly stepPrefix: string;
  /** Pools it acts on. */
  readonly poolKind: PoolKind;
  /** The pool quick pick's prompt. */
  readonly pick: string;
}

export const PROCEDURES: readonly ProcedureInfo[] = [
  { kind: 'persistent-chat-failover', command: 'lyncRecovery.failOverPersistentChat', stepPrefix: 'Persistent Chat Failover', poolKind: 'persistent-chat', pick: 'Which Persistent Chat pool fails over to its backup databases?' },
  { kind: 'persistent-chat-failback', command: 'lyncRecovery.failBackPersistentChat', stepPrefix: 'Persistent Chat Failback', poolKind: 'persistent-chat', pick: 'Which Persistent Chat pool fails back to its primary databases?' },
  { kind: 'conference-restore', command: 'lyncRecovery.restoreConferenceContent', stepPrefix: 'Conference Content Restore', poolKind: 'front-end', pick: 'Which Front End pool lost its conference content?' },
  { kind: 'pool-failover', command: 'lyncRecovery.failOverFrontEndPool', stepPrefix: 'Front End Pool Failover', poolKind: 'front-end', pick: 'Which Front End pool failed (its users move to its paired pool)?' },
  { kind: 'pool-failback', command: 'lyncRecovery.failBackFrontEndPool', stepPrefix: 'Front End Pool Failback', poolKind: 'front-end', pick: 'Which Front End pool gets its users back from its paired pool?' },
];

export const GuidedCommand = {
  newRunbookFromProcedure: 'lyncRecovery.newRunbookFromProcedure',
  rehearseRunbook: 'lyncRecovery.rehearseRunbook',
  stopRehearsal: 'lyncRecovery.stopRehearsal',
  exportReport: 'lyncRecovery.exportRecoveryReport',
} as const;

export const procedureInfo = (kind: ProcedureKind): ProcedureInfo => PROCEDURES.find((p) => p.kind === kind)!;

/**
 * The pool a guided or per-step command was given: its FQDN (automation, keybindings) or the
 * Estate view's pool row it was run on ("Run Procedure" context menu). Anything else: none, and
 * the command asks.
 */
export function poolArgument(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value !== 'object' || value === null) return undefined;
  const row = value as { readonly fqdn?: unknown; readonly contextValue?: unknown };
  return typeof row.fqdn === 'string' && typeof row.contextValue === 'string' && row.contextValue.startsWith('pool;') ? row.fqdn : undefined;
}

export const STEP_COMMAND_PREFIX = 'lyncRecovery.step.';

/** `lyncRecovery.step.persistent-chat-failover.apply-log-backups`. */
export function stepCommandId(kind: ProcedureKind, stepId: string): string {
  return `${STEP_COMMAND_PREFIX}${kind}.${stepId}`;
}

export function parseStepCommandId(id: string): { kind: ProcedureKind; stepId: string } | undefined {
  if (!id.startsWith(STEP_COMMAND_PREFIX)) return undefined;
  const rest = id.slice(STEP_COMMAND_PREFIX.length);
  const info = PROCEDURES.find((p) => rest.startsWith(`${p.kind}.`));
  if (!info) return undefined;
  const stepId = rest.slice(info.kind.length + 1);
  return stepId ? { kind: info.kind, stepId } : undefined;
}

/** "Persistent Chat Failover — 4. Apply the unapplied log backups". */
export function stepCommandTitle(kind: ProcedureKind, position: number, title: string): string {
  return `${procedureInfo(kind).stepPrefix} — ${position}. ${title}`;
}

/** The package.nls.json key of a per-step command's title. */
export const stepCommandTitleKey = (kind: ProcedureKind, stepId: string): string => `command.step.${kind}.${stepId}.title`;

/**
 * Pools a procedure can act on. Persistent Chat: pools with stores. Front End: pools paired with
 * a backup pool (without a pair there is nothing to fail over to or restore from).
 */
export function poolCandidates(estate: Estate, kind: ProcedureKind): Pool[] {
  const info = procedureInfo(kind);
  return estate.pools.filter((p) => p.kind === info.poolKind && (info.poolKind === 'persistent-chat' ? p.stores?.mgc !== undefined : p.backupPool !== undefined));
}

const safeName = (s: string) => s.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');

/** Where a guided run keeps its runbook, relative to the workspace folder. */
export function guidedRunbookPath(kind: ProcedureKind, pool: string): string {
  return `.lync-recovery/runbooks/${kind}-${safeName(pool)}.runbook.md`;
}

/** The file "New Runbook from Procedure…" creates beside the estate; a number is added when it exists. */
export function newRunbookFileName(kind: ProcedureKind, pool: string, taken: (name: string) => boolean): string {
  const first = `${kind}.runbook.md`;
  if (!taken(first)) return first;
  const withPool = `${kind}-${safeName(pool).split('.')[0]}.runbook.md`;
  if (!taken(withPool)) return withPool;
  for (let i = 2; ; i++) {
    const name = `${kind}-${safeName(pool).split('.')[0]}-${i}.runbook.md`;
    if (!taken(name)) return name;
  }
}

/** The path from a runbook's folder to the estate file, as a runbook's `estate:` writes it. */
export function relativeEstatePath(fromFolder: string, estateFile: string): string {
  const from = fromFolder.split('/').filter(Boolean);
  const to = estateFile.split('/').filter(Boolean);
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.length - common;
  const rel = [...Array<string>(up).fill('..'), ...to.slice(common)].join('/');
  return up === 0 ? `./${rel}` : rel;
}

/** The preflight report: every step, its preconditions, the exact commands and their targets. */
export function preflightMarkdown(
  input: { readonly title: string; readonly target: string; readonly runbook: string; readonly notes: readonly string[]; readonly steps: readonly DryRunStep[]; readonly views?: readonly StepView[] },
  t: Translate = formatMessage,
): string {
  const out: string[] = [`# ${t('Preflight')} — ${input.title}`, ''];
  out.push(`**${t('Target')}:** ${input.target}  `, `**${t('Runbook')}:** \`${input.runbook}\``, '');
  out.push(`> ${t('Nothing has been sent. Each step shows its commands and target and asks before it runs; destructive commands are marked.')}`, '');
  for (const note of input.notes) out.push(`> **${t('Note')}:** ${note}`, '');
  input.steps.forEach((step, i) => {
    const view = input.views?.find((v) => v.id === step.id);
    const state = view && view.status !== 'pending' ? ` — _${view.status}_` : '';
    out.push(`## ${i + 1}. ${step.title}${state}`, '');
    for (const b of step.before) out.push(`- ${t('Before')}: ${b}`);
    for (const a of step.after) out.push(`- ${t('After')}: ${a}`);
    if (step.before.length + step.after.length > 0) out.push('');
    for (const a of step.actions) {
      out.push(`${t('On')} **${a.target}**${a.destructive ? ` — ⚠ ${t('destructive: asks first')}` : ''} (${t('line {0}', a.line)}):`, '', '```', a.text, '```', '');
    }
    if (step.actions.length === 0) out.push(`_${t('No command: read and confirm.')}_`, '');
  });
  return showHidden(out.join('\n'));
}

/** How a guided run shows its preflight report: `vscode` calls, injected (tests pass fakes). */
export interface PreflightDisplay {
  /** The report's Markdown preview beside the runbook, resolving once it shows; false when there is none (no Markdown extension). */
  previewBeside(): Promise<boolean>;
  /** The report's text beside the runbook, the focus left where it is. */
  textBeside(): Promise<void>;
  /** The runbook in its editor, focused. */
  focusRunbook(): Promise<void>;
}

/**
 * Shows the preflight report beside the runbook and leaves the runbook the active editor: its
 * lenses, gutter and status bar item show the run. A Markdown preview opens in the active
 * editor's column (`markdown.showPreview`) or beside it (`…ToSide`), and takes the focus either
 * way; opened with `markdown.showPreview`, it covered the runbook for the whole run, and the
 * status bar item, which follows the active text editor, kept saying 0/8. (Beside, it must be
 * locked: an unlocked preview follows the active Markdown editor, and a runbook is one.)
 */
export async function showPreflight(display: PreflightDisplay): Promise<void> {
  if (!(await display.previewBeside())) await display.textBeside();
  await display.focusRunbook();
}

/**
 * How much of a non-destructive action a step's confirmation shows: its first and last lines,
 * each cut to a width. The modal dialog does not scroll: apply-log-backups' text (a header query
 * with one 2,500-character line) pushed its buttons below the window. Destructive actions are
 * always shown in full: the engine does not ask for them again.
 */
export const CONFIRMATION_TEXT_LIMITS = { head: 4, tail: 2, lineChars: 100 } as const;

/** A non-destructive action's text as a step confirmation shows it. */
export function confirmationText(text: string, t: Translate = formatMessage): string {
  const { head, tail, lineChars } = CONFIRMATION_TEXT_LIMITS;
  const cut = (line: string) => (line.length > lineChars ? `${line.slice(0, lineChars - 1)}…` : line);
  const lines = text.split('\n');
  if (lines.length <= head + tail + 1) return lines.map(cut).join('\n');
  const hidden = lines.length - head - tail;
  return [...lines.slice(0, head).map(cut), t('… {0} more lines: the preflight report has the whole text', hidden), ...lines.slice(-tail).map(cut)].join('\n');
}

/**
 * The confirmation a guided run shows before each step: the exact commands and where they go
 * (non-destructive ones shortened: `confirmationText`).
 */
export function stepConfirmation(
  step: DryRunStep,
  position: number,
  total: number,
  target: { readonly kind: 'live' | 'rehearsal'; readonly label: string },
  t: Translate = formatMessage,
): { readonly message: string; readonly detail: string } {
  const prefix = target.kind === 'rehearsal' ? `${t('REHEARSAL')} — ` : '';
  const message = `${prefix}${t('Step {0} of {1}: {2}', position, total, step.title)}`;
  const lines = [target.label, ''];
  for (const b of step.before) lines.push(`${t('Before')}: ${b}`);
  for (const a of step.actions) {
    lines.push('', `${t('On')} ${a.target}${a.destructive ? ` — ${t('DESTRUCTIVE')}` : ''}:`, a.destructive ? a.text : confirmationText(a.text, t));
  }
  if (step.actions.length === 0) lines.push(t('No command: this step is read and confirmed.'));
  for (const a of step.after) lines.push('', `${t('Verified after')}: ${a}`);
  return { message: showHidden(message), detail: showHidden(lines.join('\n')) };
}

/** The next step a guided run offers, or undefined when every step is done or skipped. */
export function guidedNext(views: readonly StepView[]): { readonly view: StepView; readonly position: number } | undefined {
  const index = views.findIndex((v) => !isSettled(v.status));
  return index < 0 ? undefined : { view: views[index]!, position: index + 1 };
}
