/**
 * One published step-state snapshot per runbook document, shared by everything stepping draws.
 * The gutter, the status bar and the code lenses all show the snapshot published last, so they
 * cannot disagree. Publishing is synchronous: the gutter draws and the lens change event fires in
 * the same turn, and the lens provider then answers at once from that same snapshot (a fast
 * provider also keeps VS Code's code lens debounce, a moving average of the provider's duration,
 * at its minimum). A snapshot that shows the same as the one before is not published again, so a
 * state event that changes nothing (an estate reload, the journal watcher seeing this window's own
 * append) redraws nothing. Pure: no `vscode`, unit-tested in plain Node.
 */

/** What is needed of a document: its identity and version (a `vscode.TextDocument` fits). */
export interface SnapshotDocument {
  readonly uri: { toString(): string };
  readonly version: number;
}

export interface Published<S> {
  /** The document's URI, as a string. */
  readonly key: string;
  /** The document version the snapshot was computed from. */
  readonly version: number;
  readonly snapshot: S;
  /** What the snapshot shows, as a string: equal fingerprints draw the same. */
  readonly fingerprint: string;
}

export interface Subscription {
  dispose(): void;
}

type Listener<T> = (value: T) => void;

class Emitter<T> {
  readonly #listeners = new Set<Listener<T>>();

  readonly event = (listener: Listener<T>): Subscription => {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.#listeners]) listener(value);
  }

  clear(): void {
    this.#listeners.clear();
  }
}

export class SnapshotPublisher<D extends SnapshotDocument, S> {
  readonly #published = new Map<string, Published<S>>();
  readonly #pending = new Map<string, { readonly serial: number; readonly settled: Promise<void> }>();
  readonly #documents = new Map<string, D>();
  /** Documents whose lenses the editor holds: only those need a lens change event. */
  readonly #held = new Set<string>();
  readonly #didPublish = new Emitter<Published<S>>();
  readonly #lensesChanged = new Emitter<string>();
  #serial = 0;

  /** A snapshot that shows something new was published: draw it now. */
  readonly onDidPublish = this.#didPublish.event;
  /**
   * The lenses of a document the editor holds lenses for are out of date (fired right after
   * `onDidPublish`, in the same turn). Not fired for a document whose first lenses are still
   * being computed: that request answers with the newest snapshot anyway, and an event then
   * would make the editor ask again and render the same lenses twice.
   */
  readonly onDidChangeLenses = this.#lensesChanged.event;

  constructor(
    private readonly compute: (document: D) => Promise<S>,
    private readonly fingerprint: (snapshot: S) => string,
    private readonly onError: (document: D, error: unknown) => void = () => undefined,
  ) {}

  /** The snapshot drawn for the document in its current version, if any. */
  published(document: D): Published<S> | undefined {
    const entry = this.#published.get(document.uri.toString());
    return entry && entry.version === document.version ? entry : undefined;
  }

  /** The state of a document (undefined: of every document known here) changed: compute again. */
  refresh(key?: string): void {
    const documents = key === undefined ? [...this.#documents.values()] : [this.#documents.get(key)].filter((d): d is D => d !== undefined);
    for (const document of documents) this.#update(document).catch(() => undefined);
  }

  /** The newest snapshot of the document once nothing is being computed for it (computes it if needed). */
  async current(document: D): Promise<Published<S>> {
    const key = document.uri.toString();
    this.#documents.set(key, document);
    for (;;) {
      const pending = this.#pending.get(key);
      if (pending) {
        await pending.settled;
        continue;
      }
      const entry = this.published(document);
      if (entry) return entry;
      // Throws when the computation fails (and was not superseded by a newer one).
      await this.#update(document);
    }
  }

  /**
   * What the lenses of the document show: the snapshot the gutter shows, at once when it is of
   * the document's version (even while a newer one is computed: its publication fires the lens
   * change event); otherwise the newest one once computed. Marks the document's lenses as held.
   */
  lenses(document: D): Published<S> | Promise<Published<S>> {
    const now = this.published(document);
    if (now) return this.#hold(now);
    return this.current(document).then((entry) => this.#hold(this.published(document) ?? entry));
  }

  /** The document was closed: forget it (a computation in flight for it is dropped). */
  forget(key: string): void {
    this.#documents.delete(key);
    this.#published.delete(key);
    this.#pending.delete(key);
    this.#held.delete(key);
  }

  dispose(): void {
    for (const key of [...this.#documents.keys()]) this.forget(key);
    this.#didPublish.clear();
    this.#lensesChanged.clear();
  }

  #hold(entry: Published<S>): Published<S> {
    this.#held.add(entry.key);
    return entry;
  }

  /** Computes the document's snapshot; only the newest computation of a document publishes. */
  #update(document: D): Promise<void> {
    const key = document.uri.toString();
    this.#documents.set(key, document);
    const serial = ++this.#serial;
    const version = document.version;
    const latest = () => this.#pending.get(key)?.serial === serial;
    const run = (async () => {
      let snapshot: S;
      try {
        snapshot = await this.compute(document);
      } catch (error) {
        if (!latest()) return;
        this.#pending.delete(key);
        this.onError(document, error);
        throw error;
      }
      if (!latest()) return;
      this.#pending.delete(key);
      this.#publish(key, version, snapshot);
    })();
    this.#pending.set(key, {
      serial,
      settled: run.then(
        () => undefined,
        () => undefined,
      ),
    });
    return run;
  }

  #publish(key: string, version: number, snapshot: S): void {
    const before = this.#published.get(key);
    const entry: Published<S> = { key, version, snapshot, fingerprint: this.fingerprint(snapshot) };
    this.#published.set(key, entry);
    if (before && before.fingerprint === entry.fingerprint) return;
    this.#didPublish.fire(entry);
    if (this.#held.has(key)) this.#lensesChanged.fire(key);
  }
}

/**
 * Resolves when `settled()` holds: at once, or at the next `onChange` event that finds it
 * holding, or after `timeoutMs` whatever it says (a slow start-up must not hold the editor back
 * for long).
 */
export function whenSettled(settled: () => boolean, onChange: (listener: () => void) => Subscription, timeoutMs: number): Promise<void> {
  if (settled()) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    };
    const subscription = onChange(() => {
      if (settled()) done();
    });
    const timer = setTimeout(done, timeoutMs);
    timer.unref?.();
  });
}
