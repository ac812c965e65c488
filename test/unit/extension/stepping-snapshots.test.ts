/**
 * One published snapshot per runbook for the gutter, the status bar and the lenses: the first
 * lenses are final, a state change redraws the gutter and fires the lens change in the same turn,
 * and the lenses are then computed from the snapshot the gutter drew.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { journalState, type ActionRef, type JournalRecord } from '../../../src/core/recovery/journal';
import { drawnFingerprint, runbookLenses, SteppingCommand, stepViews, type DrawnState, type StepShape } from '../../../src/extension/stepping/model';
import { SnapshotPublisher, whenSettled, type Published, type SnapshotDocument } from '../../../src/extension/stepping/snapshots';

const keyOf = (ref: ActionRef) => `${ref.stepId}#${ref.index}#${ref.text}`;

const STEPS: StepShape[] = [
  { id: 'capture', title: 'Capture the log-shipping state', line: 4, actions: [{ index: 0, text: 'snapshot-log-shipping database=mgc on=backup' }] },
  { id: 'remove', title: 'Remove log shipping', line: 9, actions: [{ index: 0, text: "EXEC sp_delete_log_shipping_secondary_database N'mgc'" }] },
];
const TARGET = { kind: 'rehearsal', scenario: 'pchat-dc-loss' } as const;

let seq = 0;
const completed = (stepId: string): JournalRecord[] => {
  const text = STEPS.find((s) => s.id === stepId)!.actions[0]!.text;
  const base = () => ({ v: 1 as const, seq: seq++, at: '2024-05-01T10:00:00Z', runId: 'r1' });
  return [
    { ...base(), type: 'action-started', key: keyOf({ stepId, index: 0, text }), stepId, index: 0, text },
    { ...base(), type: 'action-finished', key: keyOf({ stepId, index: 0, text }), stepId, index: 0, outcome: 'ok' },
  ];
};

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/**
 * A fake state source: the journal and the running step as the extension holds them. Each
 * computation reads them when the test lets it finish (as the real one reads the journal file
 * asynchronously), so the test decides the order computations finish in.
 */
class FakeState {
  records: JournalRecord[] = [];
  running: string | undefined;
  readonly computations: Deferred<void>[] = [];
  /** Finish computations at once (no test control). */
  immediate = false;

  compute = async (_document: SnapshotDocument): Promise<DrawnState> => {
    if (!this.immediate) {
      const gate = deferred<void>();
      this.computations.push(gate);
      await gate.promise;
    }
    return { kind: 'persistent-chat-failover', titleLine: 0, target: TARGET, views: stepViews(STEPS, journalState({ records: this.records, problems: [] }), keyOf, this.running) };
  };

  /** Lets the nth computation finish (reading the state as it is now) and waits for what follows. */
  async finish(n: number): Promise<void> {
    this.computations[n]!.resolve();
    await settle();
  }
}

/** Lets every pending promise callback run (no timers involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const doc = (version = 1): { uri: string; version: number } => ({ uri: 'file:///w/pc.runbook.md', version });

/** Records what the "gutter" drew and when the lens change event fired, as the editor classes subscribe. */
function wire(publisher: SnapshotPublisher<SnapshotDocument, DrawnState>) {
  const log: string[] = [];
  const drawn: Published<DrawnState>[] = [];
  publisher.onDidPublish((entry) => {
    drawn.push(entry);
    log.push(`draw ${statuses(entry)}`);
    // Anything deferred runs after the current turn: it must come after the lens event.
    queueMicrotask(() => log.push('next turn'));
  });
  publisher.onDidChangeLenses((key) => log.push(`lenses changed ${key}`));
  return { log, drawn };
}

const statuses = (entry: Published<DrawnState>) => entry.snapshot.views.map((v) => `${v.id}=${v.status}`).join(',');
const lensTitles = (entry: Published<DrawnState>) => runbookLenses(entry.snapshot.views, entry.snapshot.target, entry.snapshot.titleLine).map((l) => `${l.line}:${l.title}`);

function syncLenses(publisher: SnapshotPublisher<SnapshotDocument, DrawnState>, document: SnapshotDocument): Published<DrawnState> {
  const entry = publisher.lenses(document);
  assert.ok(!(entry instanceof Promise), 'the lenses are answered at once from the published snapshot');
  return entry;
}

describe('step snapshots: a runbook is opened', () => {
  it('the gutter and the first lenses share one computation; no lens change follows when nothing changed', async () => {
    const state = new FakeState();
    const publisher = new SnapshotPublisher(state.compute, drawnFingerprint);
    const { log, drawn } = wire(publisher);

    const gutter = publisher.current(doc());
    const lenses = publisher.lenses(doc());
    assert.ok(lenses instanceof Promise, 'nothing published yet: the first lenses wait for the snapshot');
    assert.equal(state.computations.length, 1, 'one computation for both');
    await state.finish(0);

    assert.equal(await lenses, drawn[0], 'the first lenses are computed from the snapshot the gutter drew');
    assert.equal(await gutter, drawn[0]);
    assert.deepEqual(log, ['draw capture=pending,remove=pending', 'next turn'], 'no lens change event: the editor renders the first lenses once');

    // State events that change nothing (the estate's first load, the journal watcher seeing this
    // window's own append, a target event at start-up) recompute, and draw nothing.
    publisher.refresh();
    publisher.refresh(doc().uri);
    await state.finish(1);
    await state.finish(2);
    assert.deepEqual(log, ['draw capture=pending,remove=pending', 'next turn']);
    assert.equal(syncLenses(publisher, doc()).fingerprint, drawn[0]!.fingerprint);
  });

  it('the lenses of a runbook nobody asked for yet are not announced: its first request gets the newest snapshot', async () => {
    const state = new FakeState();
    const publisher = new SnapshotPublisher(state.compute, drawnFingerprint);
    const { log, drawn } = wire(publisher);
    const lenses = publisher.lenses(doc());
    state.records = completed('capture');
    publisher.refresh(doc().uri); // the state changed while the first lenses were computed
    await state.finish(0); // superseded: dropped
    assert.equal(drawn.length, 0);
    await state.finish(1);
    const first = await lenses;
    assert.equal(statuses(first), 'capture=done,remove=pending');
    assert.equal(first, drawn[0]);
    assert.ok(!log.some((l) => l.startsWith('lenses changed')));
  });
});

describe('step snapshots: during a run', () => {
  async function opened() {
    const state = new FakeState();
    const publisher = new SnapshotPublisher(state.compute, drawnFingerprint);
    const lenses = publisher.lenses(doc());
    await state.finish(0);
    await lenses;
    return { state, publisher, ...wire(publisher) };
  }

  it('a state change redraws the gutter and fires the lens change in the same turn; the lenses then show the drawn snapshot', async () => {
    const { state, publisher, log, drawn } = await opened();
    const lensesAtEvent: Published<DrawnState>[] = [];
    publisher.onDidChangeLenses(() => lensesAtEvent.push(syncLenses(publisher, doc())));

    state.running = 'capture';
    publisher.refresh(doc().uri);
    await state.finish(1);
    assert.deepEqual(log, ['draw capture=running,remove=pending', `lenses changed ${doc().uri}`, 'next turn']);
    assert.equal(lensesAtEvent[0], drawn[0], 'the lenses come from the snapshot the gutter just drew');
    assert.deepEqual(lensTitles(lensesAtEvent[0]!).filter((t) => t.startsWith('4:')), ['4:$(sync~spin) Running…']);

    state.records = completed('capture');
    state.running = undefined;
    publisher.refresh(doc().uri);
    await state.finish(2);
    assert.deepEqual(log.slice(3), ['draw capture=done,remove=pending', `lenses changed ${doc().uri}`, 'next turn']);
    const lensed = syncLenses(publisher, doc());
    assert.equal(lensed, drawn[1]);
    // The gutter shows the step done: its lens says so, and offers no "Run step" (only reopening it).
    assert.deepEqual(
      lensTitles(lensed).filter((t) => t.startsWith('4:')),
      ['4:✓ done', '4:Dry run', '4:Reset step'],
    );
    assert.ok(lensTitles(lensed).includes('0:▶ Run remaining (1 of 2)'));
  });

  it('while a newer state is computed the lenses show what the gutter shows; its publication fires the change', async () => {
    const { state, publisher, log, drawn } = await opened();
    state.records = completed('capture');
    publisher.refresh(doc().uri);
    const during = syncLenses(publisher, doc());
    assert.equal(statuses(during), 'capture=pending,remove=pending', 'not yet drawn, not yet in the lenses');
    await state.finish(1);
    assert.deepEqual(log, ['draw capture=done,remove=pending', `lenses changed ${doc().uri}`, 'next turn']);
    assert.equal(syncLenses(publisher, doc()), drawn[0]);
  });

  it('an older computation finishing last never overwrites a newer one', async () => {
    const { state, publisher, log, drawn } = await opened();
    state.running = 'capture';
    publisher.refresh(doc().uri); // computation 1 (will be slow)
    state.records = completed('capture');
    state.running = undefined;
    publisher.refresh(doc().uri); // computation 2
    await state.finish(2);
    await state.finish(1);
    assert.deepEqual(log, ['draw capture=done,remove=pending', `lenses changed ${doc().uri}`, 'next turn']);
    assert.equal(syncLenses(publisher, doc()), drawn[0]);
    assert.equal(drawn.length, 1);
  });

  it('every change between two settled states is drawn and announced, each lens answer matching the gutter', async () => {
    const state = new FakeState();
    state.immediate = true;
    const publisher = new SnapshotPublisher(state.compute, drawnFingerprint);
    await publisher.lenses(doc());
    const pairs: [string, string][] = [];
    let lastDrawn: Published<DrawnState> | undefined;
    publisher.onDidPublish((entry) => (lastDrawn = entry));
    publisher.onDidChangeLenses(() => pairs.push([statuses(lastDrawn!), statuses(syncLenses(publisher, doc()))]));
    const steps: Array<() => void> = [
      () => (state.running = 'capture'),
      () => (state.records = completed('capture')), // an action finished: the step still runs
      () => (state.running = undefined),
      () => (state.running = 'remove'),
      () => (state.records = [...state.records, ...completed('remove')]),
      () => (state.running = undefined),
    ];
    for (const change of steps) {
      change();
      publisher.refresh(doc().uri);
      await settle();
    }
    // An action finishing inside the running step changes its count and time (the gutter's
    // hover): drawn and announced too, though the status stays "running".
    assert.deepEqual(pairs, [
      ['capture=running,remove=pending', 'capture=running,remove=pending'],
      ['capture=running,remove=pending', 'capture=running,remove=pending'],
      ['capture=done,remove=pending', 'capture=done,remove=pending'],
      ['capture=done,remove=running', 'capture=done,remove=running'],
      ['capture=done,remove=running', 'capture=done,remove=running'],
      ['capture=done,remove=done', 'capture=done,remove=done'],
    ]);
  });
});

describe('step snapshots: edits, failures, closing', () => {
  it('an edited document: its lenses wait for the snapshot of the new version', async () => {
    const state = new FakeState();
    state.immediate = true;
    const publisher = new SnapshotPublisher(state.compute, drawnFingerprint);
    const first = await publisher.lenses(doc(1));
    assert.equal(first.version, 1);
    const edited = publisher.lenses(doc(2));
    assert.ok(edited instanceof Promise, 'the published snapshot is of another version');
    assert.equal((await edited).version, 2);
    assert.equal(publisher.published(doc(1)), undefined);
  });

  it('a failed computation is reported, leaves the drawn snapshot, and rejects the request that waited for it', async () => {
    const errors: unknown[] = [];
    let fail = false;
    const state = new FakeState();
    state.immediate = true;
    const publisher = new SnapshotPublisher(
      async (d: SnapshotDocument) => {
        if (fail) throw new Error('journal unreadable');
        return state.compute(d);
      },
      drawnFingerprint,
      (_d, error) => errors.push(error),
    );
    const drawn = await publisher.current(doc(1));
    fail = true;
    publisher.refresh(doc(1).uri);
    await settle();
    assert.equal(errors.length, 1);
    assert.equal(publisher.published(doc(1)), drawn);
    await assert.rejects(publisher.current(doc(2)), /journal unreadable/);
    assert.equal(errors.length, 2);
  });

  it('a closed document is forgotten: a computation in flight for it publishes nothing', async () => {
    const state = new FakeState();
    const publisher = new SnapshotPublisher(state.compute, drawnFingerprint);
    const { drawn } = wire(publisher);
    void publisher.current(doc());
    publisher.forget(doc().uri);
    publisher.refresh(); // knows no document any more: computes nothing
    assert.equal(state.computations.length, 1);
    await state.finish(0);
    assert.equal(drawn.length, 0);
    assert.equal(publisher.published(doc()), undefined);
  });
});

describe('step snapshots: the model parts', () => {
  const views = stepViews(STEPS, journalState({ records: completed('capture'), problems: [] }), keyOf);

  it('runbookLenses: the top lenses on the title line (else the first heading), then each step on its heading', () => {
    const placed = runbookLenses(views, TARGET, 0);
    assert.deepEqual(
      placed.map((l) => `${l.line}:${l.command}`),
      [
        `0:${SteppingCommand.chooseTarget}`,
        `0:${SteppingCommand.runRemaining}`,
        `0:${SteppingCommand.dryRunRunbook}`,
        `0:${SteppingCommand.showSteps}`,
        `4:${SteppingCommand.showStepOutput}`,
        `4:${SteppingCommand.dryRunStep}`,
        `4:${SteppingCommand.resetStep}`,
        `9:${SteppingCommand.runStep}`,
        `9:${SteppingCommand.dryRunStep}`,
        `9:${SteppingCommand.markStepDone}`,
        `9:${SteppingCommand.skipStep}`,
      ],
    );
    assert.equal(runbookLenses(views, TARGET, undefined)[0]!.line, 4);
    assert.deepEqual(runbookLenses([], TARGET, 0), []);
  });

  it('drawnFingerprint: equal for equal states, different when a status, the target or the failure differs', () => {
    const base: DrawnState = { titleLine: 0, target: TARGET, views };
    assert.equal(drawnFingerprint(base), drawnFingerprint({ titleLine: 0, target: { ...TARGET }, views: stepViews(STEPS, journalState({ records: completed('capture'), problems: [] }), keyOf) }));
    assert.notEqual(drawnFingerprint(base), drawnFingerprint({ ...base, views: stepViews(STEPS, undefined, keyOf) }));
    assert.notEqual(drawnFingerprint(base), drawnFingerprint({ ...base, target: { kind: 'live', estateName: 'Litware' } }));
    assert.notEqual(drawnFingerprint(base), drawnFingerprint({ ...base, failure: { stepId: 'remove', message: 'refused' } }));
  });
});

describe('whenSettled (the first snapshot waits for the start-up target and estate)', () => {
  function source(initially: boolean) {
    let value = initially;
    const listeners = new Set<() => void>();
    return {
      settled: () => value,
      onChange: (l: () => void) => (listeners.add(l), { dispose: () => listeners.delete(l) }),
      set(v: boolean) {
        value = v;
        for (const l of [...listeners]) l();
      },
      listeners,
    };
  }
  const state = async (p: Promise<void>) => Promise.race([p.then(() => 'resolved'), settle().then(() => 'pending')]);

  it('resolves at once when settled, else at the first change that finds it settled, and unsubscribes', async () => {
    assert.equal(await state(whenSettled(() => true, () => ({ dispose() {} }), 1000)), 'resolved');
    const s = source(false);
    const waiting = whenSettled(s.settled, s.onChange, 60_000);
    s.set(false);
    assert.equal(await state(waiting), 'pending');
    s.set(true);
    assert.equal(await state(waiting), 'resolved');
    assert.equal(s.listeners.size, 0);
  });

  it('gives up after the timeout', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const s = source(false);
    const waiting = whenSettled(s.settled, s.onChange, 3000);
    t.mock.timers.tick(2999);
    assert.equal(await state(waiting), 'pending');
    t.mock.timers.tick(1);
    assert.equal(await state(waiting), 'resolved');
    assert.equal(s.listeners.size, 0);
  });
});
