/**
 * The journal on disk: `<directory>/<runbook name>-<hash>.jsonl`, one JSON record per line,
 * appended and fsynced one by one, with `<same>.lock` held while a run has it open.
 *
 * Crash tolerance: a record is one `write` of one line. A crash mid-write leaves a torn last line;
 * readers report it and skip it, and the next `open` terminates it with a newline so the next
 * record starts on a line of its own.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  journalState,
  type ActionRef,
  type Journal,
  type JournalContents,
  type JournalEvent,
  type JournalLineProblem,
  type JournalRecord,
  type JournalState,
  type JournalStore,
  type OpenJournalOptions,
} from '../../core/recovery/journal';
import { Redactor } from '../../core/recovery/redact';
import { actionKey, journalFileName, outputDigest, runbookId } from './keys';
import { acquireLock, processIsAlive, releaseLock, type LockEnvironment } from './lock';

export interface FileJournalOptions {
  /** Folder holding the journals (e.g. the extension's global storage). */
  readonly directory: string;
  /** Values never to be written: passwords of the SQL instances, and the like. */
  readonly secrets?: readonly string[];
  readonly now?: () => Date;
  readonly host?: string;
  readonly pid?: number;
  readonly isAlive?: (pid: number) => boolean;
  readonly newRunId?: () => string;
}

const RECORD_TYPES = new Set(['run-started', 'action-started', 'action-finished', 'data-recorded', 'step-marked', 'run-finished']);
/** How every record line starts; an unparsable line that starts like this is a torn write. */
const RECORD_PREFIX = '{"v":1,';

/** Splits journal text into records and problem lines. */
export function parseJournalText(text: string): JournalContents {
  const records: JournalRecord[] = [];
  const problems: JournalLineProblem[] = [];
  const lines = text.split('\n');
  const unterminated = lines.pop() ?? '';
  const check = (line: string, index: number, last: boolean) => {
    if (line.trim() === '') return;
    try {
      const r = JSON.parse(line) as JournalRecord;
      if (r && r.v === 1 && RECORD_TYPES.has(r.type)) {
        records.push(r);
        return;
      }
    } catch {
      // classified below
    }
    problems.push({ line: index + 1, kind: last || line.startsWith(RECORD_PREFIX) ? 'torn' : 'corrupt', text: line.slice(0, 200) });
  };
  lines.forEach((line, i) => check(line, i, false));
  check(unterminated, lines.length, true);
  return { records, problems };
}

export async function readJournalFile(file: string): Promise<JournalContents> {
  try {
    return parseJournalText(await fs.readFile(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], problems: [] };
    throw e;
  }
}

export class FileJournalStore implements JournalStore {
  private readonly redactor: Redactor;
  private readonly env: LockEnvironment;

  constructor(private readonly options: FileJournalOptions) {
    this.redactor = new Redactor(options.secrets ?? []);
    this.env = { host: options.host ?? os.hostname(), pid: options.pid ?? process.pid, isAlive: options.isAlive ?? processIsAlive };
  }

  /** Where a runbook's journal and lock live. */
  locate(runbookPath: string): { id: string; file: string; lockFile: string } {
    const id = runbookId(runbookPath);
    const file = path.join(this.options.directory, journalFileName(id));
    return { id, file, lockFile: file.replace(/\.jsonl$/, '.lock') };
  }

  async read(runbookPath: string): Promise<JournalContents> {
    return readJournalFile(this.locate(runbookPath).file);
  }

  async open(runbookPath: string, options: OpenJournalOptions = {}): Promise<Journal> {
    const { id, file, lockFile } = this.locate(runbookPath);
    await fs.mkdir(this.options.directory, { recursive: true });
    const runId = (this.options.newRunId ?? randomUUID)();
    const now = this.options.now ?? (() => new Date());
    await acquireLock(lockFile, { pid: this.env.pid, host: this.env.host, startedAt: now().toISOString(), runId, runbook: id }, this.env, options.breakLock === true);
    try {
      const existing = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
      const handle = await fs.open(file, 'a');
      if (existing === undefined) await syncDirectory(this.options.directory);
      if (existing !== undefined && existing.length > 0 && !existing.endsWith('\n')) {
        await handle.write('\n');
        await handle.sync();
      }
      const seq = existing === undefined ? 0 : parseJournalText(existing).records.reduce((max, r) => Math.max(max, r.seq + 1), 0);
      return new FileJournal(file, lockFile, id, runId, handle, seq, this.redactor, now, this.env);
    } catch (e) {
      await releaseLock(lockFile, runId);
      throw e;
    }
  }
}

/** Makes a new journal's directory entry durable too (POSIX; not possible on Windows). */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const d = await fs.open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

class FileJournal implements Journal {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    readonly file: string,
    private readonly lockFile: string,
    private readonly id: string,
    readonly runId: string,
    private readonly handle: fs.FileHandle,
    private seq: number,
    private readonly redactor: Redactor,
    private readonly now: () => Date,
    private readonly env: LockEnvironment,
  ) {}

  keyOf(ref: ActionRef): string {
    return actionKey(this.id, ref);
  }

  append(event: JournalEvent): Promise<JournalRecord> {
    if (this.closed) return Promise.reject(new Error(`The journal ${this.file} is closed.`));
    // Records are written strictly one after another, each made durable before the next.
    const next = this.queue.then(async () => {
      const record = this.toRecord(event, this.seq);
      await this.handle.write(`${JSON.stringify(record)}\n`);
      await this.handle.sync();
      this.seq++;
      return record;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private toRecord(event: JournalEvent, seq: number): JournalRecord {
    const base = { v: 1 as const, seq, at: this.now().toISOString(), runId: this.runId };
    const r = this.redactor;
    const opt = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));
    const refFields = (ref: ActionRef) => ({ key: this.keyOf(ref), stepId: ref.stepId, index: ref.index, ...opt('item', ref.item === undefined ? undefined : r.text(ref.item)) });
    switch (event.type) {
      case 'run-started':
        return { ...base, type: event.type, runbook: r.text(event.runbook), mode: event.mode, ...opt('user', event.user), host: this.env.host, pid: this.env.pid };
      case 'action-started':
        return { ...base, type: event.type, ...refFields(event.ref), text: r.text(event.ref.text) };
      case 'action-finished':
        return {
          ...base,
          type: event.type,
          ...refFields(event.ref),
          outcome: event.outcome,
          ...opt('outputDigest', event.output === undefined ? undefined : outputDigest(event.output)),
          ...opt('error', event.error === undefined ? undefined : r.text(event.error)),
        };
      case 'data-recorded':
        return { ...base, type: event.type, key: this.keyOf(event.ref), stepId: event.ref.stepId, name: event.name, data: r.value(event.data) };
      case 'step-marked':
        return { ...base, type: event.type, stepId: event.stepId, mark: event.mark, ...opt('reason', event.reason === undefined ? undefined : r.text(event.reason)) };
      case 'check-overridden':
        return { ...base, type: event.type, check: event.check, message: r.text(event.message), ...opt('reason', event.reason === undefined ? undefined : r.text(event.reason)), ...opt('stepId', event.stepId) };
      case 'run-finished':
        return { ...base, type: event.type, outcome: event.outcome, ...opt('error', event.error === undefined ? undefined : r.text(event.error)) };
    }
  }

  read(): Promise<JournalContents> {
    return this.queue.then(() => readJournalFile(this.file));
  }

  async state(): Promise<JournalState> {
    return journalState(await this.read());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.handle.close();
    await releaseLock(this.lockFile, this.runId);
  }
}
