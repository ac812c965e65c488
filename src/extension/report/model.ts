/**
 * The recovery report: Markdown from the journal — what ran, where, when, by whom, with what
 * outcome, and the key output of each step — for the change board. Pure: the command gathers
 * the records, the plan's targets and the saved step output, this module writes the document.
 */
import type { JournalRecord, RunMode } from '../../core/recovery/journal';
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
  /** The text of one built-in inside a `lync` fence (the journal keeps the fence's text). */
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

interface RunRows {
  readonly runId: string;
  started?: Extract<JournalRecord, { type: 'run-started' }>;
  finished?: Extract<JournalRecord, { type: 'run-finished' }>;
  readonly rows: JournalRecord[];
}

const OUTCOME: Record<string, string> = { ok: 'completed', failed: 'FAILED', skipped: 'skipped' };

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
  }
  for (const r of openActions.values()) last.set(r.stepId, { outcome: t('INTERRUPTED'), at: r.at });

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
    if (run.rows.length === 0) {
      out.push(t('No action ran (everything was already done, or the run stopped before its first action).'), '');
      return;
    }
    out.push(`| ${t('Time')} | ${t('Step')} | ${t('Action')} | ${t('Where')} | ${t('Outcome')} |`, '| --- | --- | --- | --- | --- |');
    const started = new Map<string, ActionRecord>();
    const row = (at: string, stepId: string, what: string, where: string, outcome: string) =>
      out.push(`| ${cell(time(at))} | ${cell(stepName(stepId))} | ${what} | ${cell(where)} | ${cell(outcome)} |`);
    for (const r of run.rows) {
      if (r.type === 'action-started') {
        started.set(r.key, r);
        continue;
      }
      if (r.type === 'action-finished') {
        started.delete(r.key);
        const text = input.textOf?.(r.stepId, r.index, r.item) ?? texts.get(r.key) ?? '';
        const where = input.targetOf?.(r.stepId, r.index, r.item) ?? '';
        row(r.at, r.stepId, `${code(text)}${itemText(r.item)}`, where, `${OUTCOME[r.outcome] ?? r.outcome}${r.error ? `: ${r.error}` : ''}`);
      } else if (r.type === 'step-marked') {
        row(r.at, r.stepId, cell(r.mark === 'done' ? t('marked done by hand') : t('marked skipped')), '', r.reason ?? '');
      } else if (r.type === 'data-recorded') {
        row(r.at, r.stepId, cell(t('recorded {0}', r.name)), t('journal'), t('kept for later steps'));
      }
    }
    for (const r of started.values()) {
      if (r.type !== 'action-started') continue;
      row(r.at, r.stepId, `${code(input.textOf?.(r.stepId, r.index, r.item) ?? r.text)}${itemText(r.item)}`, input.targetOf?.(r.stepId, r.index, r.item) ?? '', t('INTERRUPTED: started, never finished'));
    }
    out.push('');
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
  return out.join('\n');
}
