/**
 * The journal on disk: `<directory>/<runbook name>-<hash>.jsonl`, one JSON record per line,
 * appended and fsynced one by one, with `<same>.lock` held while a run has it open.
 *
 * Crash tolerance: a record is one `write` of one line. A crash mid-write leaves a torn last line;
 * readers report it and skip it, and the next `open` terminates it with a newline so the next
 * record starts on a line of its own.
 *
 * Tamper and loss evidence: each record carries the hash of the record line before it (the chain,
 * see journal.ts); a journal whose chain is broken is refused at `open`. While a run holds the
 * journal, each append first checks that the file is still the one it opened (same inode, the
 * length it wrote): a journal deleted, replaced or written to by another program stops the run.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  JournalIntegrityError,
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
import { actionKey, chainLink, GENESIS_LINK, journalFileName, outputDigest, runbookContentId, runbookId, targetLockName } from './keys';
import { acquireLock, inspectLock, processIsAlive, releaseLock, type LockEnvironment, type LockInspection } from './lock';

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

const RECORD_TYPES = new Set(['run-started', 'action-started', 'action-finished', 'data-recorded', 'step-marked', 'step-reset', 'check-overridden', 'run-finished']);
/** How every record line starts; an unparsable line that starts like this is a torn write. */
const RECORD_PREFIX = '{"v":1,';

const isSeq = (seq: unknown): seq is number => Number.isSafeInteger(seq) && (seq as number) >= 0;

/** Records and problem lines, plus where the chain ends: what the next record links to and its seq. */
interface ParsedJournal extends JournalContents {
  readonly tail: string;
  readonly nextSeq: number;
}

function parseChained(text: string): ParsedJournal {
  const records: JournalRecord[] = [];
  const problems: JournalLineProblem[] = [];
  const lines = text.split('\n');
  const unterminated = lines.pop() ?? '';
  let tail = GENESIS_LINK;
  let chained = false;
  let nextSeq = 0;
  const check = (line: string, index: number, last: boolean) => {
    if (line.trim() === '') return;
    let r: JournalRecord | undefined;
    try {
      r = JSON.parse(line) as JournalRecord;
    } catch {
      // classified below
    }
    if (!(r && r.v === 1 && RECORD_TYPES.has(r.type) && isSeq(r.seq))) {
      // A crash tears only a write's end; anything else unreadable in a chained journal was put there.
      const torn = last || (r === undefined && line.startsWith(RECORD_PREFIX));
      problems.push({ line: index + 1, kind: torn ? 'torn' : chained ? 'tampered' : 'corrupt', text: line.slice(0, 200) });
      return;
    }
    // Old records (no `prev`) are read as they are until the chain starts; after that, every
    // record must link to the last one read, and number itself after it.
    const linked = r.prev === undefined ? !chained : r.prev === tail && (!chained || r.seq === nextSeq);
    if (r.prev !== undefined) chained = true;
    tail = chainLink(line);
    if (!linked) {
      problems.push({ line: index + 1, kind: 'tampered', text: line.slice(0, 200) });
      return;
    }
    records.push(r);
    nextSeq = Math.max(nextSeq, r.seq + 1);
  };
  lines.forEach((line, i) => check(line, i, false));
  check(unterminated, lines.length, true);
  return { records, problems, tail, nextSeq };
}

/** Splits journal text into records and problem lines (lines that break the chain are problems). */
export function parseJournalText(text: string): JournalContents {
  const { records, problems } = parseChained(text);
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

  /**
   * Every lock a run of the runbook takes, in the order taken: its own (next to its journal), its
   * text's (a copy elsewhere has the same), and one per recovery target (`targets`).
   */
  async locks(runbookPath: string, targets: readonly string[] = []): Promise<{ readonly what: string; readonly lockFile: string }[]> {
    const { id, lockFile } = this.locate(runbookPath);
    const text = await fs.readFile(runbookPath, 'utf8').catch(() => undefined);
    const shared = [...new Set([...(text !== undefined ? [`runbook text ${runbookContentId(text)}`] : []), ...targets])].sort();
    const folder = path.join(this.options.directory, 'locks');
    return [{ what: `runbook ${id}`, lockFile }, ...shared.map((what) => ({ what, lockFile: path.join(folder, targetLockName(what)) }))];
  }

  /** Each lock of `locks` with its state and holder (`lync-runbook lock show`). */
  async inspectLocks(runbookPath: string, targets: readonly string[] = []): Promise<(LockInspection & { readonly what: string; readonly lockFile: string })[]> {
    return Promise.all((await this.locks(runbookPath, targets)).map(async (lock) => ({ ...lock, ...(await inspectLock(lock.lockFile, this.env)) })));
  }

  async open(runbookPath: string, options: OpenJournalOptions = {}): Promise<Journal> {
    const { id, file } = this.locate(runbookPath);
    const locks = await this.locks(runbookPath, options.targets);
    await fs.mkdir(path.join(this.options.directory, 'locks'), { recursive: true });
    const runId = (this.options.newRunId ?? randomUUID)();
    const now = this.options.now ?? (() => new Date());
    const lockFiles: string[] = [];
    const release = async () => {
      for (const lockFile of lockFiles) await releaseLock(lockFile, runId);
    };
    try {
      for (const lock of locks) {
        await acquireLock(lock.lockFile, { pid: this.env.pid, host: this.env.host, startedAt: now().toISOString(), runId, runbook: id, lock: lock.what }, this.env, options.breakLock === true);
        lockFiles.push(lock.lockFile);
      }
      const existing = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
      const parsed = parseChained(existing ?? '');
      const tampered = parsed.problems.find((p) => p.kind === 'tampered');
      if (tampered) {
        throw new JournalIntegrityError(
          `The journal ${file} has been changed since it was written: line ${tampered.line} does not follow the record before it (a line added, edited or removed by hand). Nothing was run.`,
          'Keep the file for the audit and find out who changed it. To go on, move it aside (the next run starts a new journal), check the system\'s state, and record what is already done with lync-runbook mark done STEP --reason "…" (or skip) before running again.',
        );
      }
      // Read-write (appending): after a deletion, what it held can still be read through it.
      const handle = await fs.open(file, 'a+');
      if (existing === undefined) await syncDirectory(this.options.directory);
      if (existing !== undefined && existing.length > 0 && !existing.endsWith('\n')) {
        await handle.write('\n');
        await handle.sync();
      }
      const opened = await handle.stat();
      return new FileJournal(file, lockFiles, id, runId, handle, { seq: parsed.nextSeq, prev: parsed.tail, size: opened.size, ino: opened.ino, dev: opened.dev }, this.redactor, now, this.env);
    } catch (e) {
      await release();
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

/** Where the journal's chain and file stand after the last record this run wrote. */
interface Position {
  seq: number;
  prev: string;
  size: number;
  readonly ino: number;
  readonly dev: number;
}

class FileJournal implements Journal {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Set once the file was lost or changed under the run: every later append fails with it. */
  private broken: JournalIntegrityError | undefined;

  constructor(
    readonly file: string,
    private readonly lockFiles: readonly string[],
    private readonly id: string,
    readonly runId: string,
    private readonly handle: fs.FileHandle,
    private readonly position: Position,
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
      await this.checkStillOurs();
      const record = this.toRecord(event, this.position.seq, this.position.prev);
      const line = JSON.stringify(record);
      const bytes = Buffer.from(`${line}\n`, 'utf8');
      await this.handle.write(bytes);
      await this.handle.sync();
      this.position.seq++;
      this.position.prev = chainLink(line);
      this.position.size += bytes.length;
      return record;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Throws when the file at our path is no longer the one we opened, as we left it. */
  private async checkStillOurs(): Promise<void> {
    if (this.broken) throw this.broken;
    const onDisk = await fs.stat(this.file).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
    // While the path leads to our file (same inode), its stat is our file's: one call per record.
    const ours = onDisk && onDisk.ino === this.position.ino && onDisk.dev === this.position.dev ? onDisk : undefined;
    let what: string | undefined;
    if (!onDisk) what = 'was deleted';
    else if (!ours) what = 'was replaced by another file';
    else if (ours.size !== this.position.size) what = `was changed by another program (${ours.size} bytes where this run wrote ${this.position.size})`;
    if (!what) return;
    const saved = await this.saveWhatWeHold((ours ?? (await this.handle.stat())).size);
    this.broken = new JournalIntegrityError(
      `The journal ${this.file} ${what} while this run had it open; the run stopped before sending anything more.${saved ? ` What it held was saved to ${saved}.` : ''}`,
      `Find out what removed or changed it. Check the system's state before running again: on the next run, record the steps already done with lync-runbook mark done STEP --reason "…"${saved ? ` (the saved copy shows what this run did)` : ''}.`,
    );
    throw this.broken;
  }

  /** Copies what the open file holds (an unlinked file is still readable through our handle). */
  private async saveWhatWeHold(size: number): Promise<string | undefined> {
    const copy = `${this.file}.lost-${this.runId}`;
    try {
      const buffer = Buffer.alloc(size);
      const { bytesRead } = await this.handle.read(buffer, 0, size, 0);
      await fs.writeFile(copy, buffer.subarray(0, bytesRead), { flag: 'wx' });
      return copy;
    } catch {
      return undefined; // the error already says the journal is gone; a failed copy changes nothing
    }
  }

  private toRecord(event: JournalEvent, seq: number, prev: string): JournalRecord {
    const base = { v: 1 as const, seq, prev, at: this.now().toISOString(), runId: this.runId };
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
      case 'step-reset':
        return { ...base, type: event.type, stepId: event.stepId, ...opt('reason', event.reason === undefined ? undefined : r.text(event.reason)) };
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
    for (const lockFile of this.lockFiles) await releaseLock(lockFile, this.runId);
  }
}
