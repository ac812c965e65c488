/**
 * One PowerShell process driven by node-powershell, with what node-powershell leaves out:
 * knowing that (and how) the process ended, without an unhandled rejection when it does; a
 * kill that does not wait forever; the output fixes of stdio.ts.
 */
import { PowerShell, type PSExecutableOptions } from 'node-powershell';
import { shellEnvironment } from './environment';
import { normaliseShellOutput } from './stdio';

export interface LaunchConfig {
  readonly executable: string;
  /** Arguments before PowerShell's own (e.g. a script path when the "shell" is `node`). */
  readonly args: readonly string[];
  /** Added to the environment of this process (password variables are dropped: environment.ts). */
  readonly env: Readonly<Record<string, string>>;
}

export type ProcessEnd =
  /** Spawn failed: `code` is Node's (ENOENT: no such executable, EACCES…). */
  | { readonly kind: 'spawn-failed'; readonly code: string; readonly message: string }
  | { readonly kind: 'exited'; readonly exitCode: number | null; readonly signal: string | null };

export interface Output {
  readonly stdout: string;
  readonly stderr: string;
}

/** Signals that the process ended while a command was running (or before it could). */
export class ProcessEnded extends Error {
  constructor(
    readonly end: ProcessEnd,
    /** The command had been handed to the shell: it may or may not have run. */
    readonly sent: boolean,
  ) {
    super(end.kind === 'spawn-failed' ? end.message : `exited with code ${end.exitCode ?? end.signal}`);
  }
}

const KILL_GRACE_MS = 5_000;

/**
 * node-powershell puts `-NoLogo` first and `-NoExit -Command -` last; executable options are an
 * ordered object of `{ argument: true }`. Launch arguments must come before PowerShell's (a
 * script for `node`), so the leading `-NoLogo` is switched off and re-added, in another case
 * (PowerShell's switches are case-insensitive; object keys are not), after them.
 */
export function executableOptions(args: readonly string[]): PSExecutableOptions {
  const options: Record<string, boolean> = { '-NoLogo': false };
  for (const arg of args) {
    // Integer-like keys would be moved to the front of the object; repeated ones would merge.
    if (/^\d+$/.test(arg) || arg in options) throw new Error(`unsupported shell argument ${JSON.stringify(arg)} (numbers and repeats cannot be passed)`);
    options[arg] = true;
  }
  return { ...options, '-nologo': true, '-NoProfile': true, '-NonInteractive': true };
}

/** child-shell's promise that settles when the process ends: rejects on a spawn error or a non-zero exit. */
function exitPromiseOf(shell: PowerShell): Promise<void> {
  const exit = (shell as unknown as { exitPromise?: unknown }).exitPromise;
  if (!(exit instanceof Promise)) throw new Error('node-powershell changed: no exitPromise (this adapter is written for node-powershell 5.0.1)');
  return exit as Promise<void>;
}

function endOf(error: unknown): ProcessEnd {
  const e = error as { originalError?: { code?: unknown; message?: unknown }; exitCode?: unknown; signalCode?: unknown; message?: unknown };
  const spawnCode = e?.originalError?.code;
  if (typeof spawnCode === 'string') return { kind: 'spawn-failed', code: spawnCode, message: String(e.originalError?.message ?? spawnCode) };
  return {
    kind: 'exited',
    exitCode: typeof e?.exitCode === 'number' ? e.exitCode : null,
    signal: typeof e?.signalCode === 'string' ? e.signalCode : null,
  };
}

export class ShellProcess {
  readonly #shell: PowerShell;
  #end: ProcessEnd | undefined;
  /** Settles (never rejects) when the process has ended. */
  readonly ended: Promise<ProcessEnd>;

  constructor(launch: LaunchConfig) {
    this.#shell = new PowerShell({
      executable: launch.executable,
      executableOptions: executableOptions(launch.args),
      spawnOptions: { env: shellEnvironment(process.env, launch.env) },
      // Timeouts and errors are handled here: node-powershell's leave a stuck shell behind.
      invocationTimeout: 0,
      throwOnInvocationError: false,
    });
    normaliseShellOutput(this.#shell);
    // Registered before any invocation races on the same promise, so `end` is known first.
    this.ended = exitPromiseOf(this.#shell).then(
      () => (this.#end = { kind: 'exited', exitCode: 0, signal: null }),
      (e: unknown) => (this.#end = endOf(e)),
    );
  }

  /** Undefined while the process runs. */
  get end(): ProcessEnd | undefined {
    return this.#end;
  }

  /** Runs one line. Rejects with `ProcessEnded` if the process ends before the reply is complete. */
  async invoke(command: string): Promise<Output> {
    if (this.#end) throw new ProcessEnded(this.#end, false);
    // From here on the line may have reached the shell (node-powershell writes it at once).
    const result = await this.#shell.invoke(command).catch((e: unknown) => {
      const end = this.#end ?? endOf(e);
      throw new ProcessEnded(end, end.kind !== 'spawn-failed');
    });
    // An exit with code 0 mid-command resolves as an empty "success".
    if (this.#end) throw new ProcessEnded(this.#end, true);
    return { stdout: result.stdout?.toString('utf8') ?? '', stderr: result.stderr?.toString('utf8') ?? '' };
  }

  /** Terminates the process (it may be stuck) and waits until it is gone. */
  async kill(): Promise<void> {
    if (this.#end) return;
    const force = setTimeout(() => void this.#shell.dispose('SIGKILL').catch(() => undefined), KILL_GRACE_MS);
    try {
      await this.#shell.dispose('SIGTERM').catch(() => undefined);
      await this.ended;
    } finally {
      clearTimeout(force);
    }
  }
}
