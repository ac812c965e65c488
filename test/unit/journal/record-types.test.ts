/**
 * Every record the engine writes is read back as a record, not as a damaged line: a
 * `check-overridden` (an explicit override, e.g. of "the pool is down") was read back as
 * corrupt, so the journal looked tampered with after the first override.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { FileJournalStore } from '../../../src/adapters/journal';

it('check-overridden and step-reset records are read back, chained, without a problem', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lr-types-'));
  try {
    const store = new FileJournalStore({ directory: dir });
    const runbook = path.join(dir, 'fe.runbook.md');
    const journal = await store.open(runbook);
    await journal.append({ type: 'run-started', runbook, mode: 'rehearsal' });
    await journal.append({ type: 'check-overridden', check: 'precondition/pool-unreachable', stepId: 'fail-over-pool', message: 'atl-cs-001 answers' });
    await journal.append({ type: 'step-reset', stepId: 'fail-over-pool' });
    await journal.append({ type: 'run-finished', outcome: 'completed' });
    await journal.close();
    const contents = await store.read(runbook);
    assert.deepEqual(contents.problems, []);
    assert.deepEqual(contents.records.map((r) => r.type), ['run-started', 'check-overridden', 'step-reset', 'run-finished']);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
