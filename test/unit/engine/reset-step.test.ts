/**
 * Reset Step reopens a step after a mis-click on Mark done or Skip (or to run it again): a journaled
 * `step-reset` record, kept in the hash chain, after which the step's mark and completed actions no
 * longer count — but an action whose outcome is unknown is still verified before it is re-sent.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FileJournalStore } from '../../../src/adapters/journal';
import { markStep, resetStep, runRunbook, type RunOptions } from '../../../src/core/recovery';
import { renderReport } from '../../../src/extension/report/model';
import { FakeSql, MemoryJournal, ports } from './fakes';
import { FENCE, plan, runbookText } from './support';

const TWO_STEPS = runbookText(`## First {#first}\n${FENCE}sql on=backup\nSELECT 1;\n${FENCE}\n## Second {#second}\n${FENCE}sql on=backup\nSELECT 2;\n${FENCE}`);
const options = (sql: FakeSql, journal: MemoryJournal): RunOptions => ({ ports: ports(sql), journal, mode: 'rehearsal', confirm: async () => true });

describe('Reset Step', () => {
  it('a step marked done by mistake runs again after Reset Step', async () => {
    const sql = new FakeSql(() => []);
    const journal = new MemoryJournal();
    const p = await plan(TWO_STEPS);
    await markStep(p, journal, 'first', 'done');
    await runRunbook(p, options(sql, journal));
    assert.deepEqual(sql.sent.map((s) => s.text), ['SELECT 2;']);
    await resetStep(p, journal, 'first', 'marked done by mistake');
    assert.equal((await journal.state()).steps.has('first'), false);
    await runRunbook(p, options(sql, journal));
    assert.deepEqual(sql.sent.map((s) => s.text), ['SELECT 2;', 'SELECT 1;'], 'the reopened step runs; the other stays done');
  });

  it('a completed step runs again after Reset Step; an interrupted action stays to be verified', async () => {
    const sql = new FakeSql(() => []);
    const journal = new MemoryJournal();
    const p = await plan(TWO_STEPS);
    await runRunbook(p, options(sql, journal));
    const second = p.steps[1]!.actions[0]!;
    await journal.append({ type: 'action-started', ref: second.ref }); // sent again, then a crash
    await resetStep(p, journal, 'first');
    await resetStep(p, journal, 'second');
    const state = await journal.state();
    assert.deepEqual([...state.actions.values()].map((a) => [a.stepId, a.status]), [['second', 'started']]);
  });

  it('refuses a step the runbook does not have', async () => {
    await assert.rejects(resetStep(await plan(TWO_STEPS), new MemoryJournal(), 'third'), /no step "third"/);
  });

  it('is a chained record of the file journal, read back without a problem, and shown in the report', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lr-reset-'));
    try {
      const store = new FileJournalStore({ directory: dir });
      const runbook = path.join(dir, 'pc.runbook.md');
      const p = await plan(TWO_STEPS);
      const journal = await store.open(runbook);
      await markStep(p, journal, 'first', 'skipped');
      await resetStep(p, journal, 'first', 'skipped by mistake');
      await journal.close();
      const contents = await store.read(runbook);
      assert.deepEqual(contents.problems, []);
      assert.deepEqual(contents.records.map((r) => r.type), ['step-marked', 'step-reset']);
      const md = renderReport({ runbook: 'pc.runbook.md', title: 'Test', kind: 'custom', target: 'REHEARSAL', journal: 'j', generatedAt: 'now', generatedBy: 'me', steps: [{ id: 'first', title: 'First' }, { id: 'second', title: 'Second' }], records: contents.records });
      assert.match(md, /\| 1\. First \| reopened \|/);
      assert.match(md, /reopened \(Reset Step\) \|[^\n]*skipped by mistake/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
