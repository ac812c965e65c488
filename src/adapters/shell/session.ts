/**
 * `ShellSession` over node-powershell. One PowerShell process at a time, started on first use
 * with its prelude (UTF-8 output, the Lync module or a remote session) and kept for the next
 * commands. Commands run strictly one after another. After a timeout, a cancel or a crash the
 * process is killed (it may be stuck, or hold half a reply) and the next command starts a fresh
 * one; its prelude runs again. A timeout or crash once the command was sent is `outcomeUnknown`
 * (it may have taken effect); during the prelude it is not (the command never left).
 */
import { randomBytes } from 'node:crypto';
import type { PowerShellCommand } from '../../core/commands/powershell';
import { parseWrappedJson, wrapForJson } from '../../core/commands/psjson';
import { CancelledError, ShellError, TimeoutError, type DiagnosticLog, type ShellCallOptions, type ShellSession } from '../../core/recovery/ports';
import { describePowerShellError, parsePowerShellError } from './errors';
import { UTF8_OUTPUT } from './prelude';
import { ProcessEnded, ShellProcess, type Output } from './process';

export interface PowerShellSessionOptions {
  /** Default: `powershell.exe` (Windows PowerShell 5.1, the Lync module's shell) on Windows, `pwsh` elsewhere. */
  readonly executable?: string;
  /** Arguments placed before PowerShell's own (`-NoProfile -NonInteractive … -Command -`). */
  readonly args?: readonly string[];
  /** Added to the shell's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** One-line commands run when a shell starts, after UTF-8 output is set (see prelude.ts). */
  readonly prelude?: readonly string[];
  /** Limit for one command (and for each prelude line); 0 = none. Default 10 minutes. */
  readonly invocationTimeoutMs?: number;
  /**
   * Called every `heartbeatMs` while a command or a prelude line waits for its answer, with the
   * time waited: a hung shell otherwise looks like a silent terminal until the time limit.
   */
  readonly onWaiting?: (waitedMs: number) => void;
  /** Default 15 s. */
  readonly heartbeatMs?: number;
  readonly log?: DiagnosticLog;
}

export const DEFAULT_INVOCATION_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_HEARTBEAT_MS = 15_000;

export const defaultExecutable = (): string => (process.platform === 'win32' ? 'powershell.exe' : 'pwsh');

const newNonce = () => randomBytes(12).toString('hex');

export class PowerShellSession implements ShellSession {
  readonly #executable: string;
  readonly #options: PowerShellSessionOptions;
  readonly #target: string;
  #process: ShellProcess | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;
  /** A `warmUp` start is running: nobody waits for it, so `close` may stop it. */
  #warming = false;

  constructor(options: PowerShellSessionOptions = {}) {
    for (const line of options.prelude ?? []) {
      if (/[\r\n]/.test(line)) throw new Error('each prelude entry must be one line: the shell reads one command per line');
    }
    this.#options = options;
    this.#executable = options.executable || defaultExecutable();
    this.#target = `PowerShell (${this.#executable})`;
  }

  run(command: PowerShellCommand, options: ShellCallOptions = {}): Promise<string> {
    return this.#serial(async () => {
      const out = await this.#exchange(command, options);
      if (out.stderr.trim() !== '') throw this.#commandFailed(out.stderr);
      return out.stdout;
    });
  }

  runJson(command: PowerShellCommand, options: ShellCallOptions = {}): Promise<unknown[]> {
    return this.#serial(async () => {
      const nonce = newNonce();
      const out = await this.#exchange(wrapForJson(command, nonce), options);
      const reply = parseWrappedJson(out.stdout, nonce);
      if (reply.ok) {
        if (out.stderr.trim() !== '') this.#options.log?.warn(`shell: the command succeeded but also wrote: ${parsePowerShellError(out.stderr).message}`);
        return reply.value;
      }
      if (reply.error.code === 'command-failed') {
        const { message, errorId, category } = reply.error;
        throw new ShellError(category ? `${message} (${category})` : message, this.#target, 'command-failed', errorId, category);
      }
      if (out.stderr.trim() !== '') throw this.#commandFailed(out.stderr);
      throw new ShellError(reply.error.message, this.#target, 'bad-reply');
    });
  }

  /**
   * Starts the shell and runs its prelude now, queued like a command. A failure is only logged:
   * the first command starts a shell again and reports it.
   */
  warmUp(): void {
    if (this.#closed) return;
    const timeoutMs = this.#options.invocationTimeoutMs ?? DEFAULT_INVOCATION_TIMEOUT_MS;
    void this.#serial(async () => {
      if (this.#closed) return;
      this.#warming = true;
      try {
        await this.#running(undefined, timeoutMs);
      } catch (e) {
        this.#options.log?.debug(`shell: starting ahead of the first command failed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        this.#warming = false;
      }
    }).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.#closed = true;
    // A start nobody asked a command of yet is stopped, not waited for.
    if (this.#warming) await this.#drop();
    await this.#tail;
    await this.#drop();
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the shell session is closed'));
    const result = this.#tail.then(work);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Sends one line on the running shell (started if needed) and returns what it wrote. */
  async #exchange(line: string, options: ShellCallOptions): Promise<Output> {
    const timeoutMs = options.timeoutMs ?? this.#options.invocationTimeoutMs ?? DEFAULT_INVOCATION_TIMEOUT_MS;
    if (options.signal?.aborted) throw new CancelledError('Cancelled before the command was sent to the shell.', this.#target);
    const proc = await this.#running(options.signal, timeoutMs);
    return this.#guard(proc, line, options.signal, timeoutMs, 'command');
  }

  async #running(signal: AbortSignal | undefined, timeoutMs: number): Promise<ShellProcess> {
    if (this.#process?.end) {
      this.#options.log?.warn(`shell: the PowerShell process had ended (${describeEnd(this.#process)}); starting a new one`);
      this.#process = undefined;
    }
    if (this.#process) return this.#process;
    const proc = new ShellProcess({ executable: this.#executable, args: this.#options.args ?? [], env: this.#options.env ?? {} });
    this.#process = proc;
    this.#options.log?.debug(`shell: started ${this.#executable}`);
    for (const line of [UTF8_OUTPUT, ...(this.#options.prelude ?? [])]) {
      const out = await this.#guard(proc, line, signal, timeoutMs, 'prelude');
      if (out.stderr.trim() !== '') {
        await this.#drop();
        const parsed = parsePowerShellError(out.stderr);
        throw new ShellError(
          `The shell's start-up command failed, so no command can run: ${line} → ${describePowerShellError(parsed)}`,
          this.#target,
          'prelude-failed',
          parsed.errorId,
          parsed.category,
        );
      }
    }
    return proc;
  }

  /**
   * Runs one line, bounded by the time limit and the signal; a shell that fails them is killed.
   * `what`: the caller's command (whose outcome a timeout or crash leaves unknown) or a prelude line.
   */
  async #guard(proc: ShellProcess, line: string, signal: AbortSignal | undefined, timeoutMs: number, what: 'command' | 'prelude'): Promise<Output> {
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const { onWaiting } = this.#options;
    const started = Date.now();
    const heartbeat = onWaiting ? setInterval(() => onWaiting(Date.now() - started), this.#options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS) : undefined;
    const stop = new Promise<never>((_, reject) => {
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          const message =
            what === 'command'
              ? `The shell did not answer within ${timeoutMs} ms; it was stopped and the next command starts a new one.`
              : `The shell did not start within ${timeoutMs} ms (no answer to its start-up command ${line}); it was stopped before the command was sent, and the next command starts a new one.`;
          reject(new TimeoutError(message, this.#target, timeoutMs, { outcomeUnknown: what === 'command' }));
        }, timeoutMs);
      }
      if (signal) {
        onAbort = () => reject(new CancelledError('Cancelled: the shell was stopped; the command may or may not have run.', this.#target));
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
    const work = proc.invoke(line);
    try {
      return await Promise.race([work, stop]);
    } catch (e) {
      // The abandoned invocation settles when the process is killed; nothing is waiting for it.
      work.catch(() => undefined);
      await this.#drop();
      throw e instanceof ProcessEnded ? this.#ended(e, what === 'command' && e.sent) : e;
    } finally {
      clearTimeout(timer);
      clearInterval(heartbeat);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  async #drop(): Promise<void> {
    const proc = this.#process;
    this.#process = undefined;
    await proc?.kill();
  }

  #ended(e: ProcessEnded, commandSent: boolean): ShellError {
    const end = e.end;
    if (end.kind === 'spawn-failed') {
      const what = end.code === 'ENOENT' ? 'PowerShell not found' : `PowerShell could not be started (${end.code})`;
      return new ShellError(`${what}: set lyncRecovery.shell.executable (tried '${this.#executable}').`, this.#target, 'not-found');
    }
    const how = end.signal ?? `exit code ${end.exitCode}`;
    if (!commandSent) {
      return new ShellError(`The PowerShell process ended (${how}) before the command was sent; the next command starts a new shell.`, this.#target, 'crashed');
    }
    return new ShellError(
      `The PowerShell process ended in the middle of the command (${how}); the command may or may not have run. The next command starts a new shell.`,
      this.#target,
      'crashed',
      undefined,
      undefined,
      { outcomeUnknown: true },
    );
  }

  #commandFailed(stderr: string): ShellError {
    const parsed = parsePowerShellError(stderr);
    return new ShellError(describePowerShellError(parsed), this.#target, 'command-failed', parsed.errorId, parsed.category);
  }
}

function describeEnd(proc: ShellProcess): string {
  const end = proc.end;
  if (!end) return 'running';
  return end.kind === 'spawn-failed' ? end.code : (end.signal ?? `exit code ${end.exitCode}`);
}
