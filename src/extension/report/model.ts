/**
 * The recovery report: Markdown from the journal — what ran, where, when, by whom, with what
 * outcome, and the key output of each step — for the change board. Pure: the command gathers
 * the records, the plan's targets and the saved step output, this module writes the document.
 *
 * A `lync` fence is journaled as a wrapper unit around one unit per built-in (engine.ts): the
 * Runs table lists the built-ins, one row each, and the wrapper only when it carries an outcome
 * no built-in of that run records (a declined confirmation, a crash before the built-in started).
 */
import type { JournalRecord, RunMode } from '../../core/recovery/journal';
import type { PlannedAction, PlannedLyncCommand, RunPlan } from '../../core/recovery/plan';
import { describeEndpoint } from '../../core/recovery/targets';
import { parseLyncLine } from '../../core/runbook/lync';
import { showControlCharacters, showHidden } from '../../core/text';
import { numberedTitle } from '../stepping/model';
import { formatMessage, type Translate } from '../translate';

export interface ReportStep {
  readonly id: string;
  readonly title: string;
}

export interface ReportInput {
  /** The runbook as the admin knows it (workspace-relative path). */
  readonly runbook: string;
  readonly title: string;
  readonly kind?: string;
  /** "LIVE: Litware" / "REHEARSAL: lab pchat-dc-loss". */
  readonly target: string;
  /** The journal file (for the audit trail). */
  readonly journal: string;
  readonly generatedAt: string;
  readonly generatedBy: string;
  readonly steps: readonly ReportStep[];
  readonly records: readonly JournalRecord[];
  /** Lines the journal could not read (torn last write after a crash, corruption). */
  readonly problems?: number;
  /** Where an action ran: the plan's target of (step, action index, item). */
  readonly targetOf?: (stepId: string, index: number, item?: string) => string | undefined;
  /** The text of one built-in inside a `lync` fence, when the fence text the journal kept does not give its line. */
  readonly textOf?: (stepId: string, index: number, item?: string) => string | undefined;
  /** Saved output per step (the per-step output views), most recent run last. */
  readonly outputs?: ReadonlyMap<string, readonly string[]>;
  /** How many output lines per step the report keeps (default 15, the last ones). */
  readonly outputLines?: number;
  /** How to print a timestamp (default: the ISO text). */
  readonly time?: (iso: string) => string;
}

/** A table cell: pipes escaped (also inside code spans, as GFM tables require), line breaks kept readable. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** Inline code that survives backticks in the text. */
export function code(text: string): string {
  const oneLine = text.replace(/\r?\n/g, ' ⏎ ');
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${cell(oneLine)}${pad}${fence}`;
}

/** A fenced block that survives backtick fences in the text. */
function block(lines: readonly string[], info = 'text'): string {
  const longest = Math.max(2, ...lines.flatMap((l) => l.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${info}`, ...lines, fence].join('\n');
}

/** A unit inside an action (`0:copy-log-backups/mgc_20240501.trn`): shown after the action's text. */
const itemText = (item: string | undefined) => {
  const unit = item?.split('/').slice(1).join('/');
  return unit ? ` — ${cell(unit)}` : '';
};

type ActionRecord = Extract<JournalRecord, { type: 'action-started' | 'action-finished' }>;

/** The built-ins of a `lync` fence as the planner numbers them: `item` (`<position>:<name>`) and the line. */
function fenceCommands(text: string): { item: string; text: string }[] {
  return text.split(/\r?\n/).flatMap((line) => {
    const command = parseLyncLine(line, 0, 0);
    return command ? [command] : [];
  }).map((c, position) => ({ item: `${position}:${c.name}`, text: c.text }));
}

/** `<position>:<name>` of a built-in's item, without its unit (`…/apply:<file>`). */
const commandItem = (item: string) => item.split('/')[0]!;

/** Where an action runs and the text of one built-in, looked up in the plan (the report's "Where" and "Action"). */
export interface PlanLookups {
  readonly targetOf: (stepId: string, index: number, item?: string) => string | undefined;
  readonly textOf: (stepId: string, index: number, item?: string) => string | undefined;
}

export function planLookups(plan: RunPlan): PlanLookups {
  const actionOf = (stepId: string, index: number) => plan.steps.find((s) => s.id === stepId)?.actions.find((a) => a.ref.index === index);
  const commandOf = (action: PlannedAction | undefined, item: string | undefined): PlannedLyncCommand | undefined =>
    action?.kind === 'lync' && item !== undefined ? action.commands.find((c) => c.ref.item === commandItem(item)) : undefined;
  const where = (c: PlannedLyncCommand) =>
    c.target ? describeEndpoint(c.target) : c.call.name === 'copy-log-backups' ? 'files: share → copy folder' : c.call.name === 'confirm' ? 'the operator' : 'Lync Server Management Shell';
  return {
    targetOf: (stepId, index, item) => {
      const action = actionOf(stepId, index);
      switch (action?.kind) {
        case undefined:
          return undefined;
        case 'sql':
          return describeEndpoint(action.target);
        case 'powershell':
          return 'Lync Server Management Shell';
        case 'lync': {
          const command = commandOf(action, item);
          return command ? where(command) : [...new Set(action.commands.map(where))].join(', ');
        }
      }
    },
    textOf: (stepId, index, item) => commandOf(actionOf(stepId, index), item)?.text,
  };
}

interface RunRows {
  readonly runId: string;
  started?: Extract<JournalRecord, { type: 'run-started' }>;
  finished?: Extract<JournalRecord, { type: 'run-finished' }>;
  readonly rows: JournalRecord[];
}

// `interrupted`: sent, then cut off (timeout, lost connection) — nobody knows whether it took effect.
const OUTCOME: Record<string, string> = { ok: 'completed', failed: 'FAILED', skipped: 'skipped', interrupted: 'INTERRUPTED (outcome unknown)' };

export function renderReport(input: ReportInput, t: Translate = formatMessage): string {
  const time = input.time ?? ((iso: string) => iso);
  const title = new Map(input.steps.map((s) => [s.id, s.title]));
  // Numbered headings ("## 2. Remove…") keep their own number.
  const stepName = (id: string) => (title.has(id) ? numberedTitle(input.steps.findIndex((s) => s.id === id) + 1, title.get(id)!) : id);
  const texts = new Map<string, string>();
  for (const r of input.records) if (r.type === 'action-started') texts.set(r.key, r.text);

  const runs: RunRows[] = [];
  const byId = new Map<string, RunRows>();
  for (const r of input.records) {
    let run = byId.get(r.runId);
    if (!run) {
      run = { runId: r.runId, rows: [] };
      byId.set(r.runId, run);
      runs.push(run);
    }
    if (r.type === 'run-started') run.started = r;
    else if (r.type === 'run-finished') run.finished = r;
    else run.rows.push(r);
  }

  // The latest word on each step: its last action outcome or mark.
  const last = new Map<string, { outcome: string; at: string }>();
  const openActions = new Map<string, ActionRecord>();
  for (const r of input.records) {
    if (r.type === 'action-started') openActions.set(r.key, r);
    if (r.type === 'action-finished') {
      openActions.delete(r.key);
      if (r.item === undefined || !last.has(r.stepId) || r.outcome === 'failed') last.set(r.stepId, { outcome: OUTCOME[r.outcome] ?? r.outcome, at: r.at });
    }
    if (r.type === 'step-marked') last.set(r.stepId, { outcome: r.mark === 'done' ? t('marked done') : t('marked skipped'), at: r.at });
    if (r.type === 'step-reset') last.set(r.stepId, { outcome: t('reopened'), at: r.at });
  }
  for (const r of openActions.values()) last.set(r.stepId, { outcome: t('INTERRUPTED'), at: r.at });

  // Fences journaled with per-built-in units are `lync` fences: their own record is a wrapper.
  const fenceKey = (stepId: string, index: number, text: string) => `${stepId}\u0000${index}\u0000${text}`;
  const lyncFences = new Set<string>();
  for (const r of input.records) if (r.type === 'action-started' && r.item !== undefined) lyncFences.add(fenceKey(r.stepId, r.index, r.text));
  const isWrapper = (r: ActionRecord) => r.item === undefined && lyncFences.has(fenceKey(r.stepId, r.index, texts.get(r.key) ?? ''));

  /**
   * What an action ran: a built-in (or a unit of it) is its own line of the fence the journal
   * kept (what ran then, even if the runbook changed since), else the plan's text; any other
   * action is its fence.
   */
  const commandText = (r: ActionRecord, fence: string | undefined): string => {
    const own = r.item === undefined ? undefined : fenceCommands(fence ?? '').find((c) => c.item === commandItem(r.item!));
    return own?.text ?? input.textOf?.(r.stepId, r.index, r.item) ?? fence ?? '';
  };

  /**
   * The built-in a wrapper stopped at when none of its built-ins recorded why (declined before it
   * was sent, a crash at its confirmation): the first one with no `ok` record before `until`.
   */
  const pendingCommand = (wrapper: ActionRecord, until: number) => {
    const fence = texts.get(wrapper.key) ?? '';
    const done = new Set<string>();
    for (const r of input.records.slice(0, until)) {
      if (r.type === 'action-finished' && r.outcome === 'ok' && r.item !== undefined && !r.item.includes('/') && r.stepId === wrapper.stepId && r.index === wrapper.index && texts.get(r.key) === fence) done.add(r.item);
    }
    return fenceCommands(fence).find((c) => !done.has(c.item));
  };

  /** The rows of one run's table: every action once — a `lync` fence's built-ins, not the fence itself. */
  const runRows = (run: RunRows): string[] => {
    const rows: string[] = [];
    const row = (at: string, stepId: string, what: string, where: string, outcome: string) =>
      rows.push(`| ${cell(time(at))} | ${cell(stepName(stepId))} | ${what} | ${cell(where)} | ${cell(outcome)} |`);
    // Within one run a (step, index) is one fence: the plan does not change while it runs.
    const fences = new Map<string, string>();
    const builtIns = (r: ActionRecord) => run.rows.filter((x): x is ActionRecord => (x.type === 'action-started' || x.type === 'action-finished') && x.item !== undefined && x.stepId === r.stepId && x.index === r.index);
    /** A wrapper's outcome on the row of the built-in it stopped at (the fence as a whole if none is left). */
    const wrapperRow = (r: ActionRecord, at: string, outcome: string, until: number) => {
      const pending = pendingCommand(r, until);
      const item = pending?.item;
      const text = pending?.text ?? texts.get(r.key) ?? '';
      row(at, r.stepId, code(text), input.targetOf?.(r.stepId, r.index, item) ?? '', outcome);
    };
    const started = new Map<string, Extract<JournalRecord, { type: 'action-started' }>>();
    for (const r of run.rows) {
      if (r.type === 'action-started') {
        started.set(r.key, r);
        fences.set(`${r.stepId}\u0000${r.index}`, r.text);
        continue;
      }
      if (r.type === 'action-finished') {
        started.delete(r.key);
        const failure = `${OUTCOME[r.outcome] ?? r.outcome}${r.error ? `: ${r.error}` : ''}`;
        if (isWrapper(r)) {
          // Its built-ins' rows say what ran; it needs a row only for a failure none of them records.
          if (r.outcome !== 'ok' && !builtIns(r).some((x) => x.type === 'action-finished' && x.outcome !== 'ok')) wrapperRow(r, r.at, failure, input.records.indexOf(r));
          continue;
        }
        const text = commandText(r, texts.get(r.key) ?? fences.get(`${r.stepId}\u0000${r.index}`));
        const where = input.targetOf?.(r.stepId, r.index, r.item) ?? '';
        row(r.at, r.stepId, `${code(text)}${itemText(r.item)}`, where, failure);
      } else if (r.type === 'step-marked') {
        row(r.at, r.stepId, cell(r.mark === 'done' ? t('marked done by hand') : t('marked skipped')), '', r.reason ?? '');
      } else if (r.type === 'step-reset') {
        row(r.at, r.stepId, cell(t('reopened (Reset Step)')), '', r.reason ?? '');
      } else if (r.type === 'data-recorded') {
        row(r.at, r.stepId, cell(t('recorded {0}', r.name)), t('journal'), t('kept for later steps'));
      }
    }
    for (const r of started.values()) {
      if (isWrapper(r)) {
        // Interrupted between its built-ins or at a confirmation: the next one was never sent.
        if (!builtIns(r).some((x) => started.has(x.key))) wrapperRow(r, r.at, t('INTERRUPTED: not sent (the run stopped before it)'), input.records.indexOf(run.rows.at(-1)!) + 1);
        continue;
      }
      row(r.at, r.stepId, `${code(commandText(r, r.text))}${itemText(r.item)}`, input.targetOf?.(r.stepId, r.index, r.item) ?? '', t('INTERRUPTED: started, never finished'));
    }
    return rows;
  };

  const modes = new Set(runs.map((r) => r.started?.mode).filter((m): m is RunMode => m !== undefined));
  const out: string[] = [];
  out.push(`# ${t('Recovery report')} — ${input.title}`, '');
  if (modes.has('rehearsal') && !modes.has('live')) out.push(`> **${t('REHEARSAL')}** — ${t('every run below went to a simulated estate (the rehearsal lab); nothing touched the live servers.')}`, '');
  out.push(`| | |`, `| --- | --- |`);
  out.push(`| ${t('Runbook')} | ${code(input.runbook)} |`);
  if (input.kind) out.push(`| ${t('Kind')} | ${cell(input.kind)} |`);
  out.push(`| ${t('Target')} | ${cell(input.target)} |`);
  out.push(`| ${t('Runs')} | ${runs.filter((r) => r.started).length} |`);
  out.push(`| ${t('Journal')} | ${code(input.journal)} |`);
  out.push(`| ${t('Generated')} | ${cell(`${time(input.generatedAt)} — ${input.generatedBy}`)} |`, '');
  if (input.problems) out.push(`> ${t('Warning: {0} journal line(s) could not be read (a write torn by a crash, or corruption); the report shows the rest.', input.problems)}`, '');

  out.push(`## ${t('Steps')}`, '', `| ${t('Step')} | ${t('Outcome')} | ${t('When')} |`, '| --- | --- | --- |');
  for (const s of input.steps) {
    const l = last.get(s.id);
    out.push(`| ${cell(stepName(s.id))} | ${l ? cell(l.outcome) : t('not run')} | ${l ? cell(time(l.at)) : ''} |`);
  }
  out.push('');

  out.push(`## ${t('Runs')}`, '');
  if (runs.length === 0) out.push(t('Nothing has run yet: the journal is empty.'), '');
  runs.forEach((run, i) => {
    const s = run.started;
    const who = s ? t('by {0} on {1}', s.user ?? t('an unknown user'), s.host) : '';
    const mode = s ? (s.mode === 'rehearsal' ? t('REHEARSAL') : t('LIVE')) : '';
    const outcome = run.finished ? run.finished.outcome : t('did not record its end (interrupted, or still running)');
    out.push(`### ${t('Run {0}', i + 1)} — ${[mode, s ? time(s.at) : '', who].filter(Boolean).join(', ')} — ${outcome}`, '');
    if (run.finished?.error) out.push(`> ${cell(run.finished.error)}`, '');
    // Checks a person waived for this run (journaled when it started, or at a step's precondition).
    const overridden = run.rows.filter((r): r is Extract<JournalRecord, { type: 'check-overridden' }> => r.type === 'check-overridden');
    if (overridden.length > 0) {
      out.push(`**${t('Checks overridden')}**`, '', `| ${t('Time')} | ${t('Check')} | ${t('Step')} | ${t('What it found')} | ${t('Reason given')} |`, '| --- | --- | --- | --- | --- |');
      for (const o of overridden) out.push(`| ${cell(time(o.at))} | ${code(o.check)} | ${o.stepId ? cell(stepName(o.stepId)) : t('whole run')} | ${cell(showControlCharacters(o.message))} | ${cell(o.reason ?? t('confirmed by the operator'))} |`);
      out.push('');
    }
    const rows = runRows(run);
    if (rows.length === 0) {
      out.push(t('No action ran (everything was already done, or the run stopped before its first action).'), '');
      return;
    }
    out.push(`| ${t('Time')} | ${t('Step')} | ${t('Action')} | ${t('Where')} | ${t('Outcome')} |`, '| --- | --- | --- | --- | --- |', ...rows, '');
  });

  const limit = input.outputLines ?? 15;
  const outputs = input.steps.filter((s) => (input.outputs?.get(s.id)?.length ?? 0) > 0);
  if (outputs.length > 0) {
    out.push(`## ${t('Key output')}`, '');
    for (const s of outputs) {
      const lines = input.outputs!.get(s.id)!;
      out.push(`### ${stepName(s.id)}`, '');
      if (lines.length > limit) out.push(`_${t('the last {0} of {1} lines', limit, lines.length)}_`, '');
      out.push(block(lines.slice(-limit)), '');
    }
  }
  // Runbook text and server output are shown with their hidden characters escaped.
  return showHidden(out.join('\n'));
}
