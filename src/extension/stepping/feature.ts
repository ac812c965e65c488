/**
 * Runbook stepping, wired: the journal-backed state, the run controller, the lenses, the gutter,
 * the status bar, the run output, and the commands the lenses carry. Commands are always
 * registered; each takes `(runbook URI, step id)` and asks for what is missing.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TargetService } from '../connections/targetService';
import type { WorkspaceTrustGuard } from '../connections/trust';
import type { EstateService } from '../estate/service';
import { registerCommand } from '../commands/register';
import type { Logger } from '../log';
import { ReadOnlyViews } from '../readOnlyView';
import { askSafely, type SafeQuestion } from '../safeDialog';
import { RunController, planDocument, type RunRequest } from './controller';
import { numberedTitle, statusWord, SteppingCommand, type StepView } from './model';
import { RunOutput } from './output';
import type { LabFiles } from './ports';
import { isRunbookUri, RunbookProblem } from './runbooks';
import { SteppingState } from './state';
import { RUNBOOK_SELECTOR, StepDecorations, StepLensProvider, stepSnapshots, StepStatusBar, type StepSnapshots } from './view';

/** What the API exposes of stepping (tests, other extensions). */
export interface SteppingApi {
  /** The steps of a runbook and their state, from the journal of the current target. */
  steps(uri: vscode.Uri): Promise<readonly StepView[]>;
  /** What the gutter shows in visible editors: status → 0-based heading lines. */
  decorations(uri: vscode.Uri): Readonly<Record<string, readonly number[]>> | undefined;
  /** Fires after the decorations of a document were drawn. */
  readonly onDidDraw: vscode.Event<vscode.Uri>;
  /** The status bar item's text ("$(checklist) PC Failover 4/8"), when shown. */
  statusBarText(): string | undefined;
  /** Fires when a runbook's step state changes. */
  readonly onDidChange: vscode.Event<vscode.Uri | undefined>;
  /** Forgets the in-memory state and re-reads the journals, as a window reload would. */
  reload(): void;
  /** The journal file of a runbook for the current target. */
  journalFile(uri: vscode.Uri): string;
  /** A step's saved output lines. */
  output(uri: vscode.Uri, stepId: string): Promise<string[]>;
}

const asUri = (value: unknown): vscode.Uri | undefined => (value instanceof vscode.Uri ? value : typeof value === 'string' && value !== '' ? (/^[a-z][\w+.-]+:/i.test(value) && !/^[a-z]:[\\/]/i.test(value) ? vscode.Uri.parse(value) : vscode.Uri.file(value)) : undefined);

export class SteppingFeature implements vscode.Disposable {
  readonly state: SteppingState;
  readonly output: RunOutput;
  readonly controller: RunController;
  /** What the lenses, the gutter and the status bar show: one snapshot per runbook. */
  readonly #snapshots: StepSnapshots;
  readonly #decorations: StepDecorations;
  readonly #statusBar: StepStatusBar;
  /** Read-only documents: dry runs here, the preflight report of guided runs. */
  readonly views = new ReadOnlyViews();
  readonly #disposables: vscode.Disposable[];

  constructor(
    context: Pick<vscode.ExtensionContext, 'extensionUri' | 'globalStorageUri'>,
    targets: TargetService,
    estate: EstateService,
    trust: WorkspaceTrustGuard,
    private readonly log: Logger,
    lab: () => LabFiles | undefined,
    /** The target's SQL version of an instance when the live status has read it: dry runs then show the exact RESTORE HEADERONLY. */
    readonly productVersion: (instanceId: string) => string | undefined = () => undefined,
  ) {
    this.state = new SteppingState(targets, estate, context.globalStorageUri, log);
    this.output = new RunOutput(async (uri) => this.state.outputFolder(uri), log, (text) => targets.secrets.text(text));
    this.controller = new RunController(this.state, this.output, targets, trust, log, lab);
    const snapshots = stepSnapshots(this.state, log);
    this.#snapshots = snapshots.snapshots;
    this.#decorations = new StepDecorations(this.#snapshots, context.extensionUri, log);
    this.#statusBar = new StepStatusBar(this.#snapshots);
    const lenses = new StepLensProvider(this.#snapshots, log);
    const run = (request: (stepId?: string) => RunRequest | undefined, needsStep: boolean) => async (uriArg?: unknown, stepArg?: unknown) => {
      const uri = await this.#runbook(uriArg);
      if (!uri) return undefined;
      const stepId = needsStep ? await this.#step(uri, stepArg) : undefined;
      if (needsStep && !stepId) return undefined;
      const req = request(stepId);
      return req && this.controller.run(uri, req);
    };
    this.#disposables = [
      this.state,
      snapshots.disposable,
      this.output,
      this.views,
      this.#decorations,
      this.#statusBar,
      lenses,
      vscode.languages.registerCodeLensProvider(RUNBOOK_SELECTOR, lenses),
      registerCommand(SteppingCommand.runStep, log, run((stepId) => ({ kind: 'step', stepId: stepId! }), true)),
      registerCommand(SteppingCommand.retryStep, log, run((stepId) => ({ kind: 'step', stepId: stepId! }), true)),
      registerCommand(SteppingCommand.runRemaining, log, run(() => ({ kind: 'remaining' }), false)),
      registerCommand(SteppingCommand.dryRunStep, log, (u?: unknown, s?: unknown) => this.dryRun(u, s, true)),
      registerCommand(SteppingCommand.dryRunRunbook, log, (u?: unknown) => this.dryRun(u, undefined, false)),
      registerCommand(SteppingCommand.markStepDone, log, (u?: unknown, s?: unknown, r?: unknown) => this.#mark(u, s, r, 'done')),
      registerCommand(SteppingCommand.skipStep, log, (u?: unknown, s?: unknown, r?: unknown) => this.#mark(u, s, r, 'skipped')),
      registerCommand(SteppingCommand.resetStep, log, (u?: unknown, s?: unknown, r?: unknown) => this.#mark(u, s, r, 'reset')),
      registerCommand(SteppingCommand.showStepOutput, log, async (u?: unknown, s?: unknown) => {
        const uri = await this.#runbook(u);
        const stepId = uri && (await this.#step(uri, s));
        if (uri && stepId) await this.output.show(uri, stepId);
      }),
      registerCommand(SteppingCommand.showSteps, log, (u?: unknown) => this.#showSteps(u)),
    ];
  }

  get api(): SteppingApi {
    return {
      steps: async (uri) => (await this.#snapshots.current(await vscode.workspace.openTextDocument(uri))).snapshot.views,
      decorations: (uri) => this.#decorations.drawn.get(uri.toString()),
      onDidDraw: this.#decorations.onDidDraw,
      statusBarText: () => this.#statusBar.text,
      onDidChange: this.state.onDidChange,
      reload: () => {
        this.output.clear();
        this.state.reload();
      },
      journalFile: (uri) => this.state.journalFile(uri),
      output: (uri, stepId) => this.output.lines(uri, stepId),
    };
  }

  /** The dry run of a step or of the whole runbook, in a read-only document beside it; returns its text. */
  async dryRun(uriArg: unknown, stepArg: unknown, oneStep: boolean): Promise<string | undefined> {
    const uri = await this.#runbook(uriArg);
    if (!uri) return undefined;
    const stepId = oneStep ? await this.#step(uri, stepArg) : undefined;
    if (oneStep && !stepId) return undefined;
    const document = await vscode.workspace.openTextDocument(uri);
    let text: string;
    try {
      const plan = await planDocument(this.state, document);
      const { formatDryRun } = await import('../../core/recovery');
      const chosen = stepId ? { ...plan, steps: plan.steps.filter((s) => s.id === stepId) } : plan;
      text = `${this.state.target().kind === 'rehearsal' ? vscode.l10n.t('REHEARSAL target: {0}', this.#targetText()) : vscode.l10n.t('LIVE target: {0}', this.#targetText())}\n\n${formatDryRun(chosen, { productVersion: this.productVersion })}`;
    } catch (error) {
      if (!(error instanceof RunbookProblem)) throw error;
      void vscode.window.showErrorMessage(error.message);
      return undefined;
    }
    await this.views.show(`Dry run of ${path.basename(uri.fsPath, '.md')}${stepId ? ` (${stepId})` : ''}.txt`, text);
    return text;
  }

  #targetText(): string {
    const t = this.state.target();
    return t.kind === 'rehearsal' ? `lab ${t.scenario ?? ''}` : (t.estateName ?? '');
  }

  /**
   * Mark done, Skip and Reset Step, asked first in a modal whose default changes nothing: a
   * misclick on a small lens must not settle (or reopen) a step. A caller that passes the reason
   * (a test, another extension) has decided, and is not asked.
   */
  async #mark(uriArg: unknown, stepArg: unknown, reasonArg: unknown, mark: 'done' | 'skipped' | 'reset'): Promise<void> {
    const uri = await this.#runbook(uriArg);
    const stepId = uri && (await this.#step(uri, stepArg));
    if (!uri || !stepId) return;
    const given = typeof reasonArg === 'string' && reasonArg.trim() !== '' ? reasonArg : undefined;
    if (!given && !(await askSafely(markQuestion(stepId, mark)))) return;
    try {
      if (mark === 'reset') await this.controller.reset(uri, stepId, given ?? 'reopened by the operator');
      else await this.controller.mark(uri, stepId, mark, given ?? (mark === 'done' ? 'done by hand' : 'skipped by the operator'));
    } catch (error) {
      if (!(error instanceof RunbookProblem)) throw error;
      void vscode.window.showErrorMessage(error.message);
      return;
    }
    const word = mark === 'done' ? vscode.l10n.t('marked done') : mark === 'skipped' ? vscode.l10n.t('skipped') : vscode.l10n.t('reopened');
    vscode.window.setStatusBarMessage(vscode.l10n.t('Step {0} {1}', stepId, word), 4000);
  }

  /** The runbook a command acts on: its argument, the active editor, or one picked among the open runbooks. */
  async #runbook(value: unknown): Promise<vscode.Uri | undefined> {
    const given = asUri(value);
    if (given) return given;
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active && isRunbookUri(active)) return active;
    const open = vscode.workspace.textDocuments.filter((d) => isRunbookUri(d.uri));
    if (open.length === 1) return open[0]!.uri;
    if (open.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a runbook (*.runbook.md) first, or create one with "Lync: New Runbook from Procedure…".'));
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      open.map((d) => ({ label: path.basename(d.uri.fsPath), description: vscode.workspace.asRelativePath(d.uri), uri: d.uri })),
      { title: vscode.l10n.t('Which runbook?') },
    );
    return picked?.uri;
  }

  async #step(uri: vscode.Uri, value: unknown): Promise<string | undefined> {
    if (typeof value === 'string' && value !== '') return value;
    const views = await this.api.steps(uri);
    const picked = await vscode.window.showQuickPick(
      views.map((v, i) => ({ label: numberedTitle(i + 1, v.title), description: statusWord(v.status, vscode.l10n.t), id: v.id })),
      { title: vscode.l10n.t('Which step of {0}?', path.basename(uri.fsPath)) },
    );
    return picked?.id;
  }

  async #showSteps(uriArg: unknown): Promise<void> {
    const uri = await this.#runbook(uriArg);
    if (!uri) return;
    const document = await vscode.workspace.openTextDocument(uri);
    const snapshot = await this.state.snapshot(document);
    const icon: Record<string, string> = { done: '$(pass-filled)', failed: '$(error)', running: '$(sync~spin)', skipped: '$(debug-step-over)', interrupted: '$(warning)', partial: '$(circle-large-outline)', pending: '$(circle-outline)' };
    const picked = await vscode.window.showQuickPick(
      snapshot.views.map((v, i) => ({ label: `${icon[v.status]} ${numberedTitle(i + 1, v.title)}`, description: statusWord(v.status, vscode.l10n.t), detail: v.error, view: v })),
      { title: `${path.basename(uri.fsPath)} — ${snapshot.target.kind === 'rehearsal' ? vscode.l10n.t('REHEARSAL') : vscode.l10n.t('LIVE')}` },
    );
    if (!picked) return;
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    const position = new vscode.Position(picked.view.line, 0);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.AtTop);
  }

  dispose(): void {
    for (const d of this.#disposables) d.dispose();
    this.log.debug('Runbook stepping disposed');
  }
}

function markQuestion(stepId: string, mark: 'done' | 'skipped' | 'reset'): SafeQuestion {
  switch (mark) {
    case 'done':
      return {
        message: vscode.l10n.t('Mark step {0} done?', stepId),
        detail: vscode.l10n.t('Only if you did it by hand: its commands are then never sent (Run step and Run remaining pass over it). Reset Step reopens it.'),
        act: vscode.l10n.t('Mark Done'),
        safe: vscode.l10n.t('Keep Open'),
      };
    case 'skipped':
      return {
        message: vscode.l10n.t('Skip step {0}?', stepId),
        detail: vscode.l10n.t('Its commands are then never sent (Run step and Run remaining pass over it), and the report shows it skipped. Reset Step reopens it.'),
        act: vscode.l10n.t('Skip Step'),
        safe: vscode.l10n.t('Keep Open'),
      };
    case 'reset':
      return {
        message: vscode.l10n.t('Reopen step {0}?', stepId),
        detail: vscode.l10n.t('Its mark and its completed commands no longer count: the next run sends them again (destructive ones are confirmed first; one interrupted earlier is verified first). The journal keeps the reset.'),
        act: vscode.l10n.t('Reset Step'),
        safe: vscode.l10n.t('Keep As Is'),
      };
  }
}
