/**
 * What runbook stepping draws: code lenses on the step headings and at the top, gutter
 * decorations (themed overview-ruler marks too) with the failure's message after a failed
 * step's heading and in its hover, and the status bar item of the active runbook. Everything is
 * computed by model.ts from a snapshot of the journal; this only draws it.
 */
import * as vscode from 'vscode';
import { failureLine, statusBarView, statusWord, stepLenses, SteppingCommand, topLenses, type StepStatus } from './model';
import { isRunbookUri } from './runbooks';
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

export class StepLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(
    private readonly state: SteppingState,
    private readonly log: Logger,
  ) {
    this.onDidChangeCodeLenses = (listener, thisArg, disposables) => state.onDidChange(() => listener.call(thisArg), undefined, disposables);
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    let snapshot: RunbookSnapshot;
    try {
      snapshot = await this.state.snapshot(document);
    } catch (error) {
      this.log.warn(`No step lenses for ${document.uri.fsPath}: ${describeError(error)}`);
      return [];
    }
    const lens = (line: number, l: { title: string; command: string; args: readonly string[]; tooltip?: string }) =>
      new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: l.title, command: l.command, arguments: [document.uri, ...l.args], ...(l.tooltip ? { tooltip: l.tooltip } : {}) });
    if (snapshot.runbook.steps.length === 0) return [];
    const topLine = snapshot.runbook.title?.range.start.line ?? snapshot.views[0]!.line;
    const lenses = topLenses(snapshot.views, snapshot.target, vscode.l10n.t).map((l) => lens(topLine, l));
    for (const view of snapshot.views) lenses.push(...stepLenses(view, vscode.l10n.t).map((l) => lens(view.line, l)));
    return lenses;
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
  #generation = 0;

  constructor(
    private readonly state: SteppingState,
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
      state.onDidChange(() => this.refresh()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.refresh()),
    );
    this.refresh();
  }

  refresh(): void {
    const generation = ++this.#generation;
    for (const editor of vscode.window.visibleTextEditors) {
      if (isRunbookUri(editor.document.uri)) void this.#draw(editor, generation);
    }
  }

  async #draw(editor: vscode.TextEditor, generation: number): Promise<void> {
    let snapshot: RunbookSnapshot;
    try {
      snapshot = await this.state.snapshot(editor.document);
    } catch (error) {
      this.log.debug(`No step decorations for ${editor.document.uri.fsPath}: ${describeError(error)}`);
      return;
    }
    if (generation !== this.#generation) return;
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

  constructor(private readonly state: SteppingState) {
    this.#item = vscode.window.createStatusBarItem('lyncRecovery.runbookProgress', vscode.StatusBarAlignment.Left, 49);
    this.#item.name = vscode.l10n.t('Lync Recovery: runbook progress');
    this.#item.command = SteppingCommand.showSteps;
    this.#disposables.push(state.onDidChange(() => this.refresh()), vscode.window.onDidChangeActiveTextEditor(() => this.refresh()));
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
      if (editor && editor.document.uri.scheme === 'file') this.#item.hide();
      return;
    }
    void this.state.snapshot(editor.document).then(
      (snapshot) => {
        if (generation !== this.#generation) return;
        if (snapshot.views.length === 0) return this.#item.hide();
        const view = statusBarView(snapshot.runbook.kind, snapshot.views, snapshot.target, vscode.l10n.t);
        this.#item.text = view.text;
        this.#item.tooltip = view.tooltip;
        this.#item.accessibilityInformation = { label: view.tooltip };
        this.#item.backgroundColor = view.tone === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : view.tone === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
        this.#item.show();
      },
      () => this.#item.hide(),
    );
  }

  dispose(): void {
    this.#item.dispose();
    for (const d of this.#disposables) d.dispose();
  }
}
