/**
 * Where each step's output lines live: in memory for this session and appended to a file per step
 * (`<folder>/<step>.log`, beside the journal), so they survive a reload and the recovery report
 * can quote them. Lines are redacted when written and again when read: a file may predate the
 * password it holds (written before it was known here, or by an older version). No `vscode` here
 * (the provider is output.ts).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const safe = (stepId: string) => stepId.replace(/[^A-Za-z0-9._-]+/g, '-');

/** Called when a step's output cannot be saved (the lines stay in memory). */
export type WriteFailure = (stepId: string, file: string, error: unknown) => void;

export class StepOutputStore {
  /**
   * Lines of this session, by `<folder>|<step>`; the files hold the rest. A promise, so that appends
   * arriving while the file is still being read add to the one array read, in the order they came
   * (two reads of the same file would each start a list, and the second would replace the first).
   */
  readonly #lines = new Map<string, Promise<string[]>>();
  /** The last write to each file: writes are chained so the file keeps the order of the appends. */
  readonly #writes = new Map<string, Promise<void>>();

  readonly #redact: (text: string) => string;
  readonly #onWriteFailure: WriteFailure;

  constructor(redact: (text: string) => string, onWriteFailure: WriteFailure) {
    this.#redact = redact;
    this.#onWriteFailure = onWriteFailure;
  }

  static fileName(stepId: string): string {
    return `${safe(stepId)}.log`;
  }

  /** Appends lines to a step's output (memory, then its file). */
  append(folder: string, stepId: string, written: readonly string[]): Promise<void> {
    const lines = written.map(this.#redact);
    const key = `${folder}|${stepId}`;
    const file = path.join(folder, StepOutputStore.fileName(stepId));
    const previousWrite = this.#writes.get(file);
    // The file is read (once per session) only after the writes already queued for it, and before this one.
    const load = async () => {
      await previousWrite;
      return readLines(file);
    };
    const memory = (this.#lines.get(key) ?? load()).then((held) => {
      held.push(...lines);
      return held;
    });
    this.#lines.set(key, memory);
    const write = Promise.all([previousWrite, memory]).then(async () => {
      try {
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.appendFile(file, lines.map((l) => `${l}\n`).join(''), 'utf8');
      } catch (error) {
        this.#onWriteFailure(stepId, file, error);
      }
    });
    this.#writes.set(file, write);
    return memory.then(() => undefined);
  }

  /** A step's output lines (this session's, or those saved by an earlier one), once the file holds them too. */
  async lines(folder: string, stepId: string): Promise<string[]> {
    const file = path.join(folder, StepOutputStore.fileName(stepId));
    await this.#writes.get(file);
    const held = this.#lines.get(`${folder}|${stepId}`);
    return (held ? await held : await readLines(file)).map(this.#redact);
  }

  /** Forgets what this session holds in memory (the files stay): what a window reload does. */
  clear(): void {
    this.#lines.clear();
  }
}

async function readLines(file: string): Promise<string[]> {
  try {
    const text = await fs.readFile(file, 'utf8');
    return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
  } catch {
    return [];
  }
}
