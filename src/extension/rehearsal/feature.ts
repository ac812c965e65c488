/**
 * "Lync: Rehearse Runbook": starts a rehearsal lab from the runbook's estate, in the state its
 * kind starts from (pchat-dc-loss for a Persistent Chat failover, pool-loss for a conference
 * restore or pool failover, steady otherwise), points the target at it (REHEARSAL everywhere:
 * status bar, lenses, dialogs, output, journal), runs every remaining step and tells the result.
 * "Lync: Stop Rehearsal" stops the lab and goes back to LIVE; so does disposing the extension.
 *
 * The lab is its own bundle (dist/lab.js), loaded by a computed path only when a rehearsal
 * starts: it is never part of dist/extension.js.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { untilCancelled } from '../cancellation';
import type { Estate } from '../../core/estate/model';
import type { RunResult } from '../../core/recovery/run-types';
import type { Lab, StartLabOptions } from '../../lab';
import type { TargetService } from '../connections/targetService';
import type { WorkspaceTrustGuard } from '../connections/trust';
import { registerCommand } from '../commands/register';
import { GuidedCommand } from '../guided/model';
import { describeError, type Logger } from '../log';
import type { SteppingFeature } from '../stepping/feature';
import type { LabFiles } from '../stepping/ports';
import { isRunbookUri, loadRunbookEstate, planFor, parseRunbookText, RunbookProblem, runbookPool } from '../stepping/runbooks';
import { labFilesOf, prepareLab } from './setup';

/** What the extension uses of dist/lab.js (src/lab/index.ts). */
interface LabModule {
  startLab(options: StartLabOptions): Promise<Lab>;
  rehearsalScenario(kind: string | undefined): string;
  readonly REHEARSAL_SETUP: Readonly<Partial<Record<string, string>>>;
}

export interface RehearsalApi {
  /** Rehearses a runbook (what the command does); resolves with the run's result. */
  rehearse(uri: vscode.Uri): Promise<RunResult | undefined>;
  /** Stops the lab this extension started (if any) and goes back to LIVE. */
  stop(): Promise<void>;
  /** The running lab's info (root, scenario, instances), if one was started here. */
  readonly info: unknown;
}

export class RehearsalFeature implements vscode.Disposable {
  #lab?: Lab;
  readonly #disposables: vscode.Disposable[];

  constructor(
    private readonly extensionPath: string,
    private readonly targets: TargetService,
    private readonly stepping: () => SteppingFeature,
    private readonly trust: WorkspaceTrustGuard,
    private readonly log: Logger,
  ) {
    this.#disposables = [
      registerCommand(GuidedCommand.rehearseRunbook, log, (uri?: unknown) => this.rehearse(uri)),
      registerCommand(GuidedCommand.stopRehearsal, log, () => this.stop(true)),
      // Another target chosen: the lab started here is no longer used.
      targets.onDidChange((target) => {
        const lab = this.#lab;
        if (lab && (target.kind !== 'rehearsal' || target.info.root !== lab.info.root)) void this.#stopLab(lab);
      }),
    ];
  }

  get api(): RehearsalApi {
    const lab = () => this.#lab;
    return {
      rehearse: (uri) => this.rehearse(uri),
      stop: () => this.stop(false),
      get info() {
        return lab()?.info;
      },
    };
  }

  /** What the run controller maps rehearsal files (and checkpoints) through. */
  labFiles(): LabFiles | undefined {
    const lab = this.#lab;
    return lab && labFilesOf(lab);
  }

  #loadLab(): LabModule {
    const bundle = path.join(this.extensionPath, 'dist', 'lab.js');
    // A computed path: esbuild leaves it alone, so the lab is never bundled into the extension.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(bundle) as LabModule;
  }

  async rehearse(uriArg: unknown): Promise<RunResult | undefined> {
    if (!this.trust.require(vscode.l10n.t('rehearse runbooks (the lab runs on this machine)'))) return undefined;
    const uri = uriArg instanceof vscode.Uri ? uriArg : typeof uriArg === 'string' ? vscode.Uri.file(uriArg) : vscode.window.activeTextEditor?.document.uri;
    if (!uri || !isRunbookUri(uri)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open the runbook to rehearse (*.runbook.md) first.'));
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.isDirty) await document.save();
    let estate: Estate;
    let kind: string | undefined;
    let pool: string | undefined;
    try {
      const runbook = await parseRunbookText(document.getText());
      estate = (await loadRunbookEstate(uri, runbook)).estate;
      kind = (await planFor(uri, runbook, estate)).kind;
      pool = runbookPool(runbook);
    } catch (error) {
      if (!(error instanceof RunbookProblem)) throw error;
      void vscode.window.showErrorMessage(error.message);
      return undefined;
    }
    const labModule = this.#loadLab();
    const scenario = labModule.rehearsalScenario(kind);
    await this.stop(false);
    const lab = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('REHEARSAL: starting a lab from {0} (scenario {1})…', estate.name, scenario), cancellable: true },
      (_progress, token) => {
        const cancelled = new AbortController();
        token.onCancellationRequested(() => cancelled.abort());
        // A lab that finishes starting after Cancel is stopped at once: nothing keeps running unseen.
        return untilCancelled(labModule.startLab({ estate, scenario }), cancelled.signal, (late) => late.stop());
      },
    );
    if (!lab) {
      this.log.info('Rehearsal cancelled while the lab was starting');
      void vscode.window.showInformationMessage(vscode.l10n.t('REHEARSAL cancelled: the lab was not started and nothing ran.'));
      return undefined;
    }
    this.#lab = lab;
    this.log.info(`Rehearsal lab started: scenario ${scenario}, folder ${lab.info.root}`);
    await this.targets.useRehearsal(lab.info, vscode.l10n.t('Rehearse Runbook ({0})', path.basename(uri.fsPath)));
    if (!(await this.#prepare(lab, { kind, estate, pool, runbookPath: uri.fsPath }, labModule.REHEARSAL_SETUP[kind ?? '']))) return undefined;
    const result = await this.stepping().controller.run(uri, { kind: 'remaining' }, { quiet: false });
    if (result?.outcome === 'completed') {
      const report = vscode.l10n.t('Export Recovery Report');
      const stop = vscode.l10n.t('Stop Rehearsal');
      void vscode.window
        .showInformationMessage(vscode.l10n.t('REHEARSAL of {0} completed: {1} step(s) ran against the lab, nothing touched the live estate.', path.basename(uri.fsPath), result.steps.length), report, stop)
        .then((choice) => {
          if (choice === report) void vscode.commands.executeCommand(GuidedCommand.exportReport, uri);
          if (choice === stop) void this.stop(true);
        });
    }
    return result;
  }

  /**
   * Brings the lab to where the runbook starts — the lab's own set-up, shared with `lync-runbook
   * rehearse` (failbacks: the built-in failover first; conference restore: the lost pool back).
   */
  async #prepare(lab: Lab, runbook: { kind: string | undefined; estate: Estate; pool: string | undefined; runbookPath: string }, setupKind: string | undefined): Promise<boolean> {
    try {
      const prepare = () => prepareLab(lab, { ...runbook, clients: this.targets.clients(), parse: parseRunbookText, log: this.log, user: os.userInfo().username });
      const prepared = setupKind
        ? await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('REHEARSAL set-up: the {0} procedure runs first…', setupKind) }, prepare)
        : await prepare();
      if (!prepared.ok) throw new Error(prepared.setup?.failure?.message ?? prepared.setup?.outcome ?? 'the set-up did not complete');
      // Instances came back: connections that failed before must be made afresh.
      if (prepared.notes.length > 0) this.targets.resetClients('rehearsal set-up done');
      return true;
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('REHEARSAL set-up failed: {0}', describeError(error)));
      return false;
    }
  }

  async stop(tell = false): Promise<void> {
    const lab = this.#lab;
    if (!lab) {
      if (tell) void vscode.window.showInformationMessage(vscode.l10n.t('No rehearsal lab started by Lync Recovery is running.'));
      return;
    }
    const current = this.targets.current;
    if (current.kind === 'rehearsal' && current.info.root === lab.info.root) await this.targets.useLive();
    await this.#stopLab(lab);
    if (tell) vscode.window.setStatusBarMessage(vscode.l10n.t('Rehearsal lab stopped; back to LIVE.'), 4000);
  }

  async #stopLab(lab: Lab): Promise<void> {
    if (this.#lab === lab) this.#lab = undefined;
    try {
      await lab.stop();
      this.log.info(`Rehearsal lab stopped (${lab.info.root})`);
    } catch (error) {
      this.log.warn(`The rehearsal lab did not stop cleanly: ${describeError(error)}`);
    }
  }

  dispose(): void {
    for (const d of this.#disposables) d.dispose();
    const lab = this.#lab;
    if (lab) void this.#stopLab(lab);
  }
}
