/**
 * Guided procedures: "Lync: Fail Over Persistent Chat…" and the other four, one command per step
 * of each procedure ("Lync: Persistent Chat Failover — 4. Apply the unapplied log backups"), and
 * "Lync: New Runbook from Procedure…".
 *
 * A guided run picks the pool, renders the procedure into the workspace's
 * `.lync-recovery/runbooks/<kind>-<pool>.runbook.md` (or reuses it: it is the journal's identity,
 * so a guided run resumes where it stopped), opens it, shows the preflight report, then for each
 * step shows its exact commands and target, asks, runs it through the run controller (progress,
 * cancel, verification) and goes on. The per-step commands run one step of that same runbook.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Estate } from '../../core/estate/model';
import type { ProcedureKind } from '../../core/procedures/types';
import { showHidden } from '../../core/text';
import { registerCommand } from '../commands/register';
import type { EstateService } from '../estate/service';
import type { Logger } from '../log';
import { planDocument } from '../stepping/controller';
import type { SteppingFeature } from '../stepping/feature';
import { targetLabel } from '../stepping/model';
import { RunbookProblem } from '../stepping/runbooks';
import {
  GuidedCommand,
  guidedNext,
  guidedRunbookPath,
  newRunbookFileName,
  parseStepCommandId,
  poolArgument,
  poolCandidates,
  preflightMarkdown,
  PROCEDURES,
  procedureInfo,
  relativeEstatePath,
  showPreflight,
  stepConfirmation,
} from './model';

/** The pool quick pick's title (literal `l10n.t` calls, so the strings can be extracted). */
function pickTitle(kind: ProcedureKind): string {
  switch (kind) {
    case 'persistent-chat-failover':
      return vscode.l10n.t('Which Persistent Chat pool fails over to its backup databases?');
    case 'persistent-chat-failback':
      return vscode.l10n.t('Which Persistent Chat pool fails back to its primary databases?');
    case 'conference-restore':
      return vscode.l10n.t('Which Front End pool lost its conference content?');
    case 'pool-failover':
      return vscode.l10n.t('Which Front End pool failed (its users move to its paired pool)?');
    case 'pool-failback':
      return vscode.l10n.t('Which Front End pool gets its users back from its paired pool?');
    default:
      return procedureInfo(kind).pick;
  }
}

/** How long a guided run waits for the preflight report's preview to show before it goes on anyway. */
const PREVIEW_WAIT_MS = 5000;

/** Resolves true once the active tab of the active group matches, false after `ms`. */
function whenActiveTab(match: (tab: vscode.Tab) => boolean, ms: number): Promise<boolean> {
  const active = () => {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    return tab !== undefined && match(tab);
  };
  if (active()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      for (const d of subscriptions) d.dispose();
      resolve(value);
    };
    const check = () => {
      if (active()) done(true);
    };
    const subscriptions = [vscode.window.tabGroups.onDidChangeTabs(check), vscode.window.tabGroups.onDidChangeTabGroups(check)];
    const timer = setTimeout(() => done(false), ms);
  });
}

export class GuidedFeature implements vscode.Disposable {
  readonly #disposables: vscode.Disposable[];

  constructor(
    /** The per-step command ids contributed in package.json. */
    stepCommandIds: readonly string[],
    private readonly estate: EstateService,
    private readonly stepping: SteppingFeature,
    private readonly log: Logger,
  ) {
    this.#disposables = [
      // The pool: an FQDN, the Estate view's pool row (its "Run Procedure" menu), or asked for.
      ...PROCEDURES.map((p) => registerCommand(p.command, log, (pool?: unknown) => this.guided(p.kind, poolArgument(pool)))),
      ...stepCommandIds.flatMap((id) => {
        const parsed = parseStepCommandId(id);
        return parsed ? [registerCommand(id, log, (pool?: unknown) => this.runStep(parsed.kind, parsed.stepId, poolArgument(pool)))] : [];
      }),
      registerCommand(GuidedCommand.newRunbookFromProcedure, log, (kind?: unknown, pool?: unknown) =>
        this.newRunbook(typeof kind === 'string' ? (kind as ProcedureKind) : undefined, typeof pool === 'string' ? pool : undefined),
      ),
    ];
  }

  /** The workspace's estate, or undefined after telling how to get one. */
  async #estate(): Promise<{ estate: Estate; uri: vscode.Uri } | undefined> {
    await this.estate.ready();
    const state = this.estate.current;
    if (state.view.kind === 'loaded' && state.view.estate && state.uri) return { estate: state.view.estate, uri: state.uri };
    const sample = vscode.l10n.t('Open the Sample Estate');
    const importXml = vscode.l10n.t('Import Topology XML…');
    const choice = await vscode.window.showWarningMessage(
      state.view.kind === 'loaded' || state.view.kind === 'none' || state.view.kind === 'searching'
        ? vscode.l10n.t('This workspace has no usable estate (lync-estate.yaml): the procedures are resolved against it.')
        : vscode.l10n.t('The estate cannot be loaded: fix the problems the Estate view lists first.'),
      sample,
      importXml,
    );
    if (choice === sample) void vscode.commands.executeCommand('lyncRecovery.openSampleEstate');
    if (choice === importXml) void vscode.commands.executeCommand('lyncRecovery.importTopology');
    return undefined;
  }

  async #pool(estate: Estate, kind: ProcedureKind, given: string | undefined): Promise<string | undefined> {
    const candidates = poolCandidates(estate, kind);
    if (given) {
      const found = candidates.find((p) => p.fqdn.toLowerCase() === given.toLowerCase());
      if (!found) throw new RunbookProblem(vscode.l10n.t('{0} is not a pool the {1} procedure applies to (candidates: {2}).', given, kind, candidates.map((p) => p.fqdn).join(', ') || 'none'));
      return found.fqdn;
    }
    if (candidates.length === 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The estate {0} has no pool the {1} procedure applies to.', estate.name, kind));
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      candidates.map((p) => ({ label: p.fqdn, description: [p.site, p.backupPool ? vscode.l10n.t('paired with {0}', p.backupPool) : undefined].filter(Boolean).join(' — ') })),
      { title: pickTitle(kind), ignoreFocusOut: true },
    );
    return picked?.label;
  }

  /** The runbook a guided run drives: rendered from the procedure the first time, reused afterwards. */
  async #runbook(kind: ProcedureKind, pool: string, estate: Estate, estateUri: vscode.Uri): Promise<vscode.Uri> {
    const folder = vscode.workspace.getWorkspaceFolder(estateUri)?.uri ?? vscode.Uri.file(path.dirname(estateUri.fsPath));
    const uri = vscode.Uri.joinPath(folder, guidedRunbookPath(kind, pool));
    if (fs.existsSync(uri.fsPath)) return uri;
    const { procedureFor, renderRunbook, ProcedureError } = await import('../../core/procedures');
    let text: string;
    try {
      const estatePath = relativeEstatePath(path.relative(folder.fsPath, path.dirname(uri.fsPath)).split(path.sep).join('/'), path.relative(folder.fsPath, estateUri.fsPath).split(path.sep).join('/'));
      text = renderRunbook(procedureFor(kind, estate, pool), { estatePath });
    } catch (error) {
      if (error instanceof ProcedureError) throw new RunbookProblem(error.message);
      throw error;
    }
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(path.dirname(uri.fsPath)));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    this.log.info(`Guided ${kind}: wrote ${uri.fsPath}`);
    return uri;
  }

  async #prepare(kind: ProcedureKind, poolArg: string | undefined): Promise<vscode.Uri | undefined> {
    const found = await this.#estate();
    if (!found) return undefined;
    const pool = await this.#pool(found.estate, kind, poolArg);
    if (!pool) return undefined;
    return this.#runbook(kind, pool, found.estate, found.uri);
  }

  /** The guided procedure; resolves when it ends (all done, paused, or stopped by a failure). */
  async guided(kind: ProcedureKind, poolArg?: string): Promise<void> {
    const uri = await this.#prepare(kind, poolArg);
    if (!uri) return;
    const document = await vscode.workspace.openTextDocument(uri);
    const runbookEditor = await vscode.window.showTextDocument(document, { preview: false });
    const state = this.stepping.state;
    let plan;
    try {
      plan = await planDocument(state, document);
    } catch (error) {
      if (!(error instanceof RunbookProblem)) throw error;
      void vscode.window.showErrorMessage(error.message);
      return;
    }
    const { dryRun } = await import('../../core/recovery');
    const dry = dryRun(plan, { productVersion: this.stepping.productVersion });
    const target = state.target();
    const label = targetLabel(target, vscode.l10n.t);
    const first = await state.snapshot(document);
    const preflight = preflightMarkdown({ title: plan.title, target: label, runbook: vscode.workspace.asRelativePath(uri), notes: plan.notes, steps: dry, views: first.views }, vscode.l10n.t);
    const report = await this.stepping.views.open(`Preflight ${path.basename(uri.fsPath, '.md')}.md`, preflight);
    await showPreflight({
      previewBeside: async () => {
        // Locked: an unlocked preview follows the active Markdown editor, and the runbook is one.
        // It opens (and takes the focus) after the command has returned: wait for it, so the runbook gets the focus back after it.
        const shown = whenActiveTab((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('markdown.preview'), PREVIEW_WAIT_MS);
        const opened = await Promise.resolve(vscode.commands.executeCommand('markdown.showLockedPreviewToSide', report.uri)).then(() => true, () => false);
        if (opened && !(await shown)) this.log.warn(`Guided ${kind}: the preflight report's preview did not show within ${PREVIEW_WAIT_MS} ms`);
        return opened;
      },
      textBeside: async () => {
        await vscode.window.showTextDocument(report, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
      },
      focusRunbook: async () => {
        await vscode.window.showTextDocument(document, { viewColumn: runbookEditor.viewColumn, preview: false });
      },
    });
    const start = vscode.l10n.t('Start');
    const settled = first.views.filter((v) => v.status === 'done' || v.status === 'skipped').length;
    const go = await vscode.window.showInformationMessage(
      showHidden(vscode.l10n.t('{0} — {1}', label, plan.title)),
      { modal: true, detail: vscode.l10n.t('{0} steps, {1} already done or skipped. The preflight report beside the runbook lists every command and target. Each step is shown and confirmed before it runs.', plan.steps.length, settled) },
      start,
    );
    if (go !== start) return;
    for (;;) {
      const snapshot = await state.snapshot(document);
      const next = guidedNext(snapshot.views);
      if (!next) {
        const report = vscode.l10n.t('Export Recovery Report');
        void vscode.window.showInformationMessage(vscode.l10n.t('{0}: every step of {1} is done or skipped.', label, plan.title), report).then((c) => {
          if (c === report) void vscode.commands.executeCommand(GuidedCommand.exportReport, uri);
        });
        return;
      }
      const step = dry.find((s) => s.id === next.view.id);
      const planned = plan.steps.find((s) => s.id === next.view.id);
      if (!step || !planned) return;
      const confirmation = stepConfirmation(step, next.position, dry.length, { kind: target.kind, label }, vscode.l10n.t);
      const run = vscode.l10n.t('Run Step');
      const skip = vscode.l10n.t('Skip Step');
      // First = focused: Enter pauses; running or skipping the step takes a deliberate click.
      const pause = vscode.l10n.t('Pause Here');
      const choice = await vscode.window.showWarningMessage(confirmation.message, { modal: true, detail: confirmation.detail }, pause, run, skip);
      if (choice === skip) {
        await this.stepping.controller.mark(uri, step.id, 'skipped', 'skipped in a guided run');
        continue;
      }
      if (choice !== run) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Paused before step {0}. Run the same command again to resume: the journal keeps your place.', next.position));
        return;
      }
      // The commands were just shown with their target: the engine does not ask for them again.
      const approved = new Set<string>([
        ...step.actions.map((a) => a.text),
        ...planned.actions.flatMap((a) => (a.kind === 'lync' ? a.commands.map((c) => c.text) : a.kind === 'sql' ? [a.text] : [a.statements.join('\n')])),
      ]);
      const result = await this.stepping.controller.run(uri, { kind: 'step', stepId: step.id }, { approved });
      if (!result || result.outcome !== 'completed') return;
    }
  }

  /** One step of a procedure, on the guided runbook of the chosen pool. */
  async runStep(kind: ProcedureKind, stepId: string, poolArg?: string): Promise<unknown> {
    const uri = await this.#prepare(kind, poolArg);
    if (!uri) return undefined;
    await vscode.window.showTextDocument(uri, { preview: false });
    return this.stepping.controller.run(uri, { kind: 'step', stepId });
  }

  /** Renders a procedure for a pool into `<kind>.runbook.md` beside the estate and opens it. */
  async newRunbook(kindArg?: ProcedureKind, poolArg?: string): Promise<vscode.Uri | undefined> {
    const found = await this.#estate();
    if (!found) return undefined;
    let kind = kindArg;
    if (!kind) {
      const picked = await vscode.window.showQuickPick(
        PROCEDURES.map((p) => ({ label: p.stepPrefix, description: p.kind, procedure: p.kind })),
        { title: vscode.l10n.t('New Runbook from Procedure: which procedure?') },
      );
      kind = picked?.procedure;
    }
    if (!kind) return undefined;
    const pool = await this.#pool(found.estate, kind, poolArg);
    if (!pool) return undefined;
    const { procedureFor, renderRunbook, ProcedureError } = await import('../../core/procedures');
    const folder = path.dirname(found.uri.fsPath);
    const name = newRunbookFileName(kind, pool, (n) => fs.existsSync(path.join(folder, n)));
    let text: string;
    try {
      text = renderRunbook(procedureFor(kind, found.estate, pool), { estatePath: `./${path.basename(found.uri.fsPath)}` });
    } catch (error) {
      if (error instanceof ProcedureError) {
        void vscode.window.showErrorMessage(error.message);
        return undefined;
      }
      throw error;
    }
    const uri = vscode.Uri.file(path.join(folder, name));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    await vscode.window.showTextDocument(uri, { preview: false });
    return uri;
  }

  dispose(): void {
    for (const d of this.#disposables) d.dispose();
  }
}
