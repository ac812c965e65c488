/**
 * Run output: every event of every run in the "Lync Recovery: Runs" log channel, and each step's
 * output in its own read-only document (`lync-run-output:` URIs, opened by "Show output"). The
 * step output is also kept in files beside the journal (`<journal>.outputs/<step>.log`, see
 * outputStore.ts), so it is still there after a reload and the recovery report can quote it.
 * Both are redacted.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError, type Logger } from '../log';
import { StepOutputStore } from './outputStore';
import { showHidden } from '../../core/text';

export const OUTPUT_SCHEME = 'lync-run-output';

/** Where a runbook's step outputs are kept (beside its journal, for the current target). */
export type OutputFolder = (runbookUri: vscode.Uri) => Promise<string>;

export class RunOutput implements vscode.TextDocumentContentProvider, vscode.Disposable {
  readonly #channel: vscode.LogOutputChannel;
  readonly #changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.#changed.event;
  readonly #store: StepOutputStore;
  readonly #registration: vscode.Disposable;

  constructor(
    private readonly folder: OutputFolder,
    log: Logger,
    /** Every line shown or saved passes through it (the known passwords). */
    private readonly redact: (text: string) => string,
  ) {
    this.#channel = vscode.window.createOutputChannel(vscode.l10n.t('Lync Recovery: Runs'), { log: true });
    this.#store = new StepOutputStore(redact, (stepId, file, error) => log.warn(`Could not save the output of step ${stepId} to ${file}: ${describeError(error)}`));
    this.#registration = vscode.workspace.registerTextDocumentContentProvider(OUTPUT_SCHEME, this);
  }

  /** Writes one line to the "Lync Recovery: Runs" channel. */
  info(line: string): void {
    this.#channel.info(this.redact(line));
  }

  /** The document showing a step's output. */
  uriFor(runbookUri: vscode.Uri, stepId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: OUTPUT_SCHEME, path: `/${path.basename(runbookUri.fsPath)}/${StepOutputStore.fileName(stepId)}`, query: new URLSearchParams({ step: stepId, runbook: runbookUri.toString() }).toString() });
  }

  /** Appends lines to a step's output (memory, file, channel), redacted, hidden characters shown escaped. */
  async append(runbookUri: vscode.Uri, stepId: string, written: readonly string[]): Promise<void> {
    const lines = written.map((line) => showHidden(this.redact(line)));
    await this.#store.append(await this.folder(runbookUri), stepId, lines);
    this.#changed.fire(this.uriFor(runbookUri, stepId));
  }

  /** A step's output lines: this session's, or those saved by an earlier one. */
  async lines(runbookUri: vscode.Uri, stepId: string): Promise<string[]> {
    return this.#store.lines(await this.folder(runbookUri), stepId);
  }

  /** Forgets what this session holds in memory (the files stay): what a window reload does. */
  clear(): void {
    this.#store.clear();
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = new URLSearchParams(uri.query);
    const runbookUri = vscode.Uri.parse(query.get('runbook') ?? '');
    const stepId = query.get('step') ?? path.basename(uri.path, '.log');
    const lines = await this.lines(runbookUri, stepId);
    if (lines.length === 0) return vscode.l10n.t('No output yet for step {0} of {1}.', stepId, path.basename(runbookUri.fsPath)) + '\n';
    return `${lines.join('\n')}\n`;
  }

  async show(runbookUri: vscode.Uri, stepId: string): Promise<vscode.TextEditor> {
    const doc = await vscode.workspace.openTextDocument(this.uriFor(runbookUri, stepId));
    return vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
  }

  dispose(): void {
    this.#registration.dispose();
    this.#changed.dispose();
    this.#channel.dispose();
  }
}
