/**
 * What runbook stepping draws: code lenses on the step headings and at the top, gutter
 * decorations (themed overview-ruler marks too) with the failure's message after a failed
 * step's heading and in its hover, and the status bar item of the active runbook. Everything is
 * computed by model.ts from one published snapshot per runbook (snapshots.ts); this only draws it.
 */
import * as vscode from 'vscode';
import { drawnFingerprint, failureLine, runbookLenses, statusBarView, statusWord, SteppingCommand, type StepStatus } from './model';
import { isRunbookUri } from './runbooks';
import { SnapshotPublisher, type Published } from './snapshots';
import type { RunbookSnapshot, SteppingState } from './state';
import { describeError, type Logger } from '../log';

export const RUNBOOK_SELECTOR: vscode.DocumentSelector = { scheme: 'file', pattern: '**/*.runbook.md' };

const DRAWN: readonly StepStatus[] = ['done', 'failed', 'running', 'skipped', 'interrupted', 'partial'];
const RULER: Record<string, string> = {
  done: 'testing.iconPassed',
  failed: 'testing.iconFailed',
  running: 'testing.iconQueued',
  skipped: 'testing.iconSkipped',
  interrupted: 'editorWarning.foreground',
  partial: 'testing.iconPassed',
};

export type StepSnapshots = SnapshotPublisher<vscode.TextDocument, RunbookSnapshot>;

export const snapshotFingerprint = (s: RunbookSnapshot): string =>
  drawnFingerprint({ views: s.views, target: s.target, ...(s.runbook.kind ? { kind: s.runbook.kind } : {}), ...(s.runbook.title ? { titleLine: s.runbook.title.range.start.line } : {}), ...(s.failure ? { failure: s.failure } : {}) });

/** The snapshots of the open runbooks, recomputed when their step state changes. */
export function stepSnapshots(state: SteppingState, log: Logger): { readonly snapshots: StepSnapshots; readonly disposable: vscode.Disposable } {
  const snapshots: StepSnapshots = new SnapshotPublisher(
    (document) => state.snapshot(document),
    snapshotFingerprint,
    (document, error) => log.debug(`No step state for ${document.uri.fsPath}: ${describeError(error)}`),
  );
  const disposable = vscode.Disposable.from(
    state.onDidChange((uri) => snapshots.refresh(uri?.toString())),
    vscode.workspace.onDidCloseTextDocument((d) => snapshots.forget(d.uri.toString())),
    { dispose: () => snapshots.dispose() },
  );
  return { snapshots, disposable };
}

export class StepLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  readonly #changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.#changed.event;
  readonly #subscription: { dispose(): void };

  constructor(
    private readonly snapshots: StepSnapshots,
    private readonly log: Logger,
  ) {
    // Fired synchronously from the publication that redraws the gutter: same turn, same snapshot.
    this.#subscription = snapshots.onDidChangeLenses(() => this.#changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] | Promise<vscode.CodeLens[]> {
    const entry = this.snapshots.lenses(document);
    if (!(entry instanceof Promise)) return this.#lenses(document, entry);
    return entry.then(
      (e) => this.#lenses(document, e),
      (error: unknown) => {
        this.log.warn(`No step lenses for ${document.uri.fsPath}: ${describeError(error)}`);
        return [];
      },
    );
  }

  #lenses(document: vscode.TextDocument, { snapshot }: Published<RunbookSnapshot>): vscode.CodeLens[] {
    return runbookLenses(snapshot.views, snapshot.target, snapshot.runbook.title?.range.start.line, vscode.l10n.t).map(
      (l) => new vscode.CodeLens(new vscode.Range(l.line, 0, l.line, 0), { title: l.title, command: l.command, arguments: [document.uri, ...l.args], ...(l.tooltip ? { tooltip: l.tooltip } : {}) }),
    );
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#changed.dispose();
  }
}

/** Gutter icons, ruler marks and the failure message, in every visible runbook editor. */
export class StepDecorations implements vscode.Disposable {
  readonly #types: Map<StepStatus, vscode.TextEditorDecorationType>;
  readonly #message: vscode.TextEditorDecorationType;
  readonly #disposables: vscode.Disposable[] = [];
  /** What is drawn, by document URI: status → heading lines (the API exposes it to tests). */
  readonly drawn = new Map<string, Record<string, number[]>>();
  readonly #drawnEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidDraw = this.#drawnEmitter.event;

  constructor(
    private readonly snapshots: StepSnapshots,
    extensionUri: vscode.Uri,
    private readonly log: Logger,
  ) {
    this.#types = new Map(
      DRAWN.map((status) => [
        status,
        vscode.window.createTextEditorDecorationType({
          gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'stepping', `${status}.svg`),
          gutterIconSize: '80%',
          overviewRulerColor: new vscode.ThemeColor(RULER[status]!),
          overviewRulerLane: vscode.OverviewRulerLane.Left,
          isWholeLine: true,
          ...(status === 'failed' ? { backgroundColor: new vscode.ThemeColor('inputValidation.errorBackground') } : {}),
        }),
      ]),
    );
    this.#message = vscode.window.createTextEditorDecorationType({
      after: { color: new vscode.ThemeColor('editorError.foreground'), margin: '0 0 0 2em', fontStyle: 'italic' },
    });
    this.#disposables.push(
      this.#drawnEmitter,
      // A publication is drawn at once, in every editor of its document.
      snapshots.onDidPublish((entry) => this.#drawPublished(entry)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.refresh()),
    );
    this.refresh();
  }

  /** Draws the visible runbook editors (computing their snapshot when there is none yet). */
  refresh(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (!isRunbookUri(editor.document.uri)) continue;
      this.snapshots.current(editor.document).then(
        // The newest publication, should one have come meanwhile (it drew already; drawing it again is harmless).
        (entry) => this.#draw(editor, this.snapshots.published(editor.document) ?? entry),
        (error: unknown) => this.log.debug(`No step decorations for ${editor.document.uri.fsPath}: ${describeError(error)}`),
      );
    }
  }

  #drawPublished(entry: Published<RunbookSnapshot>): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() === entry.key) this.#draw(editor, entry);
    }
  }

  #draw(editor: vscode.TextEditor, { snapshot }: Published<RunbookSnapshot>): void {
    const byStatus = new Map<StepStatus, vscode.DecorationOptions[]>();
    const messages: vscode.DecorationOptions[] = [];
    const drawn: Record<string, number[]> = {};
    for (const view of snapshot.views) {
      const line = editor.document.lineAt(Math.min(view.line, editor.document.lineCount - 1));
      const failure = failureLine(view, snapshot.failure, vscode.l10n.t);
      const hover = new vscode.MarkdownString(`**${view.title}** — ${statusWord(view.status, vscode.l10n.t)}${view.total ? ` (${view.completed}/${view.total})` : ''}${view.at ? `, ${new Date(view.at).toLocaleString()}` : ''}${failure ? `\n\n${failure}` : ''}`);
      if (view.status !== 'pending') {
        byStatus.set(view.status, [...(byStatus.get(view.status) ?? []), { range: line.range, hoverMessage: hover }]);
        (drawn[view.status] ??= []).push(view.line);
      }
      if (failure) messages.push({ range: new vscode.Range(line.range.end, line.range.end), renderOptions: { after: { contentText: `  ✗ ${failure}` } } });
    }
    for (const [status, type] of this.#types) editor.setDecorations(type, byStatus.get(status) ?? []);
    editor.setDecorations(this.#message, messages);
    this.drawn.set(editor.document.uri.toString(), drawn);
    this.#drawnEmitter.fire(editor.document.uri);
  }

  dispose(): void {
    for (const t of this.#types.values()) t.dispose();
    this.#message.dispose();
    for (const d of this.#disposables) d.dispose();
  }
}

/** "PC Failover 4/8" for the active runbook; click → the steps. */
export class StepStatusBar implements vscode.Disposable {
  readonly #item: vscode.StatusBarItem;
  readonly #disposables: vscode.Disposable[] = [];
  #generation = 0;
  /** The runbook the item shows: it keeps following it while a preview or an output view has the focus. */
  #shownKey?: string;

  constructor(private readonly snapshots: StepSnapshots) {
    this.#item = vscode.window.createStatusBarItem('lyncRecovery.runbookProgress', vscode.StatusBarAlignment.Left, 49);
    this.#item.name = vscode.l10n.t('Lync Recovery: runbook progress');
    this.#item.command = SteppingCommand.showSteps;
    this.#disposables.push(
      snapshots.onDidPublish((entry) => this.#publishedFor(entry)),
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
    );
    this.refresh();
  }

  get text(): string | undefined {
    return this.#item.text || undefined;
  }

  refresh(): void {
    const generation = ++this.#generation;
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isRunbookUri(editor.document.uri)) {
      // An output view or a preview beside the runbook keeps the item.
      if (editor && editor.document.uri.scheme === 'file') this.#hide();
      return;
    }
    this.snapshots.current(editor.document).then(
      (entry) => {
        if (generation === this.#generation) this.#show(this.snapshots.published(editor.document) ?? entry);
      },
      () => {
        if (generation === this.#generation) this.#hide();
      },
    );
  }

  #publishedFor(entry: Published<RunbookSnapshot>): void {
    const editor = vscode.window.activeTextEditor;
    const following = editor && isRunbookUri(editor.document.uri) ? editor.document.uri.toString() : this.#shownKey;
    if (entry.key === following) this.#show(entry);
  }

  #hide(): void {
    this.#shownKey = undefined;
    this.#item.hide();
  }

  #show({ key, snapshot }: Published<RunbookSnapshot>): void {
    if (snapshot.views.length === 0) return this.#hide();
    this.#shownKey = key;
    const view = statusBarView(snapshot.runbook.kind, snapshot.views, snapshot.target, vscode.l10n.t);
    this.#item.text = view.text;
    this.#item.tooltip = view.tooltip;
    this.#item.accessibilityInformation = { label: view.tooltip };
    this.#item.backgroundColor = view.tone === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : view.tone === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.#item.show();
  }

  dispose(): void {
    this.#item.dispose();
    for (const d of this.#disposables) d.dispose();
  }
}
