/**
 * Issue 17 item 7: the journal notices tampering and loss. Each record carries the hash of the
 * record before it; a forged line, an edited sequence number or a removed line breaks the chain
 * and the journal is refused. A journal deleted, replaced or written to by someone else while a
 * run holds it stops the next append. Journals written before the chain still read.
 */
import assert from 'node:assert/strict';
import { promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { FileJournalStore, JournalLockedError, parseJournalText, type FileJournalOptions } from '../../../src/adapters/journal';
import { runRunbook } from '../../../src/core/recovery';
import { JournalIntegrityError, type Journal } from '../../../src/core/recovery/journal';
import { FakeShell, FakeSql, ports } from '../engine/fakes';
import { FENCE, plan, runbookText } from '../engine/support';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lr-integrity-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

let clock = 0;
const store = (more: Partial<FileJournalOptions> = {}) =>
  new FileJournalStore({ directory: path.join(dir, 'journals'), now: () => new Date(Date.UTC(2024, 0, 1) + clock++ * 1000), host: 'host-a', pid: 4242, isAlive: () => false, ...more });
const runbook = () => path.join(dir, 'pc-failover.runbook.md');
const action = { stepId: 'remove-log-shipping', index: 0, text: "EXEC sp_delete_log_shipping_secondary_database N'mgc';" };

/** A journal with one finished run of one action, closed. */
async function written(): Promise<string> {
  const j = await store({ newRunId: () => 'run-1' }).open(runbook());
  await j.append({ type: 'run-started', runbook: runbook(), mode: 'live' });
  await j.append({ type: 'action-started', ref: action });
  await j.append({ type: 'action-finished', ref: action, outcome: 'ok' });
  await j.append({ type: 'run-finished', outcome: 'failed' });
  await j.close();
  return j.file;
}

const refused = (line: number) => (e: unknown) => e instanceof JournalIntegrityError && e.message.includes(`line ${line}`) && /mark done/.test(e.hint);

describe('the journal chain', () => {
  test('each record carries the hash of the one before it', async () => {
    const lines = (await fs.readFile(await written(), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { prev?: string });
    assert.ok(lines.every((r) => /^sha256:[0-9a-f]{64}$/.test(r.prev ?? '')));
    assert.equal(new Set(lines.map((r) => r.prev)).size, lines.length);
  });

  test('a forged "done" line is refused, naming its line, and never counts as done', async () => {
    const file = await written();
    await fs.appendFile(file, '{"v":1,"seq":"x","at":"2024-01-01T00:00:09.000Z","runId":"r","type":"step-marked","stepId":"recover-mgc","mark":"done"}\n');
    const contents = parseJournalText(await fs.readFile(file, 'utf8'));
    assert.ok(!contents.records.some((r) => r.type === 'step-marked'), 'the forged mark is not a record');
    assert.deepEqual(contents.problems.map((p) => [p.line, p.kind]), [[5, 'tampered']]);
    await assert.rejects(store().open(runbook()), refused(5));
    // Refused without keeping the lock: a second try meets the same refusal, not a lock.
    await assert.rejects(store().open(runbook()), refused(5));
  });

  test('an edited sequence number breaks the chain', async () => {
    const file = await written();
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace('"seq":2,', '"seq":7,'));
    await assert.rejects(store().open(runbook()), refused(3));
  });

  test('a removed line breaks the chain', async () => {
    const file = await written();
    const lines = (await fs.readFile(file, 'utf8')).split('\n');
    lines.splice(1, 1);
    await fs.writeFile(file, lines.join('\n'));
    await assert.rejects(store().open(runbook()), refused(2));
  });

  test('a torn last line (crash mid-write) does not break it', async () => {
    const file = await written();
    await fs.appendFile(file, '{"v":1,"seq":4,"prev":"sha256:00","at":"2024-01-01T00:00:00.000Z","runId":"r","type":"action-sta');
    const j = await store().open(runbook());
    await j.append({ type: 'step-marked', stepId: 'b', mark: 'done' });
    const contents = await j.read();
    assert.deepEqual(contents.problems.map((p) => [p.line, p.kind]), [[5, 'torn']]);
    assert.equal(contents.records.length, 5);
    await j.close();
    await (await store().open(runbook())).close();
  });

  test('a journal written before the chain still reads and is continued with a chain', async () => {
    const file = path.join(dir, 'journals', store().locate(runbook()).file.split(path.sep).pop()!);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const legacy = [
      { v: 1, seq: 0, at: '2023-01-01T00:00:00.000Z', runId: 'old', type: 'run-started', runbook: runbook(), mode: 'live', host: 'h', pid: 1 },
      { v: 1, seq: 1, at: '2023-01-01T00:00:01.000Z', runId: 'old', type: 'step-marked', stepId: 'a', mark: 'done' },
    ];
    await fs.writeFile(file, legacy.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const j = await store().open(runbook());
    assert.equal((await j.state()).steps.get('a')?.mark, 'done');
    const r = await j.append({ type: 'step-marked', stepId: 'b', mark: 'skipped' });
    assert.equal(r.seq, 2);
    assert.match(r.prev ?? '', /^sha256:/);
    await j.close();
    await (await store().open(runbook())).close();
    // Once chained, an unchained line added later is refused.
    await fs.appendFile(file, `${JSON.stringify({ ...legacy[1], seq: 3, stepId: 'c' })}\n`);
    await assert.rejects(store().open(runbook()), refused(4));
  });

  test('a bad sequence number in an old journal is a corrupt line, not a reason to number later records null', async () => {
    const text = ['{"v":1,"seq":0,"at":"t","runId":"r","type":"step-marked","stepId":"a","mark":"done"}', '{"v":1,"seq":"x","at":"t","runId":"r","type":"step-marked","stepId":"b","mark":"done"}', ''].join('\n');
    const contents = parseJournalText(text);
    assert.deepEqual(contents.records.map((r) => r.type === 'step-marked' && r.stepId), ['a']);
    assert.deepEqual(contents.problems.map((p) => [p.line, p.kind]), [[2, 'corrupt']]);
    const file = store().locate(runbook()).file;
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text);
    const j = await store().open(runbook());
    assert.equal((await j.append({ type: 'step-marked', stepId: 'c', mark: 'done' })).seq, 1);
    await j.close();
  });
});

describe('a journal lost or changed while a run holds it', () => {
  async function open(): Promise<Journal> {
    const j = await store({ newRunId: () => 'run-2' }).open(runbook());
    await j.append({ type: 'run-started', runbook: runbook(), mode: 'live' });
    await j.append({ type: 'action-started', ref: action });
    return j;
  }

  test('deleted: the next append is refused, and what it held is saved beside it', async () => {
    const j = await open();
    await fs.rm(j.file);
    await assert.rejects(j.append({ type: 'action-finished', ref: action, outcome: 'ok' }), (e: unknown) => e instanceof JournalIntegrityError && /was deleted/.test(e.message) && e.message.includes(`${j.file}.lost-run-2`));
    const saved = parseJournalText(await fs.readFile(`${j.file}.lost-run-2`, 'utf8'));
    assert.deepEqual(saved.records.map((r) => r.type), ['run-started', 'action-started']);
    // Every later append is refused too: nothing more is sent on an unrecorded run.
    await assert.rejects(j.append({ type: 'run-finished', outcome: 'failed' }), JournalIntegrityError);
    await j.close();
  });

  test('replaced by another file: refused', async () => {
    const j = await open();
    const text = await fs.readFile(j.file, 'utf8');
    await fs.rm(j.file);
    await fs.writeFile(j.file, text);
    await assert.rejects(j.append({ type: 'run-finished', outcome: 'failed' }), (e: unknown) => e instanceof JournalIntegrityError && /replaced/.test(e.message));
    await j.close();
  });

  test('while it is intact, each record costs one stat, of its path (an append per log backup: no second one of the open file)', async (t) => {
    const j = await open();
    const probe = await fs.open(j.file, 'r');
    const handleProto = Object.getPrototypeOf(probe) as { stat: () => Promise<unknown> };
    await probe.close();
    const handleStats = t.mock.method(handleProto, 'stat');
    const pathStats = t.mock.method(fs, 'stat');
    await j.append({ type: 'action-finished', ref: action, outcome: 'ok' });
    await j.append({ type: 'run-finished', outcome: 'completed' });
    assert.equal(pathStats.mock.callCount(), 2);
    assert.equal(handleStats.mock.callCount(), 0);
    await j.close();
  });

  test('written to by someone else: refused', async () => {
    const j = await open();
    await fs.appendFile(j.file, '{"v":1,"seq":2,"type":"step-marked","stepId":"x","mark":"done"}\n');
    await assert.rejects(j.append({ type: 'run-finished', outcome: 'failed' }), (e: unknown) => e instanceof JournalIntegrityError && /changed by another program/.test(e.message));
    await j.close();
  });
});

describe('one lock per recovery target', () => {
  const TEXT = '---\nestate: ./lync-estate.yaml\n---\n# Fail over\n';
  const targets = ['pool atl-pc.litwareinc.com', 'sql instance dal-pcbak-001.litwareinc.com\\pchat'];

  async function running(): Promise<{ file: string; journal: Journal }> {
    const folder = path.join(dir, 'runbooks');
    await fs.mkdir(folder, { recursive: true });
    const file = path.join(folder, 'failover.runbook.md');
    await fs.writeFile(file, TEXT);
    return { file, journal: await store({ isAlive: () => true }).open(file, { targets }) };
  }

  const lockedBy = (pattern: RegExp) => (e: unknown) => e instanceof JournalLockedError && e.holder?.pid === 4242 && pattern.test(e.message);

  test('the same runbook through a symbolic link to its folder is the same runbook: one journal, refused', async () => {
    const { file, journal } = await running();
    const alias = path.join(dir, 'alias');
    await fs.symlink(path.dirname(file), alias, 'dir');
    const other = store({ isAlive: () => true });
    assert.equal(other.locate(path.join(alias, 'failover.runbook.md')).file, journal.file);
    await assert.rejects(other.open(path.join(alias, 'failover.runbook.md'), { targets }), lockedBy(/in progress/));
    await journal.close();
    await (await other.open(path.join(alias, 'failover.runbook.md'), { targets })).close();
  });

  test('a copy of the runbook elsewhere is refused while it runs, by its text even without targets', async () => {
    const { journal } = await running();
    const copy = path.join(dir, 'copy.runbook.md');
    await fs.writeFile(copy, TEXT.replace(/\n/g, '\r\n'));
    await assert.rejects(store({ isAlive: () => true }).open(copy), lockedBy(/holds the lock on runbook text sha256:/));
    await journal.close();
  });

  test('another runbook acting on the same instance is refused; on other targets it runs', async () => {
    const { journal } = await running();
    const other = path.join(dir, 'other.runbook.md');
    await fs.writeFile(other, '# Another\n');
    await assert.rejects(store({ isAlive: () => true }).open(other, { targets: [targets[1]!] }), lockedBy(/holds the lock on sql instance dal-pcbak-001/));
    const unrelated = await store({ isAlive: () => true }).open(other, { targets: ['pool dal-fe.litwareinc.com'] });
    await unrelated.close();
    await journal.close();
  });

  test('a refused open keeps none of the locks it took', async () => {
    const { journal } = await running();
    const other = path.join(dir, 'other.runbook.md');
    await fs.writeFile(other, '# Another\n');
    await assert.rejects(store({ isAlive: () => true }).open(other, { targets: ['pool dal-fe.litwareinc.com', targets[1]!] }), JournalLockedError);
    await journal.close();
    const free = store({ isAlive: () => true });
    for (const lock of await free.locks(other, ['pool dal-fe.litwareinc.com'])) await assert.rejects(fs.access(lock.lockFile), /ENOENT/);
  });
});

describe('a run whose journal is deleted under it (engine, fakes)', () => {
  test('stops before the next command, saying what happened and what to do', async () => {
    const text = runbookText(`## One {#one}\n${FENCE}powershell\nSet-CsPersistentChatState -Identity "PersistentChatServer:atl-gc-001.litwareinc.com" -PoolState FailedOver\n${FENCE}\n\n## Two {#two}\n${FENCE}powershell\nSet-CsPersistentChatActiveServer -Identity "global" -Swap\n${FENCE}`);
    const journal = await store().open(runbook());
    const shell = new FakeShell((command) => {
      if (command.startsWith('Set-CsPersistentChatState')) rmSync(journal.file);
      return [];
    });
    const result = await runRunbook(await plan(text), { ports: ports(new FakeSql(() => []), shell), journal, mode: 'rehearsal', confirm: async () => true });
    await journal.close();
    assert.equal(result.outcome, 'failed');
    assert.match(result.failure!.message, /The journal .* was deleted while this run had it open; the run stopped before sending anything more\. What it held was saved to .*\.lost-/);
    assert.match(result.failure!.hint!, /lync-runbook mark done STEP/);
    assert.deepEqual(shell.sent.filter((c) => c.startsWith('Set-')).map((c) => c.split(' ')[0]), ['Set-CsPersistentChatState']);
  });
});
