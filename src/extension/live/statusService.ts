/**
 * Reads the live status of an estate through the ports (SqlGateway, ShellSession) of the current
 * target's clients. Bounded concurrency (SQL instances in parallel, up to `concurrency` at a
 * time; the shell's reads one after another in one slot, as the shell runs one command at a
 * time) and a per-target timeout: a dead server is reported `timeout`/`unreachable` within the
 * timeout and never holds up the others.
 *
 * No `vscode` here (the bench runs it in plain Node): changes are announced through
 * `onDidChange(keys)`, keys as in plan.ts (`sql:<id>`, `pool:<fqdn>`).
 */
import { getBackupModuleStatus, getPersistentChatState } from '../../core/commands/powershell';
import { databaseState, logShippingSnapshot, mirroringStatus, redoLsn, serverIdentity } from '../../core/commands/tsql';
import { parseDatabaseName, parseFqdn, persistentChatIdentity } from '../../core/commands/values';
import { TimeoutError } from '../../core/recovery/ports';
import type { TargetClients } from '../connections/clients';
import type { Logger } from '../log';
import { planScope, poolKey, sqlKey, type LivePlan, type PoolProbe, type RefreshScope, type SqlProbe } from './plan';
import {
  classifyError,
  parseBackupServiceStatus,
  parseDatabaseRow,
  parseIdentity,
  parseLogShippingRow,
  parseMirroringRow,
  parsePoolState,
  type DatabaseStatus,
  type Failure,
  type LiveEntry,
  type PoolReading,
  type SqlReading,
} from './readings';

export const DEFAULT_CONCURRENCY = 4;

export interface LiveStatusOptions {
  /** The current target's clients; undefined = nothing to read with. */
  readonly clients: () => TargetClients | undefined;
  readonly plan: () => LivePlan | undefined;
  readonly timeoutMs: () => number;
  readonly concurrency?: number;
  readonly now?: () => number;
  readonly log: Logger;
}

export interface RefreshOptions {
  /** May ask for missing passwords (an explicit refresh); background reads never ask. */
  readonly interactive?: boolean;
}

export interface RefreshSummary {
  readonly ms: number;
  readonly sql: number;
  readonly pools: number;
}

type Listener = (keys: readonly string[]) => void;

export class LiveStatusService {
  readonly #options: LiveStatusOptions;
  readonly #sql = new Map<string, LiveEntry<SqlReading>>();
  readonly #pools = new Map<string, LiveEntry<PoolReading>>();
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #listeners = new Set<Listener>();
  #generation = 0;
  #abort = new AbortController();

  constructor(options: LiveStatusOptions) {
    this.#options = options;
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  sqlEntry(instanceId: string): LiveEntry<SqlReading> | undefined {
    return this.#sql.get(instanceId);
  }

  poolEntry(fqdn: string): LiveEntry<PoolReading> | undefined {
    return this.#pools.get(poolKey(fqdn));
  }

  /** Every reading so far (for reports). */
  get readings(): { readonly sql: ReadonlyMap<string, LiveEntry<SqlReading>>; readonly pools: ReadonlyMap<string, LiveEntry<PoolReading>> } {
    return { sql: this.#sql, pools: this.#pools };
  }

  /** When the newest reading finished, if any. */
  get lastReadAt(): number | undefined {
    let last: number | undefined;
    for (const e of [...this.#sql.values(), ...this.#pools.values()]) if (e.last && (last === undefined || e.last.readAt > last)) last = e.last.readAt;
    return last;
  }

  /** Forgets every reading and stops the reads in progress (the target or the estate changed). */
  reset(): void {
    this.#generation++;
    this.#abort.abort();
    this.#abort = new AbortController();
    this.#inFlight.clear();
    const keys = [...[...this.#sql.keys()].map(sqlKey), ...this.#pools.keys()];
    this.#sql.clear();
    this.#pools.clear();
    if (keys.length > 0) this.#fire(keys);
  }

  /** Reads what `scope` covers (everything by default); resolves when all of it has been read. Never rejects. */
  async refresh(scope?: RefreshScope, options: RefreshOptions = {}): Promise<RefreshSummary> {
    const started = this.#now();
    const plan = this.#options.plan();
    const clients = this.#options.clients();
    if (!plan || !clients) return { ms: 0, sql: 0, pools: 0 };
    const part = planScope(plan, scope);
    const generation = this.#generation;
    const signal = this.#abort.signal;
    const tasks: (() => Promise<void>)[] = [];
    const joined: Promise<void>[] = [];

    // Pools first: the shell's start-up is the slowest read, it should begin early.
    const pools = part.pools.filter((p) => {
      const running = this.#inFlight.get(poolKey(p.fqdn));
      if (running) joined.push(running);
      return !running;
    });
    if (pools.length > 0) {
      const marked = this.#markReading(this.#pools, pools.map((p) => poolKey(p.fqdn)), (k) => k);
      const work = this.#deferred();
      for (const key of marked) this.#inFlight.set(key, work.promise);
      tasks.push(() => this.#readPools(clients, pools, generation, signal).finally(() => this.#settle(marked, work)));
    }
    for (const probe of part.sql) {
      const key = sqlKey(probe.instanceId);
      const running = this.#inFlight.get(key);
      if (running) {
        joined.push(running);
        continue;
      }
      this.#markReading(this.#sql, [probe.instanceId], sqlKey);
      const work = this.#deferred();
      this.#inFlight.set(key, work.promise);
      tasks.push(() => this.#readSql(clients, probe, generation, signal, options.interactive === true).finally(() => this.#settle([key], work)));
    }
    await Promise.all([runLimited(tasks, this.#options.concurrency ?? DEFAULT_CONCURRENCY), ...joined]);
    const ms = this.#now() - started;
    this.#options.log.debug(`Live status: read ${part.sql.length} SQL instance(s) and ${part.pools.length} pool(s) in ${ms} ms`);
    return { ms, sql: part.sql.length, pools: part.pools.length };
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  #deferred(): { promise: Promise<void>; resolve: () => void } {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }

  #settle(keys: readonly string[], work: { promise: Promise<void>; resolve: () => void }): void {
    for (const key of keys) if (this.#inFlight.get(key) === work.promise) this.#inFlight.delete(key);
    work.resolve();
  }

  #markReading<R>(map: Map<string, LiveEntry<R>>, ids: readonly string[], keyOf: (id: string) => string): string[] {
    for (const id of ids) map.set(id, { ...map.get(id), reading: true });
    const keys = ids.map(keyOf);
    this.#fire(keys);
    return keys;
  }

  #fire(keys: readonly string[]): void {
    for (const listener of this.#listeners) {
      try {
        listener(keys);
      } catch (error) {
        this.#options.log.error('Live status: a listener failed', error);
      }
    }
  }

  async #readSql(clients: TargetClients, probe: SqlProbe, generation: number, signal: AbortSignal, interactive: boolean): Promise<void> {
    const reading = await this.#sqlReading(clients, probe, signal, interactive);
    if (generation !== this.#generation) return;
    this.#sql.set(probe.instanceId, { last: reading, reading: false });
    if (reading.status === 'failed') this.#options.log.debug(`Live status: ${probe.instanceId}: ${reading.failure}: ${reading.message}`);
    this.#fire([sqlKey(probe.instanceId)]);
  }

  async #sqlReading(clients: TargetClients, probe: SqlProbe, outer: AbortSignal, interactive: boolean): Promise<SqlReading> {
    const id = probe.instanceId;
    const timeoutMs = this.#options.timeoutMs();
    // Asking for a password is not part of the server's time.
    const access = await clients.prepareSql(id, interactive);
    const started = this.#now();
    const failed = (failure: Failure, message: string): SqlReading => ({
      status: 'failed', failure, message, readAt: this.#now(), ms: this.#now() - started,
    });
    if (!access.ok) return failed(access.state === 'unknown' ? 'unknown' : access.state, access.message);
    const deadline = withDeadline(outer, timeoutMs, id);
    try {
      const call = { signal: deadline.signal, timeoutMs };
      const query = (command: Parameters<typeof clients.sql.query>[1]) => deadline.race(clients.sql.query(id, command, call));
      const identity = parseIdentity((await query(serverIdentity())).recordsets[0]?.[0]);
      const databases: DatabaseStatus[] = [];
      for (const { db, roles } of probe.databases) {
        const name = parseDatabaseName(db);
        try {
          const base = parseDatabaseRow(db, (await query(databaseState(name))).recordsets[0]?.[0]);
          if (!base.exists) {
            databases.push(base);
            continue;
          }
          const mirroring = parseMirroringRow((await query(mirroringStatus(name))).recordsets[0]?.[0]);
          let logShipping: DatabaseStatus['logShipping'];
          let redo: string | undefined;
          if (roles.includes('backup')) {
            logShipping = parseLogShippingRow((await query(logShippingSnapshot(name))).recordsets[0]?.[0]);
          }
          if (base.state === 'RESTORING') {
            const row = (await query(redoLsn(name))).recordsets[0]?.[0];
            if (row && typeof row.redo_start_lsn === 'string') redo = row.redo_start_lsn;
          }
          databases.push({ ...base, mirroring, ...(logShipping !== undefined ? { logShipping } : {}), ...(redo ? { redoLsn: redo } : {}) });
        } catch (error) {
          if (deadline.signal.aborted) throw error;
          databases.push({ db, exists: true, error: classifyError(error, timeoutMs).message });
        }
      }
      return { status: 'up', ...identity, databases, readAt: this.#now(), ms: this.#now() - started };
    } catch (error) {
      const { failure, message } = classifyError(deadline.timedOut ? new TimeoutError('timeout', id, timeoutMs) : error, timeoutMs);
      return failed(failure, message);
    } finally {
      deadline.dispose();
    }
  }

  async #readPools(clients: TargetClients, probes: readonly PoolProbe[], generation: number, signal: AbortSignal): Promise<void> {
    const timeoutMs = this.#options.timeoutMs();
    let shellDown: { failure: 'shell'; message: string } | undefined;
    for (const probe of probes) {
      const started = this.#now();
      let reading: PoolReading;
      if (!clients.shell) {
        reading = { status: 'failed', failure: 'shell', message: 'This target has no Lync Management Shell.', readAt: started, ms: 0 };
      } else if (shellDown) {
        reading = { status: 'failed', ...shellDown, readAt: started, ms: 0 };
      } else {
        try {
          const fqdn = parseFqdn(probe.fqdn);
          const call = { signal, timeoutMs };
          if (probe.kind === 'persistent-chat') {
            const state = parsePoolState(await clients.shell.runJson(getPersistentChatState(persistentChatIdentity(fqdn)), call));
            reading = { status: 'ok', kind: 'persistent-chat', ...state, readAt: this.#now(), ms: this.#now() - started };
          } else {
            const modules = parseBackupServiceStatus(await clients.shell.runJson(getBackupModuleStatus(fqdn), call));
            reading = { status: 'ok', kind: 'front-end', modules, readAt: this.#now(), ms: this.#now() - started };
          }
        } catch (error) {
          const { failure, message } = classifyError(error, timeoutMs);
          reading = { status: 'failed', failure, message, readAt: this.#now(), ms: this.#now() - started };
          // A shell that cannot start will not start for the next pool either.
          if (failure === 'shell') shellDown = { failure, message };
        }
      }
      if (generation !== this.#generation) return;
      this.#pools.set(poolKey(probe.fqdn), { last: reading, reading: false });
      if (reading.status === 'failed') this.#options.log.debug(`Live status: ${probe.fqdn}: ${reading.failure}: ${reading.message}`);
      this.#fire([poolKey(probe.fqdn)]);
    }
  }
}

/** Runs tasks with at most `limit` at a time. */
export async function runLimited(tasks: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      await task().catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), tasks.length) }, worker));
}

/** A time limit for one target: aborts the port calls and rejects at once when it passes. */
function withDeadline(outer: AbortSignal, timeoutMs: number, target: string) {
  const controller = new AbortController();
  let timedOut = false;
  let rejectAll: (error: Error) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => (rejectAll = reject));
  stopped.catch(() => undefined);
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
    rejectAll(new TimeoutError(`No answer from ${target} within ${timeoutMs} ms.`, target, timeoutMs));
  }, timeoutMs);
  const onOuter = () => {
    controller.abort();
    rejectAll(new Error('stopped'));
  };
  outer.addEventListener('abort', onOuter, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    race<T>(work: Promise<T>): Promise<T> {
      work.catch(() => undefined);
      return Promise.race([work, stopped]);
    },
    dispose() {
      clearTimeout(timer);
      outer.removeEventListener('abort', onOuter);
    },
  };
}
