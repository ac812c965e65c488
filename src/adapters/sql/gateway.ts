/**
 * `SqlGateway` over `mssql`: one connection pool per SQL instance id, created on first use and
 * reused; a pool that failed at the connection level is thrown away and a new one is made on
 * the next call (mssql would otherwise keep handing out its failed connect promise).
 */
import sql from 'mssql';
import { Redactor } from '../../core/recovery/redact';
import {
  CancelledError,
  ConnectionError,
  PortError,
  SqlLoginError,
  TimeoutError,
  type DiagnosticLog,
  type SqlCallOptions,
  type SqlGateway,
  type SqlResult,
  type SqlRow,
  type SqlServerMessage,
} from '../../core/recovery/ports';
import type { SqlCommand, SqlParamType } from '../../core/commands/tsql';
import { splitBatches } from './batches';
import { toPortError } from './errors';
import { describeEndpoint, secretsOf, toMssqlConfig, type SqlConnectionSettings } from './settings';

export interface MssqlGatewayOptions {
  /** Connection settings of an instance id; may look up secrets. Throws for an unknown id. */
  readonly settings: (instanceId: string) => SqlConnectionSettings | Promise<SqlConnectionSettings>;
  readonly log?: DiagnosticLog;
}

interface PoolEntry {
  readonly settings: SqlConnectionSettings;
  readonly redactor: Redactor;
  readonly pool: sql.ConnectionPool;
  readonly ready: Promise<sql.ConnectionPool>;
  /** The last ERROR token of the current connection attempt (tedious keeps only the text of a refused login). */
  readonly loginMessage: SqlServerMessage | undefined;
}

const SQL_TYPES: Record<SqlParamType, () => sql.ISqlType> = {
  sysname: () => sql.NVarChar(128),
  'nvarchar(260)': () => sql.NVarChar(260),
  int: () => sql.Int(),
};

/** A pool being set up (settings may be looked up asynchronously), then the pool itself. */
interface PoolSlot {
  readonly entry: Promise<PoolEntry>;
  resolved?: PoolEntry;
}

export class MssqlGateway implements SqlGateway {
  readonly #options: MssqlGatewayOptions;
  readonly #pools = new Map<string, PoolSlot>();

  constructor(options: MssqlGatewayOptions) {
    this.#options = options;
  }

  async query(instanceId: string, command: SqlCommand, options: SqlCallOptions = {}): Promise<SqlResult> {
    return this.#run(instanceId, options, (request) => {
      for (const [name, param] of Object.entries(command.params)) request.input(name, SQL_TYPES[param.type](), param.value);
      return request.query(command.text);
    });
  }

  async batch(instanceId: string, text: string, options: SqlCallOptions = {}): Promise<SqlResult> {
    const recordsets: SqlRow[][] = [];
    const rowsAffected: number[] = [];
    for (const batch of splitBatches(text)) {
      const result = await this.#run(instanceId, options, (request) => request.batch(batch));
      recordsets.push(...(result.recordsets as SqlRow[][]));
      rowsAffected.push(...result.rowsAffected);
    }
    return { recordsets, rowsAffected };
  }

  async close(): Promise<void> {
    const slots = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(slots.map(async (slot) => (await slot.entry.catch(() => undefined))?.pool.close().catch(() => undefined)));
  }

  async #run(instanceId: string, options: SqlCallOptions, send: (request: sql.Request) => Promise<sql.IResult<unknown>>): Promise<SqlResult> {
    const { signal, onInfo, timeoutMs } = options;
    if (signal?.aborted) throw new CancelledError(`Cancelled before running on SQL instance '${instanceId}'.`, instanceId);
    const entry = await this.#entry(instanceId);
    let request: sql.Request | undefined;
    const cancel = () => request?.cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    // tedious's request timeout stops at the first reply packet (RESTORE answers at once with
    // progress), so the total time of a call is bounded here, by cancelling the request.
    let timedOut = false;
    // Set when the request is handed to mssql: from then on a failure may leave its outcome
    // unknown (mssql may still be waiting for a pooled connection: unknown errs on the safe side).
    let sent = false;
    let sentWhenTimedOut = false;
    const timer = timeoutMs ? setTimeout(() => ((timedOut = true), (sentWhenTimedOut = sent), cancel()), timeoutMs) : undefined;
    try {
      await this.#connected(instanceId, entry, signal);
      request = entry.pool.request();
      if (onInfo) request.on('info', (info: { message: string }) => onInfo(entry.redactor.text(info.message)));
      // Aborted or out of time while connecting: mssql checks `canceled` when the request gets its connection.
      if (signal?.aborted || timedOut) request.cancel();
      sent = true;
      const result = await send(request);
      return { recordsets: result.recordsets as unknown as SqlRow[][], rowsAffected: result.rowsAffected };
    } catch (e) {
      if (e instanceof PortError) throw e;
      const where = `SQL instance '${instanceId}' (${describeEndpoint(entry.settings)})`;
      const error =
        timedOut && !signal?.aborted
          ? sentWhenTimedOut
            ? new TimeoutError(`The statement on ${where} did not finish within ${timeoutMs} ms and was cancelled; it may or may not have taken effect.`, instanceId, timeoutMs ?? 0, { outcomeUnknown: true })
            : new TimeoutError(`No connection to ${where} within ${timeoutMs} ms; the statement was not sent.`, instanceId, timeoutMs ?? 0)
          : toPortError(e, { instanceId, settings: entry.settings, redactor: entry.redactor, loginMessage: entry.loginMessage, requestSent: sent });
      if (error instanceof ConnectionError || error instanceof SqlLoginError) this.#discard(instanceId, entry);
      this.#options.log?.debug(`sql ${instanceId}: ${error.name}: ${error.message}`);
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
    }
  }

  /** Waits for the pool's first connection; a refused login or unreachable host rejects here. */
  async #connected(instanceId: string, entry: PoolEntry, signal: AbortSignal | undefined): Promise<void> {
    if (!signal) {
      await entry.ready;
      return;
    }
    // mssql cannot cancel a connect half-way: stop waiting for it instead.
    let onAbort!: () => void;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new CancelledError(`Cancelled while connecting to SQL instance '${instanceId}'.`, instanceId));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([entry.ready, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  #entry(instanceId: string): Promise<PoolEntry> {
    const existing = this.#pools.get(instanceId);
    if (existing) return existing.entry;
    const slot: PoolSlot = { entry: this.#createEntry(instanceId) };
    slot.entry.then(
      (entry) => (slot.resolved = entry),
      // A failed settings lookup is not cached: the next call asks again.
      () => this.#pools.get(instanceId) === slot && this.#pools.delete(instanceId),
    );
    this.#pools.set(instanceId, slot);
    return slot.entry;
  }

  async #createEntry(instanceId: string): Promise<PoolEntry> {
    const settings = await this.#options.settings(instanceId);
    const redactor = new Redactor(secretsOf(settings));
    let loginMessage: SqlServerMessage | undefined;
    const pool = new sql.ConnectionPool({
      ...toMssqlConfig(settings),
      beforeConnect: (connection) => {
        loginMessage = undefined;
        connection.on('errorMessage', (token: SqlServerMessage) => {
          loginMessage = { ...token, message: redactor.text(token.message) };
        });
      },
    });
    const entry: PoolEntry = {
      settings,
      redactor,
      pool,
      ready: pool.connect(),
      get loginMessage() {
        return loginMessage;
      },
    };
    // Without a listener an 'error' event would crash the process; the failing request reports it.
    pool.on('error', (e: unknown) => {
      this.#options.log?.warn(`sql ${instanceId} (${describeEndpoint(settings)}): ${redactor.text(String((e as Error)?.message ?? e))}`);
      this.#discard(instanceId, entry);
    });
    entry.ready.catch(() => undefined);
    return entry;
  }

  /** Forgets the instance's pool (if it is still this one) so the next call builds a new one. */
  #discard(instanceId: string, entry: PoolEntry): void {
    if (this.#pools.get(instanceId)?.resolved !== entry) return;
    this.#pools.delete(instanceId);
    entry.pool.close().catch(() => undefined);
  }
}
