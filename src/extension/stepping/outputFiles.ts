/**
 * Saved step output: each step's lines in memory for this session and in `<folder>/<step>.log`
 * beside the journal, so they survive a reload and the recovery report can quote them. Lines are
 * redacted when written and again when read: a file may predate the password it holds (written
 * before it was known here, or by an older version). No `vscode` here (output.ts shows them).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describeError, type Logger } from '../log';

const safe = (stepId: string) => stepId.replace(/[^A-Za-z0-9._-]+/g, '-');

export class StepOutputFiles {
  /** Lines of this session, by `<folder>|<step>`; the files hold the rest. */
  readonly #lines = new Map<string, string[]>();
  readonly #writes = new Map<string, Promise<void>>();

  constructor(
    private readonly redact: (text: string) => string,
    private readonly log: Logger,
  ) {}

  /** The name a step's output has in documents and on disk. */
  static fileName(stepId: string): string {
    return `${safe(stepId)}.log`;
  }

  /** Appends lines to a step's output (memory now, the file in order). */
  async append(folder: string, stepId: string, lines: readonly string[]): Promise<void> {
    const file = path.join(folder, StepOutputFiles.fileName(stepId));
    const shown = lines.map((l) => this.redact(l));
    let memory = this.#lines.get(`${folder}|${stepId}`);
    if (!memory) {
      memory = await this.#readFile(file);
      this.#lines.set(`${folder}|${stepId}`, memory);
    }
    memory.push(...shown);
    const previous = this.#writes.get(file) ?? Promise.resolve();
    const write = previous.then(async () => {
      try {
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.appendFile(file, shown.map((l) => `${l}\n`).join(''), 'utf8');
      } catch (error) {
        this.log.warn(`Could not save the output of step ${stepId} to ${file}: ${describeError(error)}`);
      }
    });
    this.#writes.set(file, write);
  }

  /** A step's output lines: this session's, or those saved by an earlier one. */
  async lines(folder: string, stepId: string): Promise<string[]> {
    const file = path.join(folder, StepOutputFiles.fileName(stepId));
    await this.#writes.get(file);
    return (this.#lines.get(`${folder}|${stepId}`) ?? (await this.#readFile(file))).map((l) => this.redact(l));
  }

  /** Forgets what this session holds in memory (the files stay): what a window reload does. */
  clear(): void {
    this.#lines.clear();
  }

  async #readFile(file: string): Promise<string[]> {
    try {
      const text = await fs.readFile(file, 'utf8');
      return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
    } catch {
      return [];
    }
  }
}
