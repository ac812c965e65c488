/**
 * The ports through which the recovery engine reaches the world: SQL Server, the Lync
 * Management Shell and the log-backup files. Pure interfaces and the typed errors the engine
 * catches; the implementations live in src/adapters (sql, shell, files).
 *
 * Every error here says what failed and where (instance id, host and port, share, folder) and,
 * where there is one, what to do. None ever carries a password: adapters redact their
 * configured secrets from every message before it reaches these classes.
 */
import type { PowerShellCommand } from '../commands/powershell';
import type { SqlCommand } from '../commands/tsql';

// ---------------------------------------------------------------------------------------------
// Errors

export interface PortErrorOptions {
  /**
   * The command had been sent when the call failed (a timeout, the shell ending mid-command, the
   * connection lost mid-request), so nobody knows whether it took effect. Adapters set it only
   * then: never for a failure before sending (refused connection or login, a shell that did not
   * start) nor for an answer that says what happened (a SQL error, a PowerShell error record).
   * The engine journals such an action as interrupted and verifies it before sending it again.
   */
  readonly outcomeUnknown?: boolean;
}

/** Base of every port error: `target` names what the adapter was talking to. */
export abstract class PortError extends Error {
  /** See `PortErrorOptions.outcomeUnknown`. */
  readonly outcomeUnknown: boolean;

  constructor(
    message: string,
    /** Instance id, shell, folder or file the failure is about. */
    readonly target: string,
    options: PortErrorOptions = {},
  ) {
    super(message);
    this.outcomeUnknown = options.outcomeUnknown === true;
  }
}

/** One error message returned by SQL Server (`ERROR` token). */
export interface SqlServerMessage {
  readonly number: number;
  readonly class: number;
  readonly state: number;
  readonly message: string;
  readonly serverName?: string;
  readonly procName?: string;
  readonly lineNumber?: number;
}

/**
 * SQL Server refused or failed a statement. `number`, `class` and `state` are those of the root
 * cause: SQL Server reports a failed RESTORE as the cause (e.g. 4305) followed by a generic 3013
 * "terminating abnormally"; all of them are in `messages`, in the order received.
 */
export class SqlError extends PortError {
  override readonly name: string = 'SqlError';
  readonly number: number;
  readonly class: number;
  readonly state: number;
  readonly serverName: string | undefined;

  constructor(
    message: string,
    readonly instanceId: string,
    readonly messages: readonly SqlServerMessage[],
  ) {
    super(message, instanceId);
    const cause = messages[0];
    this.number = cause?.number ?? 0;
    this.class = cause?.class ?? 0;
    this.state = cause?.state ?? 0;
    this.serverName = cause?.serverName;
  }
}

/** Login refused (Msg 18456): wrong user or password, or the login has no access. */
export class SqlLoginError extends SqlError {
  override readonly name = 'SqlLoginError';
}

export type ConnectionFailure = 'refused' | 'timeout' | 'unknown-host' | 'tls' | 'closed' | 'other';

/**
 * The instance could not be reached, or the connection dropped. When it dropped during a
 * statement, the statement may or may not have completed: `outcomeUnknown` is set.
 */
export class ConnectionError extends PortError {
  override readonly name = 'ConnectionError';

  constructor(
    message: string,
    readonly instanceId: string,
    readonly host: string,
    readonly port: number | undefined,
    readonly failure: ConnectionFailure,
    options?: PortErrorOptions,
  ) {
    super(message, instanceId, options);
  }
}

/** An operation ran longer than its time limit and was abandoned (`outcomeUnknown` once it had been sent). */
export class TimeoutError extends PortError {
  override readonly name = 'TimeoutError';

  constructor(
    message: string,
    target: string,
    readonly timeoutMs: number,
    options?: PortErrorOptions,
  ) {
    super(message, target, options);
  }
}

/** The caller's `AbortSignal` fired; the operation was stopped. */
export class CancelledError extends PortError {
  override readonly name = 'CancelledError';
}

export type ShellFailure =
  /** The PowerShell executable does not exist or cannot be started. */
  | 'not-found'
  /** The shell process exited in the middle of a command (`outcomeUnknown`), or before it was sent. */
  | 'crashed'
  /** The command wrote an error (PowerShell's message is the error's message). */
  | 'command-failed'
  /** A JSON reply without its markers, cut off, or not JSON: the command may not have run. */
  | 'bad-reply'
  /** The prelude (module import, remote session) failed: no command can run. */
  | 'prelude-failed';

export class ShellError extends PortError {
  override readonly name = 'ShellError';

  constructor(
    message: string,
    target: string,
    readonly failure: ShellFailure,
    /** PowerShell's `FullyQualifiedErrorId` and `CategoryInfo`, when it gave them. */
    readonly errorId?: string,
    readonly category?: string,
    options?: PortErrorOptions,
  ) {
    super(message, target, options);
  }
}

export type FileFailure =
  /** The share (or the folder's host) cannot be reached, or does not exist. */
  | 'share-unreachable'
  /** No space left where the file was being written. */
  | 'disk-full'
  /** A file of the same name but different size or content already exists in the destination. */
  | 'differs'
  /** The source file is missing. */
  | 'not-found'
  | 'access-denied'
  /** The copy's size does not match the source's after writing. */
  | 'size-mismatch'
  | 'io';

export class FileError extends PortError {
  override readonly name = 'FileError';

  constructor(
    message: string,
    /** The Windows path (as the estate writes it) the failure is about. */
    target: string,
    readonly failure: FileFailure,
  ) {
    super(message, target);
  }
}

// ---------------------------------------------------------------------------------------------
// SQL

export interface SqlCallOptions {
  readonly signal?: AbortSignal;
  /** INFO messages (e.g. RESTORE's "10 percent processed."), as they arrive. */
  readonly onInfo?: (message: string) => void;
  /** Overrides the gateway's request timeout for this call; 0 = no limit. */
  readonly timeoutMs?: number;
}

export type SqlRow = Readonly<Record<string, unknown>>;

export interface SqlResult {
  /** One list of rows per result set, in order. */
  readonly recordsets: readonly (readonly SqlRow[])[];
  /** Rows affected per statement. */
  readonly rowsAffected: readonly number[];
}

export interface SqlGateway {
  /** One parameterised command (sent through `sp_executesql`). */
  query(instanceId: string, command: SqlCommand, options?: SqlCallOptions): Promise<SqlResult>;
  /**
   * A script as text, split on `GO` lines and run batch by batch in order; stops at the first
   * failing batch. The results of all batches are concatenated.
   */
  batch(instanceId: string, text: string, options?: SqlCallOptions): Promise<SqlResult>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Shell

export interface ShellCallOptions {
  readonly signal?: AbortSignal;
  /** Overrides the session's invocation timeout for this call; 0 = no limit. */
  readonly timeoutMs?: number;
}

export interface ShellSession {
  /** Runs one command line; resolves with its text output (trimmed, LF line endings). */
  run(command: PowerShellCommand, options?: ShellCallOptions): Promise<string>;
  /** Runs one command with its output converted to JSON behind a per-call sentinel: the list of output objects. */
  runJson(command: PowerShellCommand, options?: ShellCallOptions): Promise<unknown[]>;
  /**
   * Starts the shell now, in the background, so the first command does not wait for it
   * (PowerShell with the Lync module takes seconds). Never fails: a start-up problem is reported
   * by the first command that needs the shell. Optional: a shell that starts at once has none.
   */
  warmUp?(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Log-backup files

export interface FileCallOptions {
  readonly signal?: AbortSignal;
}

export interface LogBackupFile {
  /** File name, e.g. `mgc_20240101000500.trn`. */
  readonly name: string;
  /** Windows path: the folder as given, a backslash, the name. */
  readonly path: string;
  readonly size: number;
  readonly modified: Date;
}

export interface CopyResult {
  /** Windows path of the file in the destination folder. */
  readonly path: string;
  readonly size: number;
  /** `already-present`: an identical file was there, nothing was written. */
  readonly outcome: 'copied' | 'already-present';
}

export interface LogBackupFiles {
  /** Files of `folder` whose name matches `pattern` (`*` and `?`, case-insensitive), sorted by name. */
  list(folder: string, pattern: string, options?: FileCallOptions): Promise<LogBackupFile[]>;
  /** Copies `source` into `destFolder` under the same name; never overwrites a differing file. */
  copy(source: string, destFolder: string, options?: FileCallOptions): Promise<CopyResult>;
}

// ---------------------------------------------------------------------------------------------
// Diagnostics

/** Where adapters write what they did (the extension's log channel fits). Lines are redacted. */
export interface DiagnosticLog {
  debug(message: string): void;
  warn(message: string): void;
}
