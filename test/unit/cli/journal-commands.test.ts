/**
 * Issue 17 items 6 and 7: what the hints tell the admin to do can be done from a terminal —
 * `lync-runbook mark done|skip` (journaled, with the reason and the user) and
 * `lync-runbook lock show|break` (every lock of the runbook, breaking only stale ones, asked).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { FileJournalStore } from '../../../src/adapters/journal';
import { lock, mark } from '../../../src/cli/journal-commands';
import type { Io } from '../../../src/cli/run';
import { lockTargets } from '../../../src/core/recovery';
import { samplePlan, SAMPLES } from '../../integration/engine/helpers';

const RUNBOOK = path.join(SAMPLES, 'persistent-chat-failover.runbook.md');
/** Above any pid_max: a lock of this pid is stale. */
const DEAD_PID = 2_147_483_646;

let work: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-journal-'));
  fs.writeFileSync(path.join(work, 'settings.json'), JSON.stringify({ journalDirectory: path.join(work, 'journals') }));
  env = { LYNC_RECOVERY_SETTINGS: path.join(work, 'settings.json') };
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

function io(answer?: boolean): Io & { out: (l: string) => void; lines: string[]; questions: string[] } {
  const lines: string[] = [];
  const questions: string[] = [];
  return {
    lines,
    questions,
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
    ...(answer !== undefined ? { ask: async (q: string) => (questions.push(q), answer) } : {}),
  };
}

const store = (pid = process.pid) => new FileJournalStore({ directory: path.join(work, 'journals'), pid });

describe('lync-runbook mark', () => {
  test('records the mark with its reason and who made it; the journal state has it', async () => {
    const t = io();
    assert.equal(await mark(['done', 'activate-dallas', '--reason', 'ran Set-CsPersistentChatActiveServer by hand at 02:10', RUNBOOK], t, env), 0, t.lines.join('\n'));
    assert.match(t.lines.join('\n'), /Step activate-dallas marked done .* the next run skips it/);
    const contents = await store().read(RUNBOOK);
    const marked = contents.records.find((r) => r.type === 'step-marked');
    assert.deepEqual(marked && marked.type === 'step-marked' && [marked.stepId, marked.mark, marked.reason], ['activate-dallas', 'done', 'ran Set-CsPersistentChatActiveServer by hand at 02:10']);
    assert.equal(contents.records.find((r) => r.type === 'run-started' && r.user === os.userInfo().username)?.runId, marked?.runId);
    assert.equal((await mark(['skip', 'activate-dallas', '--reason', 'not needed', RUNBOOK], io(), env)), 0);
    const last = (await store().read(RUNBOOK)).records.filter((r) => r.type === 'step-marked').at(-1);
    assert.equal(last?.type === 'step-marked' && last.mark, 'skipped');
  });

  test('needs a reason and a step the runbook has', async () => {
    const noReason = io();
    assert.equal(await mark(['done', 'activate-dallas', RUNBOOK], noReason, env), 2);
    assert.match(noReason.lines.join('\n'), /--reason is required/);
    const unknown = io();
    assert.equal(await mark(['done', 'no-such-step', '--reason', 'x', RUNBOOK], unknown, env), 1);
    assert.match(unknown.lines.join('\n'), /has no step "no-such-step" \(steps: .*activate-dallas/);
    assert.equal((await store().read(RUNBOOK)).records.length, 0);
  });

  test('is refused while a run holds the runbook', async () => {
    const running = await store().open(RUNBOOK);
    const t = io();
    assert.equal(await mark(['done', 'activate-dallas', '--reason', 'x', RUNBOOK], t, env), 1);
    assert.match(t.lines.join('\n'), /Another run of .* is in progress/);
    await running.close();
  });
});

describe('lync-runbook lock', () => {
  const crashedRun = async () => {
    // A run whose process is gone, holding every lock of the runbook: never closed.
    await store(DEAD_PID).open(RUNBOOK, { targets: lockTargets(await samplePlan('persistent-chat-failover.runbook.md')) });
  };

  test('show lists the runbook, its text and every recovery target, free or held', async () => {
    const free = io();
    assert.equal(await lock(['show', RUNBOOK], free, env), 0);
    assert.ok(free.lines.length >= 4, free.lines.join('\n'));
    assert.ok(free.lines.every((l) => l.startsWith('free')));
    assert.match(free.lines.join('\n'), /runbook text sha256:[0-9a-f]{64}/);
    assert.match(free.lines.join('\n'), /sql instance dal-pcbak/);
    await crashedRun();
    const stale = io();
    assert.equal(await lock(['show', RUNBOOK], stale, env), 0);
    assert.ok(stale.lines.every((l) => l.startsWith('stale') && l.includes(`pid ${DEAD_PID}`) && /process is gone/.test(l)), stale.lines.join('\n'));
  });

  test('break asks, then removes the stale locks; a run can start afterwards', async () => {
    await crashedRun();
    const declined = io(false);
    assert.equal(await lock(['break', RUNBOOK], declined, env), 1);
    assert.match(declined.questions[0] ?? '', /Break \d+ lock\(s\)\? Only if no run/);
    assert.ok((await store().inspectLocks(RUNBOOK)).every((l) => l.state === 'stale'));
    const agreed = io(true);
    assert.equal(await lock(['break', RUNBOOK], agreed, env), 0, agreed.lines.join('\n'));
    assert.ok(agreed.lines.some((l) => l.startsWith('broken: sql instance')));
    const after = io();
    await lock(['show', RUNBOOK], after, env);
    assert.ok(after.lines.every((l) => l.startsWith('free')), after.lines.join('\n'));
  });

  test('break refuses the locks of a run whose process is running, and needs a terminal or --yes', async () => {
    const running = await store().open(RUNBOOK);
    const t = io(true);
    assert.equal(await lock(['break', RUNBOOK], t, env), 1);
    assert.match(t.lines.join('\n'), /process is running here .* stop that run first/);
    assert.equal(t.questions.length, 0);
    await running.close();
    await crashedRun();
    const noTerminal = io();
    assert.equal(await lock(['break', RUNBOOK], noTerminal, env), 2);
    assert.equal(await lock(['break', '--yes', RUNBOOK], io(), env), 0);
  });
});
