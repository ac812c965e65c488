/**
 * Run output: every event of every run in the "Lync Recovery: Runs" log channel, and each step's
 * output in its own read-only document (`lync-run-output:` URIs, opened by "Show output"). The
 * step output is also kept in files beside the journal (`<journal>.outputs/<step>.log`), so it is
 * still there after a reload and the recovery report can quote it.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { showHidden } from '../../core/text';
import { describeError, type Logger } from '../log';

export const OUTPUT_SCHEME = 'lync-run-output';

/** Where a runbook's step outputs are kept (beside its journal, for the current target). */
export type OutputFolder = (runbookUri: vscode.Uri) => Promise<string>;

const safe = (stepId: string) => stepId.replace(/[^A-Za-z0-9._-]+/g, '-');

export class RunOutput implements vscode.TextDocumentContentProvider, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  readonly #changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.#changed.event;
  /** Lines of this session, by `<folder>|<step>`; the files hold the rest. */
  readonly #lines = new Map<string, string[]>();
  readonly #writes = new Map<string, Promise<void>>();
  readonly #registration: vscode.Disposable;

  constructor(
    private readonly folder: OutputFolder,
    private readonly log: Logger,
  ) {
    this.channel = vscode.window.createOutputChannel(vscode.l10n.t('Lync Recovery: Runs'), { log: true });
    this.#registration = vscode.workspace.registerTextDocumentContentProvider(OUTPUT_SCHEME, this);
  }

  /** The document showing a step's output. */
  uriFor(runbookUri: vscode.Uri, stepId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: OUTPUT_SCHEME, path: `/${path.basename(runbookUri.fsPath)}/${safe(stepId)}.log`, query: new URLSearchParams({ step: stepId, runbook: runbookUri.toString() }).toString() });
  }

  async #key(runbookUri: vscode.Uri, stepId: string): Promise<{ key: string; file: string }> {
    const dir = await this.folder(runbookUri);
    return { key: `${dir}|${stepId}`, file: path.join(dir, `${safe(stepId)}.log`) };
  }

  /** Appends lines to a step's output (memory, file, channel), hidden characters shown escaped. */
  async append(runbookUri: vscode.Uri, stepId: string, written: readonly string[]): Promise<void> {
    const lines = written.map(showHidden);
    const { key, file } = await this.#key(runbookUri, stepId);
    let memory = this.#lines.get(key);
    if (!memory) {
      memory = await this.#readFile(file);
      this.#lines.set(key, memory);
    }
    memory.push(...lines);
    const previous = this.#writes.get(file) ?? Promise.resolve();
    const write = previous.then(async () => {
      try {
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.appendFile(file, lines.map((l) => `${l}\n`).join(''), 'utf8');
      } catch (error) {
        this.log.warn(`Could not save the output of step ${stepId} to ${file}: ${describeError(error)}`);
      }
    });
    this.#writes.set(file, write);
    this.#changed.fire(this.uriFor(runbookUri, stepId));
  }

  /** A step's output lines: this session's, or those saved by an earlier one. */
  async lines(runbookUri: vscode.Uri, stepId: string): Promise<string[]> {
    const { key, file } = await this.#key(runbookUri, stepId);
    await this.#writes.get(file);
    return this.#lines.get(key) ?? (await this.#readFile(file));
  }

  async #readFile(file: string): Promise<string[]> {
    try {
      const text = await fs.readFile(file, 'utf8');
      return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
    } catch {
      return [];
    }
  }

  /** Forgets what this session holds in memory (the files stay): what a window reload does. */
  clear(): void {
    this.#lines.clear();
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
    this.channel.dispose();
  }
}
