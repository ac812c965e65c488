/** In-process fakes of the engine's ports and journal, for fast unit tests. */
import { actionKey } from '../../../src/adapters/journal/keys';
import { journalState, type Journal, type JournalEvent, type JournalRecord } from '../../../src/core/recovery/journal';
import { CancelledError, type CopyResult, type LogBackupFile, type LogBackupFiles, type ShellSession, type SqlGateway, type SqlResult, type SqlRow } from '../../../src/core/recovery/ports';
import type { SqlCommand } from '../../../src/core/commands/tsql';
import type { EnginePorts } from '../../../src/core/recovery';

export interface SentSql {
  readonly instanceId: string;
  readonly text: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export type SqlHandler = (sent: SentSql, onInfo?: (m: string) => void) => SqlRow[] | Promise<SqlRow[]>;

export class FakeSql implements SqlGateway {
  readonly sent: SentSql[] = [];
  constructor(private readonly handler: SqlHandler) {}

  async query(instanceId: string, command: SqlCommand, options: { signal?: AbortSignal; onInfo?: (m: string) => void } = {}): Promise<SqlResult> {
    if (options.signal?.aborted) throw new CancelledError('cancelled', instanceId);
    const sent = { instanceId, text: command.text, params: Object.fromEntries(Object.entries(command.params).map(([k, p]) => [k, p.value])) };
    this.sent.push(sent);
    return { recordsets: [await this.handler(sent, options.onInfo)], rowsAffected: [] };
  }

  async batch(instanceId: string, text: string, options: { signal?: AbortSignal } = {}): Promise<SqlResult> {
    if (options.signal?.aborted) throw new CancelledError('cancelled', instanceId);
    const sent = { instanceId, text, params: {} };
    this.sent.push(sent);
    return { recordsets: [await this.handler(sent)], rowsAffected: [] };
  }

  async close(): Promise<void> {}
}

export class FakeShell implements ShellSession {
  readonly sent: string[] = [];
  constructor(private readonly handler: (command: string) => unknown[] = () => []) {}
  async run(command: string): Promise<string> {
    this.sent.push(command);
    return '';
  }
  async runJson(command: string, options: { signal?: AbortSignal } = {}): Promise<unknown[]> {
    if (options.signal?.aborted) throw new CancelledError('cancelled', 'shell');
    this.sent.push(command);
    return this.handler(command);
  }
  async close(): Promise<void> {}
}

export class FakeFiles implements LogBackupFiles {
  readonly copied: string[] = [];
  constructor(readonly folders: Map<string, { name: string; size: number }[]> = new Map()) {}
  async list(folder: string, pattern: string): Promise<LogBackupFile[]> {
    const re = new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`, 'i');
    return (this.folders.get(folder.toLowerCase()) ?? []).filter((f) => re.test(f.name)).map((f) => ({ name: f.name, path: `${folder}\\${f.name}`, size: f.size, modified: new Date(0) }));
  }
  async copy(source: string, destFolder: string): Promise<CopyResult> {
    const name = source.split('\\').pop()!;
    const from = [...this.folders.entries()].flatMap(([, files]) => files).find((f) => f.name === name)!;
    const dest = this.folders.get(destFolder.toLowerCase()) ?? [];
    this.folders.set(destFolder.toLowerCase(), dest);
    const present = dest.some((f) => f.name === name);
    if (!present) dest.push({ ...from });
    this.copied.push(name);
    return { path: `${destFolder}\\${name}`, size: from.size, outcome: present ? 'already-present' : 'copied' };
  }
}

/** A journal in memory, with the file journal's keys. */
export class MemoryJournal implements Journal {
  readonly file = 'memory.jsonl';
  readonly runId = 'run-1';
  readonly records: JournalRecord[] = [];
  keyOf(ref: Parameters<Journal['keyOf']>[0]): string {
    return actionKey('runbook', ref);
  }
  async append(event: JournalEvent): Promise<JournalRecord> {
    const base = { v: 1 as const, seq: this.records.length, at: new Date(0).toISOString(), runId: this.runId };
    let record: JournalRecord;
    switch (event.type) {
      case 'action-started':
        record = { ...base, type: event.type, key: this.keyOf(event.ref), stepId: event.ref.stepId, index: event.ref.index, text: event.ref.text, ...(event.ref.item ? { item: event.ref.item } : {}) };
        break;
      case 'action-finished':
        record = { ...base, type: event.type, key: this.keyOf(event.ref), stepId: event.ref.stepId, index: event.ref.index, outcome: event.outcome, ...(event.error ? { error: event.error } : {}), ...(event.ref.item ? { item: event.ref.item } : {}) };
        break;
      case 'data-recorded':
        record = { ...base, type: event.type, key: this.keyOf(event.ref), stepId: event.ref.stepId, name: event.name, data: event.data };
        break;
      case 'run-started':
        record = { ...base, type: event.type, runbook: event.runbook, mode: event.mode, host: 'test', pid: 1 };
        break;
      default:
        record = { ...base, ...event } as JournalRecord;
    }
    this.records.push(record);
    return record;
  }
  async read() {
    return { records: [...this.records], problems: [] };
  }
  async state() {
    return journalState(await this.read());
  }
  async close(): Promise<void> {}
}

export function ports(sql: FakeSql, shell = new FakeShell(), files = new FakeFiles()): EnginePorts {
  return { sql, shell, files };
}
