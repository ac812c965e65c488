/** What `activate()` returns: used by the extension-host tests and by other extensions. */
import type * as vscode from 'vscode';
import type { RehearsalApi } from './rehearsal/feature';
import type { SteppingApi } from './stepping/feature';

export interface LyncRecoveryApi {
  /** How long `activate()` ran (ms, `performance.now()` around its body). The number: ≤ 30 ms. */
  readonly activationMs: number;
  /** The extension host's CPU time (user + system, ms, `process.cpuUsage()`) over the same span: unlike `activationMs`, not inflated when the machine is busy. */
  readonly activationCpuMs: number;
  /**
   * How long the bundle's module code ran (ms), from its first statement to its last (esbuild's
   * banner and footer in dist/extension.js) — after VS Code read and compiled the file, before
   * `activate()`. Undefined when not run from the bundle.
   */
  readonly bundleEvaluationMs: number | undefined;
  /** The Estate view's data provider; tests walk it as the view does. */
  readonly estateTree: vscode.TreeDataProvider<unknown>;
  /** Resolves once the estate (or its absence) has been loaded after activation or the last refresh. */
  estateReady(): Promise<void>;
  /** What status reads (and later, steps) connect to: LIVE or REHEARSAL. */
  readonly target: LyncTargetApi;
  /** The Estate view's live status. */
  readonly live: LyncLiveApi;
  /** Connection checks and saved SQL passwords. */
  readonly connections: LyncConnectionsApi;
  /** Runbook stepping: step states from the journal, what the gutter and status bar show. */
  readonly stepping: SteppingApi;
  /** The rehearsal lab started by "Rehearse Runbook". */
  readonly rehearsal: RehearsalApi;
}

export interface LyncTargetApi {
  /** `live`, or `rehearsal` (a lab). */
  readonly kind: 'live' | 'rehearsal';
  /** Resolves once the start-up target is known (`LYNC_RECOVERY_LAB` read). */
  ready(): Promise<void>;
  /** Uses a running lab: its info object (`Lab.info`, or the JSON `npm run lab` prints). */
  useRehearsal(info: unknown, source?: string): Promise<void>;
  useLive(): Promise<void>;
  readonly onDidChange: vscode.Event<unknown>;
}

export interface LyncLiveApi {
  /**
   * Reads the live status of everything, or of what the row `nodeId` shows (e.g.
   * `pool:atl-gc-001.litwareinc.com`); resolves once the tree has the readings. Rejects in an
   * untrusted workspace. `interactive` may ask for missing passwords.
   */
  refresh(options?: { readonly nodeId?: string; readonly interactive?: boolean }): Promise<{ readonly ms: number }>;
}

export interface LyncConnectionsApi {
  /** Instance ids with a password in the secret storage. */
  savedPasswords(): Promise<string[]>;
  /** Runs "Test Connections" and returns the report's Markdown (undefined when untrusted). */
  testConnections(): Promise<string | undefined>;
  /**
   * Answers password prompts with `prompt` instead of the InputBox, until disposed (automation
   * and tests: the InputBox cannot be typed into from an extension).
   */
  answerPasswordPrompts(prompt: (request: { readonly instanceId: string; readonly account: string }) => Promise<string | undefined>): vscode.Disposable;
  /** The folder of the extension's log files (the "Lync Recovery" log channel writes there). */
  readonly logUri: vscode.Uri;
}
