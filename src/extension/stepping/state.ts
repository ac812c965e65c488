/**
 * Step state of the open runbooks, from the journal (the source of truth): read when a runbook is
 * shown, re-read after every recorded action, when the journal file changes (a run from the CLI),
 * when the target changes (LIVE and REHEARSAL keep separate journals) and on `reload()`. The
 * running step and the last failure's message come from the run in progress in this window.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readJournalFile } from '../../adapters/journal/file-journal';
import { actionKey, journalFileName, runbookId } from '../../adapters/journal/keys';
import { journalState, type JournalContents } from '../../core/recovery/journal';
import type { Runbook } from '../../core/runbook/model';
import type { TargetService } from '../connections/targetService';
import type { EstateService } from '../estate/service';
import { describeError, type Logger } from '../log';
import { stepViews, type StepFailure, type StepView, type TargetDescription } from './model';
import { isRunbookUri, RunbookCache, stepShapes } from './runbooks';
import { whenSettled } from './snapshots';

export const JOURNAL_DIRECTORY_SETTING = 'lyncRecovery.journal.directory';

export interface RunbookSnapshot {
  readonly uri: vscode.Uri;
  readonly runbook: Runbook;
  readonly views: readonly StepView[];
  readonly target: TargetDescription;
  readonly failure?: StepFailure;
  readonly journalFile: string;
}

/** How long the first snapshot waits for the estate's first load (a huge workspace may take a while to search). */
const FIRST_ESTATE_LOAD_WAIT_MS = 3000;

const expandHome = (p: string) => (p === '~' || p.startsWith('~/') || p.startsWith('~\\') ? path.join(os.homedir(), p.slice(1)) : p);

export class SteppingState implements vscode.Disposable {
  readonly #changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  /** A runbook's step state changed (undefined: every runbook's). */
  readonly onDidChange = this.#changed.event;
  readonly runbooks = new RunbookCache();
  readonly #journals = new Map<string, Promise<JournalContents>>();
  readonly #running = new Map<string, string>();
  readonly #failures = new Map<string, StepFailure>();
  readonly #disposables: vscode.Disposable[] = [this.#changed];
  #watcher?: { readonly dir: string; readonly disposable: vscode.Disposable };
  #startup?: Promise<void>;

  constructor(
    private readonly targets: TargetService,
    private readonly estate: EstateService,
    private readonly storage: vscode.Uri,
    private readonly log: Logger,
  ) {
    this.#disposables.push(
      targets.onDidChange(() => this.reload()),
      estate.onDidChange(() => this.#changed.fire(undefined)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(JOURNAL_DIRECTORY_SETTING)) this.reload();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (isRunbookUri(e.document.uri) && e.contentChanges.length > 0) this.#changed.fire(e.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.runbooks.forget(d.uri)),
    );
  }

  /** Where the current target's journals live: LIVE and REHEARSAL never share one. */
  journalDirectory(): string {
    const target = this.targets.current;
    if (target.kind === 'rehearsal') {
      return target.info.root ? path.join(target.info.root, 'journals') : path.join(this.storage.fsPath, 'rehearsal-journals');
    }
    const configured = vscode.workspace.getConfiguration().get<string>(JOURNAL_DIRECTORY_SETTING)?.trim();
    // The CLI's default: a run started in a terminal resumes in the editor and the other way round.
    return configured ? path.resolve(expandHome(configured)) : path.join(os.homedir(), '.lync-recovery', 'journals');
  }

  journalFile(runbookUri: vscode.Uri): string {
    return path.join(this.journalDirectory(), journalFileName(runbookId(runbookUri.fsPath)));
  }

  /** Step outputs are kept beside the journal. */
  outputFolder(runbookUri: vscode.Uri): string {
    return this.journalFile(runbookUri).replace(/\.jsonl$/, '.outputs');
  }

  keyOf(runbookUri: vscode.Uri) {
    const id = runbookId(runbookUri.fsPath);
    return (ref: Parameters<typeof actionKey>[1]) => actionKey(id, ref);
  }

  target(): TargetDescription {
    const target = this.targets.current;
    if (target.kind === 'rehearsal') return { kind: 'rehearsal', scenario: target.info.scenario };
    const view = this.estate.current.view;
    return view.kind === 'loaded' && view.estate ? { kind: 'live', estateName: view.estate.name } : { kind: 'live' };
  }

  async journal(runbookUri: vscode.Uri): Promise<JournalContents> {
    const file = this.journalFile(runbookUri);
    this.#watch(path.dirname(file));
    let contents = this.#journals.get(file);
    if (!contents) {
      contents = readJournalFile(file);
      this.#journals.set(file, contents);
      contents.catch((error: unknown) => {
        this.#journals.delete(file);
        this.log.warn(`Cannot read the journal ${file}: ${describeError(error)}`);
      });
    }
    return contents;
  }

  async snapshot(document: vscode.TextDocument): Promise<RunbookSnapshot> {
    await this.#started();
    const uri = document.uri;
    const [runbook, contents] = await Promise.all([this.runbooks.get(document), this.journal(uri)]);
    const views = stepViews(stepShapes(runbook), journalState(contents), this.keyOf(uri), this.#running.get(uri.toString()));
    const failure = this.#failures.get(uri.toString());
    return { uri, runbook, views, target: this.target(), journalFile: this.journalFile(uri), ...(failure ? { failure } : {}) };
  }

  /**
   * Resolves once the start-up target (LYNC_RECOVERY_LAB) is known and the estate's first load
   * (started at activation, in the background) is done. A runbook opened at start-up otherwise
   * got its first lenses with "LIVE" and LIVE's journal, then, a moment later, the target change
   * and the estate load redrew them as "REHEARSAL: lab …" or "LIVE: Litware".
   */
  #started(): Promise<void> {
    this.#startup ??= Promise.all([this.targets.ready(), whenSettled(() => this.estate.current.view.kind !== 'searching', (l) => this.estate.onDidChange(l), FIRST_ESTATE_LOAD_WAIT_MS)]).then(() => undefined);
    return this.#startup;
  }

  /** The journal changed (this window appended, or a file event): re-read it. */
  journalChanged(runbookUri: vscode.Uri): void {
    this.#journals.delete(this.journalFile(runbookUri));
    this.#changed.fire(runbookUri);
  }

  running(runbookUri: vscode.Uri): string | undefined {
    return this.#running.get(runbookUri.toString());
  }

  setRunning(runbookUri: vscode.Uri, stepId: string | undefined): void {
    if (stepId === undefined) this.#running.delete(runbookUri.toString());
    else this.#running.set(runbookUri.toString(), stepId);
    this.journalChanged(runbookUri);
  }

  setFailure(runbookUri: vscode.Uri, failure: StepFailure | undefined): void {
    if (failure) this.#failures.set(runbookUri.toString(), failure);
    else this.#failures.delete(runbookUri.toString());
    this.#changed.fire(runbookUri);
  }

  /** Forgets everything held in memory and reads the journals again (what a window reload does). */
  reload(): void {
    this.#journals.clear();
    this.#failures.clear();
    this.runbooks.clear();
    this.#changed.fire(undefined);
  }

  /** Journals written by another process (the CLI, another window) update the editor too. */
  #watch(dir: string): void {
    if (this.#watcher?.dir === dir) return;
    this.#watcher?.disposable.dispose();
    try {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), '*.jsonl'));
      const changed = (uri: vscode.Uri) => {
        if (this.#journals.delete(uri.fsPath)) this.#changed.fire(undefined);
      };
      this.#watcher = { dir, disposable: vscode.Disposable.from(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed)) };
    } catch (error) {
      this.log.debug(`Not watching ${dir}: ${describeError(error)}`);
      this.#watcher = { dir, disposable: new vscode.Disposable(() => undefined) };
    }
  }

  dispose(): void {
    this.#watcher?.disposable.dispose();
    for (const d of this.#disposables) d.dispose();
  }
}
