import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { actionKey, FileJournalStore, journalFileName, JournalLockedError, parseJournalText, runbookId, type FileJournalOptions } from '../../../src/adapters/journal';
import type { ActionRef } from '../../../src/core/recovery/journal';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lr-journal-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

let clock = 0;
const store = (more: Partial<FileJournalOptions> = {}) =>
  new FileJournalStore({ directory: path.join(dir, 'journals'), now: () => new Date(Date.UTC(2024, 0, 1) + clock++ * 1000), host: 'host-a', pid: 4242, isAlive: () => true, ...more });
const runbook = () => path.join(dir, 'pc-failover.runbook.md');
const ref = (stepId: string, index: number, text: string, item?: string): ActionRef => ({ stepId, index, text, ...(item ? { item } : {}) });

describe('keys', () => {
  const id = runbookId('/x/failover.runbook.md', 'linux');
  const base = actionKey(id, ref('remove-log-shipping', 0, "EXEC sp_delete_log_shipping_secondary_database N'mgc';"));

  test('are stable and change with the runbook, step, index, text or item', () => {
    assert.equal(actionKey(id, ref('remove-log-shipping', 0, "EXEC sp_delete_log_shipping_secondary_database N'mgc';")), base);
    const variants = [
      actionKey(runbookId('/y/failover.runbook.md', 'linux'), ref('remove-log-shipping', 0, "EXEC sp_delete_log_shipping_secondary_database N'mgc';")),
      actionKey(id, ref('other-step', 0, "EXEC sp_delete_log_shipping_secondary_database N'mgc';")),
      actionKey(id, ref('remove-log-shipping', 1, "EXEC sp_delete_log_shipping_secondary_database N'mgc';")),
      actionKey(id, ref('remove-log-shipping', 0, "EXEC sp_delete_log_shipping_secondary_database N'mgccomp';")),
      actionKey(id, ref('remove-log-shipping', 0, "EXEC sp_delete_log_shipping_secondary_database N'mgc';", 'mgc_1.trn')),
    ];
    assert.equal(new Set([base, ...variants]).size, variants.length + 1);
  });

  test('ignore line endings and trailing blanks', () => {
    assert.equal(actionKey(id, ref('s', 0, 'a\r\nb  \r\n')), actionKey(id, ref('s', 0, 'a\nb')));
  });

  test('runbook ids fold case where the file system does', () => {
    assert.equal(runbookId('/X/A.md', 'win32'), runbookId('/x/a.md', 'win32'));
    assert.notEqual(runbookId('/X/A.md', 'linux'), runbookId('/x/a.md', 'linux'));
  });

  test('journal file names are readable and hashed per runbook path', () => {
    assert.match(journalFileName('/x/pc-failover.runbook.md'), /^pc-failover-[0-9a-f]{16}\.jsonl$/);
    assert.notEqual(journalFileName('/x/pc-failover.runbook.md'), journalFileName('/y/pc-failover.runbook.md'));
  });
});

describe('FileJournal', () => {
  test('records events durably, one JSON line each, and folds them into state', async () => {
    const j = await store({ newRunId: () => 'run-1' }).open(runbook());
    const done = ref('remove-log-shipping', 0, 'EXEC …');
    const crashed = ref('apply-log-backups', 0, 'apply-log-backups database=mgc on=backup', 'mgc_2.trn');
    const bad = ref('recover', 0, 'RESTORE DATABASE [mgc] WITH RECOVERY;');
    await j.append({ type: 'run-started', runbook: runbook(), mode: 'live' });
    await j.append({ type: 'action-started', ref: done });
    await j.append({ type: 'action-finished', ref: done, outcome: 'ok', output: 'Commands completed successfully.' });
    await j.append({ type: 'data-recorded', ref: done, name: 'log-shipping', data: { last_copied_file: 'mgc_1.trn' } });
    await j.append({ type: 'step-marked', stepId: 'remove-log-shipping', mark: 'done' });
    await j.append({ type: 'action-started', ref: crashed });
    await j.append({ type: 'action-started', ref: bad });
    await j.append({ type: 'action-finished', ref: bad, outcome: 'failed', error: 'Msg 3101: Exclusive access could not be obtained' });

    // Durable before the promise resolved: the bytes are in the file now.
    const text = await fs.readFile(j.file, 'utf8');
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 8);
    assert.deepEqual(lines.map((l) => JSON.parse(l).seq), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.ok(lines.every((l) => l.startsWith('{"v":1,')));
    assert.ok(!text.includes('Commands completed successfully.'), 'output is digested, not stored');
    assert.ok(text.includes(`sha256:${createHash('sha256').update('Commands completed successfully.').digest('hex')}`));

    const state = await j.state();
    assert.equal(state.actions.get(j.keyOf(done))?.status, 'completed');
    assert.equal(state.actions.get(j.keyOf(crashed))?.status, 'started');
    assert.equal(state.actions.get(j.keyOf(crashed))?.item, 'mgc_2.trn');
    assert.equal(state.actions.get(j.keyOf(bad))?.status, 'failed');
    assert.match(state.actions.get(j.keyOf(bad))?.error ?? '', /Exclusive access/);
    assert.deepEqual(state.steps.get('remove-log-shipping'), { mark: 'done', at: '2024-01-01T00:00:05.000Z' });
    assert.deepEqual(state.data.get(`${j.keyOf(done)}/log-shipping`), { last_copied_file: 'mgc_1.trn' });
    assert.deepEqual(state.runs, [{ runId: 'run-1', startedAt: '2024-01-01T00:00:01.000Z' }]);
    await j.close();
  });

  test('a later run continues the sequence and a re-run action takes its latest outcome', async () => {
    const s = store();
    const a = ref('s', 0, 'x');
    const first = await s.open(runbook());
    await first.append({ type: 'action-started', ref: a });
    await first.append({ type: 'action-finished', ref: a, outcome: 'failed', error: 'boom' });
    await first.append({ type: 'run-finished', outcome: 'failed' });
    await first.close();
    const second = await s.open(runbook());
    await second.append({ type: 'action-started', ref: a });
    const r = await second.append({ type: 'action-finished', ref: a, outcome: 'ok' });
    assert.equal(r.seq, 4);
    const state = await second.state();
    assert.equal(state.actions.get(second.keyOf(a))?.status, 'completed');
    assert.equal(state.runs.length, 1, 'only runs that recorded run-started or run-finished are listed');
    assert.equal(state.runs[0]?.outcome, 'failed');
    await second.close();
  });

  test('concurrent appends are serialised in order', async () => {
    const j = await store().open(runbook());
    const records = await Promise.all(Array.from({ length: 50 }, (_, k) => j.append({ type: 'step-marked', stepId: `s${k}`, mark: 'done' })));
    assert.deepEqual(records.map((r) => r.seq), Array.from({ length: 50 }, (_, k) => k));
    const contents = await j.read();
    assert.equal(contents.records.length, 50);
    assert.deepEqual(contents.problems, []);
    await j.close();
    await assert.rejects(j.append({ type: 'step-marked', stepId: 'late', mark: 'done' }), /closed/);
  });

  test('a torn last line (crash mid-write) is reported, skipped, and terminated on the next open', async () => {
    const s = store();
    const j = await s.open(runbook());
    await j.append({ type: 'step-marked', stepId: 'a', mark: 'done' });
    await j.close();
    await fs.appendFile(j.file, '{"v":1,"seq":1,"at":"2024-01-01T00:00:00.000Z","runId":"r","type":"action-sta');

    const torn = await s.read(runbook());
    assert.equal(torn.records.length, 1);
    assert.deepEqual(torn.problems.map((p) => [p.line, p.kind]), [[2, 'torn']]);

    const again = await s.open(runbook());
    await again.append({ type: 'step-marked', stepId: 'b', mark: 'done' });
    const after = await again.read();
    assert.deepEqual(after.records.map((r) => r.type === 'step-marked' && r.stepId), ['a', 'b']);
    assert.deepEqual(after.problems.map((p) => [p.line, p.kind]), [[2, 'torn']]);
    assert.deepEqual((await again.state()).problems, after.problems);
    await again.close();
  });

  test('reading tells corrupt lines from torn ones and tolerates a missing journal', async () => {
    const text = ['{"v":1,"seq":0,"at":"t","runId":"r","type":"step-marked","stepId":"a","mark":"done"}', 'garbage', '{"v":2,"type":"x"}', '{"v":1,"se'].join('\n');
    assert.deepEqual(parseJournalText(text).problems.map((p) => [p.line, p.kind]), [[2, 'corrupt'], [3, 'corrupt'], [4, 'torn']]);
    assert.deepEqual(await store().read(path.join(dir, 'never-run.runbook.md')), { records: [], problems: [] });
  });
});

describe('run lock', () => {
  test('a second open of the same runbook is refused, naming the holder; close releases it', async () => {
    const s = store({ newRunId: () => 'run-A' });
    const first = await s.open(runbook());
    await assert.rejects(s.open(runbook()), (e: unknown) => e instanceof JournalLockedError && e.holder?.pid === 4242 && e.holder.host === 'host-a' && /in progress/.test(e.message));
    await first.close();
    const second = await s.open(runbook());
    await second.close();
  });

  test('different runbooks do not block each other', async () => {
    const s = store();
    const a = await s.open(runbook());
    const b = await s.open(path.join(dir, 'other.runbook.md'));
    assert.notEqual(a.file, b.file);
    await a.close();
    await b.close();
  });

  test('a lock whose process is dead on this host is stale and taken over', async () => {
    const dead = await store({ pid: 111, newRunId: () => 'dead' }).open(runbook());
    void dead; // never closed: the process "crashed"
    const s = store({ pid: 222, isAlive: (pid) => pid !== 111, newRunId: () => 'alive' });
    const j = await s.open(runbook());
    const lock = JSON.parse(await fs.readFile(s.locate(runbook()).lockFile, 'utf8'));
    assert.deepEqual([lock.pid, lock.runId], [222, 'alive']);
    await j.close();
  });

  test('a lock held on another host is not judged stale, unless the admin breaks it', async () => {
    await store({ host: 'host-b', isAlive: () => false }).open(runbook());
    const s = store({ isAlive: () => false });
    await assert.rejects(s.open(runbook()), (e: unknown) => e instanceof JournalLockedError && e.holder?.host === 'host-b');
    const j = await s.open(runbook(), { breakLock: true });
    await j.close();
  });

  test('an unreadable lock is reported, never silently taken', async () => {
    const s = store();
    await fs.mkdir(path.dirname(s.locate(runbook()).lockFile), { recursive: true });
    await fs.writeFile(s.locate(runbook()).lockFile, '');
    await assert.rejects(s.open(runbook()), (e: unknown) => e instanceof JournalLockedError && e.holder === undefined && /cannot be read/.test(e.message));
  });

  test('closing releases only our own lock', async () => {
    const s = store({ newRunId: () => 'mine' });
    const j = await s.open(runbook());
    const lockFile = s.locate(runbook()).lockFile;
    await fs.writeFile(lockFile, JSON.stringify({ pid: 9, host: 'host-z', startedAt: 't', runId: 'theirs', runbook: 'x' }));
    await j.close();
    assert.equal(JSON.parse(await fs.readFile(lockFile, 'utf8')).runId, 'theirs');
  });
});

describe('secrets', () => {
  test('never reach the journal file: explicit list, quoted forms, and credential-looking text', async () => {
    const secret = "S3cr'et!pw";
    const s = store({ secrets: [secret, 'hunter2'] });
    const j = await s.open(runbook());
    const a = ref('connect', 0, `Invoke-Sqlcmd -Password '${secret.replaceAll("'", "''")}' -Query 'x'`);
    await j.append({ type: 'run-started', runbook: runbook(), mode: 'rehearsal' });
    await j.append({ type: 'action-started', ref: a });
    await j.append({ type: 'action-finished', ref: a, outcome: 'failed', error: `Login failed: Server=x;User Id=sa;Password=${secret};`, output: `pwd=hunter2` });
    await j.append({ type: 'data-recorded', ref: a, name: 'conn', data: { connection: 'Server=x;Pwd=topsecret;', password: 'p@ss', nested: [{ note: 'token hunter2' }] } });
    await j.append({ type: 'run-finished', outcome: 'failed', error: '"password": "jsonsecret"' });
    await j.close();
    const text = await fs.readFile(j.file, 'utf8');
    for (const leaked of [secret, "S3cr''et!pw", 'hunter2', 'topsecret', 'p@ss', 'jsonsecret']) assert.ok(!text.includes(leaked), `${leaked} leaked`);
    assert.ok(text.includes('***'));
  });
});
