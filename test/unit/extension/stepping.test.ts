/** Runbook stepping's view model: journal → step states, lenses, status bar, failure lines. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { journalState, type ActionRef, type JournalRecord } from '../../../src/core/recovery/journal';
import {
  failureLine,
  nextStep,
  runSummary,
  statusBarView,
  stepLenses,
  SteppingCommand,
  stepViews,
  targetLabel,
  topLenses,
  type StepShape,
} from '../../../src/extension/stepping/model';

const keyOf = (ref: ActionRef) => `${ref.stepId}#${ref.index}#${ref.text}${ref.item ? `#${ref.item}` : ''}`;

const STEPS: StepShape[] = [
  { id: 'capture', title: 'Capture the log-shipping state', line: 10, actions: [{ index: 0, text: 'snapshot-log-shipping database=mgc on=backup' }] },
  { id: 'remove', title: 'Remove log shipping', line: 16, actions: [{ index: 0, text: "EXEC sp_delete_log_shipping_secondary_database N'mgc'" }] },
  { id: 'copy', title: 'Copy the log backups', line: 22, actions: [{ index: 0, text: 'copy-log-backups database=mgc' }, { index: 1, text: 'confirm "copied"' }] },
  { id: 'prose', title: 'Read this', line: 30, actions: [] },
];

let seq = 0;
const base = (runId = 'r1') => ({ v: 1 as const, seq: seq++, at: `2024-05-01T10:00:${String(seq).padStart(2, '0')}Z`, runId });
const started = (stepId: string, index: number, text: string): JournalRecord => ({ ...base(), type: 'action-started', key: keyOf({ stepId, index, text }), stepId, index, text });
const finished = (stepId: string, index: number, text: string, outcome: 'ok' | 'failed', error?: string): JournalRecord => ({
  ...base(),
  type: 'action-finished',
  key: keyOf({ stepId, index, text }),
  stepId,
  index,
  outcome,
  ...(error ? { error } : {}),
});
const state = (records: JournalRecord[]) => journalState({ records, problems: [] });
const t0 = (i: number) => STEPS[i]!.actions[0]!.text;

describe('stepViews: the journal decides', () => {
  it('an empty (or missing) journal: every step pending', () => {
    assert.deepEqual(stepViews(STEPS, undefined, keyOf).map((v) => v.status), ['pending', 'pending', 'pending', 'pending']);
    assert.deepEqual(stepViews(STEPS, state([]), keyOf).map((v) => v.status), ['pending', 'pending', 'pending', 'pending']);
  });

  it('completed, failed, partial, interrupted, marked', () => {
    const views = stepViews(
      STEPS,
      state([
        started('capture', 0, t0(0)),
        finished('capture', 0, t0(0), 'ok'),
        started('remove', 0, t0(1)),
        finished('remove', 0, t0(1), 'failed', 'SQL Server error 32011: no such secondary'),
        started('copy', 0, t0(2)),
        finished('copy', 0, t0(2), 'ok'),
        { ...base(), type: 'step-marked', stepId: 'prose', mark: 'skipped' },
      ]),
      keyOf,
    );
    assert.deepEqual(views.map((v) => v.status), ['done', 'failed', 'partial', 'skipped']);
    assert.equal(views[1]!.error, 'SQL Server error 32011: no such secondary');
    assert.deepEqual([views[2]!.completed, views[2]!.total], [1, 2]);
    assert.equal(views[3]!.mark, 'skipped');
  });

  it('a retry that completes wins over the earlier failure (later records win)', () => {
    const views = stepViews(STEPS, state([started('remove', 0, t0(1)), finished('remove', 0, t0(1), 'failed', 'x'), started('remove', 0, t0(1)), finished('remove', 0, t0(1), 'ok')]), keyOf);
    assert.equal(views[1]!.status, 'done');
  });

  it('started and never finished: interrupted, unless it is the step running now', () => {
    const s = state([started('capture', 0, t0(0))]);
    assert.equal(stepViews(STEPS, s, keyOf)[0]!.status, 'interrupted');
    assert.equal(stepViews(STEPS, s, keyOf, 'capture')[0]!.status, 'running');
  });

  it('an edited action is a new action: the step is pending again', () => {
    const s = state([started('capture', 0, t0(0)), finished('capture', 0, t0(0), 'ok')]);
    const edited = STEPS.map((step) => (step.id === 'capture' ? { ...step, actions: [{ index: 0, text: 'snapshot-log-shipping database=mgccomp on=backup' }] } : step));
    assert.equal(stepViews(edited, s, keyOf)[0]!.status, 'pending');
  });

  it('marked done wins over the actions, and a step without actions is only done when marked', () => {
    const s = state([{ ...base(), type: 'step-marked', stepId: 'remove', mark: 'done' }]);
    const views = stepViews(STEPS, s, keyOf);
    assert.equal(views[1]!.status, 'done');
    assert.equal(views[3]!.status, 'pending');
  });

  it('nextStep is the first step neither done nor skipped', () => {
    const views = stepViews(STEPS, state([started('capture', 0, t0(0)), finished('capture', 0, t0(0), 'ok')]), keyOf);
    assert.equal(nextStep(views)?.id, 'remove');
  });
});

describe('status bar', () => {
  const views = stepViews(STEPS, state([started('capture', 0, t0(0)), finished('capture', 0, t0(0), 'ok'), { ...base(), type: 'step-marked', stepId: 'prose', mark: 'skipped' }]), keyOf);

  it('"PC Failover 2/4": kind short name and done-or-skipped / total', () => {
    const v = statusBarView('persistent-chat-failover', views, { kind: 'live', estateName: 'Litware' });
    assert.equal(v.text, '$(checklist) PC Failover 2/4');
    assert.equal(v.tone, undefined);
    assert.match(v.tooltip, /^PC Failover — LIVE: Litware\n2 of 4 steps done or skipped/);
    assert.match(v.tooltip, /✓ 1\. Capture the log-shipping state — done/);
    assert.match(v.tooltip, /○ 2\. Remove log shipping — not run/);
  });

  it('rehearsal says so and is tinted; a failure shows as an error; all done shows a pass', () => {
    assert.equal(statusBarView('pool-failover', views, { kind: 'rehearsal', scenario: 'pool-loss' }).text, '$(checklist) REHEARSAL Pool Failover 2/4');
    assert.equal(statusBarView('pool-failover', views, { kind: 'rehearsal', scenario: 'pool-loss' }).tone, 'warning');
    const failed = stepViews(STEPS, state([started('capture', 0, t0(0)), finished('capture', 0, t0(0), 'failed', 'boom')]), keyOf);
    const f = statusBarView(undefined, failed, { kind: 'live' });
    assert.equal(f.text, '$(error) Runbook 0/4');
    assert.equal(f.tone, 'error');
    const all = stepViews(STEPS, state(STEPS.map((s) => ({ ...base(), type: 'step-marked' as const, stepId: s.id, mark: 'done' as const }))), keyOf);
    assert.equal(statusBarView('conference-restore', all, { kind: 'live' }).text, '$(pass-filled) Conference Restore 4/4');
  });
});

describe('lenses', () => {
  const views = stepViews(STEPS, state([started('capture', 0, t0(0)), finished('capture', 0, t0(0), 'ok'), started('remove', 0, t0(1)), finished('remove', 0, t0(1), 'failed', 'boom')]), keyOf);

  it('a pending step: Run step, Dry run, Mark done, Skip — all carrying the step id', () => {
    const lenses = stepLenses(views[2]!);
    assert.deepEqual(lenses.map((l) => l.command), [SteppingCommand.runStep, SteppingCommand.dryRunStep, SteppingCommand.markStepDone, SteppingCommand.skipStep]);
    const pending = stepLenses(views[3]!);
    assert.deepEqual(pending.map((l) => l.title), ['▶ Run step', 'Dry run', 'Mark done', 'Skip']);
    assert.ok(pending.every((l) => l.args[0] === 'prose'));
  });

  it('a failed step: Retry and Show output', () => {
    const titles = stepLenses(views[1]!).map((l) => l.title);
    assert.ok(titles.includes('$(debug-restart) Retry'));
    assert.ok(titles.includes('Show output'));
    assert.ok(!titles.includes('▶ Run step'));
  });

  it('a done step offers no run, no mark, but Reset step (to reopen it); a running one only its output', () => {
    assert.deepEqual(stepLenses(views[0]!).map((l) => l.command), [SteppingCommand.showStepOutput, SteppingCommand.dryRunStep, SteppingCommand.resetStep]);
    const skipped = stepViews(STEPS, state([{ ...base(), type: 'step-marked', stepId: 'copy', mark: 'skipped' }]), keyOf)[2]!;
    assert.deepEqual(stepLenses(skipped).map((l) => l.title), ['⤼ skipped', 'Dry run', 'Reset step']);
    assert.deepEqual(stepLenses(skipped).at(-1)!.args, ['copy']);
    const running = stepViews(STEPS, undefined, keyOf, 'copy')[2]!;
    assert.deepEqual(stepLenses(running).map((l) => l.command), [SteppingCommand.showStepOutput]);
  });

  it('top: the target, Run remaining with the count, dry run, progress', () => {
    const lenses = topLenses(views, { kind: 'rehearsal', scenario: 'pchat-dc-loss' });
    assert.deepEqual(lenses.map((l) => l.title), ['$(beaker) REHEARSAL: lab pchat-dc-loss', '▶ Run remaining (3 of 4)', 'Dry run all', '1/4 done']);
    assert.equal(topLenses(views, { kind: 'live', estateName: 'Litware' })[0]!.title, '$(plug) LIVE: Litware');
  });
});

describe('labels and failure lines', () => {
  it('target labels', () => {
    assert.equal(targetLabel({ kind: 'live', estateName: 'Litware' }), 'LIVE: Litware');
    assert.equal(targetLabel({ kind: 'live' }), 'LIVE');
    assert.equal(targetLabel({ kind: 'rehearsal', scenario: 'pool-loss' }), 'REHEARSAL: lab pool-loss');
  });

  it('the engine failure with its hint, else the journal error, else interrupted', () => {
    const views = stepViews(STEPS, state([started('capture', 0, t0(0)), finished('capture', 0, t0(0), 'failed', 'refused'), started('remove', 0, t0(1))]), keyOf);
    assert.equal(failureLine(views[0]!, { stepId: 'capture', message: 'Step capture failed (line 12) on backup dal-pcbak: refused', hint: 'Check that the instance is up.' }), 'Step capture failed (line 12) on backup dal-pcbak: refused — What to do: Check that the instance is up.');
    assert.equal(failureLine(views[0]!, undefined), 'Failed: refused');
    assert.match(failureLine(views[1]!, undefined)!, /^Interrupted/);
    assert.equal(failureLine(views[2]!, undefined), undefined);
  });
});

describe('the end of a run', () => {
  const views = stepViews(STEPS, state([started('capture', 0, t0(0)), finished('capture', 0, t0(0), 'ok'), { ...base(), type: 'step-marked', stepId: 'remove', mark: 'skipped' }]), keyOf);

  it('says what ran now and where the runbook stands, N/M counted as the status bar counts', () => {
    assert.equal(runSummary('REHEARSAL: lab pool-loss', 1, views), 'REHEARSAL: lab pool-loss: 1 step run now; 2/4 done — 2 left.');
    assert.equal(statusBarView(undefined, views, { kind: 'live' }).text.endsWith(' 2/4'), true, 'the same N/M as the status bar');
    const all = stepViews(STEPS, state(STEPS.map((s) => ({ ...base(), type: 'step-marked' as const, stepId: s.id, mark: 'done' as const }))), keyOf);
    assert.equal(runSummary('LIVE: Litware', 4, all), 'LIVE: Litware: 4 steps run now; 4/4 done — every step is done or skipped.');
  });
});
