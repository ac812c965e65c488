/**
 * Connection commands and the LIVE / REHEARSAL status bar item:
 * "Lync: Test Connections", "Lync: Forget Saved Password", "Lync: Use Rehearsal Lab…",
 * "Lync: Use Live Estate", "Lync: Choose Connection Target…" (the status bar item's command).
 */
import * as vscode from 'vscode';
import { untilCancelled } from '../cancellation';
import type { EstateService } from '../estate/service';
import type { Logger } from '../log';
import { registerCommand } from '../commands/register';
import { SETTING } from './settings';
import { whereOf, type Credentials, type SecretTarget } from './credentials';
import { renderConnectionReport, runConnectionTests } from './testConnections';
import type { TargetService } from './targetService';
import { describeTarget } from './target';
import type { WorkspaceTrustGuard } from './trust';

export const ConnectionCommand = {
  testConnections: 'lyncRecovery.testConnections',
  forgetPassword: 'lyncRecovery.forgetPassword',
  useRehearsalLab: 'lyncRecovery.useRehearsalLab',
  useLiveEstate: 'lyncRecovery.useLiveEstate',
  chooseTarget: 'lyncRecovery.chooseTarget',
  configureLogin: 'lyncRecovery.configureLogin',
} as const;

export class ConnectionCommands implements vscode.Disposable {
  readonly #disposables: vscode.Disposable[];
  readonly #status: vscode.StatusBarItem;

  constructor(
    private readonly targets: TargetService,
    private readonly estate: EstateService,
    private readonly credentials: Credentials,
    private readonly trust: WorkspaceTrustGuard,
    log: Logger,
  ) {
    this.#status = vscode.window.createStatusBarItem('lyncRecovery.target', vscode.StatusBarAlignment.Left, 50);
    this.#status.name = vscode.l10n.t('Lync Recovery: connection target');
    this.#status.command = ConnectionCommand.chooseTarget;
    this.#disposables = [
      this.#status,
      registerCommand(ConnectionCommand.testConnections, log, () => this.testConnections()),
      registerCommand(ConnectionCommand.forgetPassword, log, (instanceId?: unknown) => this.forgetPassword(typeof instanceId === 'string' ? instanceId : undefined)),
      registerCommand(ConnectionCommand.useRehearsalLab, log, (file?: unknown) => this.useRehearsalLab(typeof file === 'string' ? file : undefined)),
      registerCommand(ConnectionCommand.useLiveEstate, log, () => this.useLive()),
      registerCommand(ConnectionCommand.chooseTarget, log, () => this.chooseTarget()),
      registerCommand(ConnectionCommand.configureLogin, log, (node?: { live?: { kind: string; instanceId?: string } }) => this.configureLogin(node?.live?.instanceId)),
      targets.onDidChange(() => this.#showStatus()),
      estate.onDidChange(() => this.#showStatus()),
    ];
    this.#showStatus();
  }

  /**
   * "Configure Login…" on a row whose instance has no connection settings: asks for the SQL login
   * and writes it to the user settings (lyncRecovery.sql.connections.<id>.user), which the
   * Settings UI's User tab does not list; the password is asked at the next read and kept in
   * secret storage.
   */
  async configureLogin(instanceId: string | undefined): Promise<void> {
    if (!instanceId) return;
    const user = await vscode.window.showInputBox({
      title: vscode.l10n.t('SQL login for {0}', instanceId),
      prompt: vscode.l10n.t('The SQL Server login used to read and run on {0} (saved in your user settings, lyncRecovery.sql.connections; the password is asked next and kept in secret storage).', instanceId),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? vscode.l10n.t('Enter a login name.') : undefined),
    });
    if (user === undefined) return;
    const config = vscode.workspace.getConfiguration();
    const current = config.inspect<Record<string, unknown>>(SETTING.sqlConnections)?.globalValue ?? {};
    const entry = typeof current[instanceId] === 'object' && current[instanceId] !== null ? (current[instanceId] as Record<string, unknown>) : {};
    await config.update(SETTING.sqlConnections, { ...current, [instanceId]: { ...entry, user: user.trim() } }, vscode.ConfigurationTarget.Global);
  }

  /** Runs the checks and opens the report; returns its Markdown (also for the API). */
  async testConnections(): Promise<string | undefined> {
    if (!this.trust.require(vscode.l10n.t('test the connections'))) return undefined;
    await this.estate.ready();
    await this.targets.ready();
    const state = this.estate.current;
    const estate = state.view.kind === 'loaded' ? state.view.estate : undefined;
    const target = this.targets.current;
    const ids = estate ? estate.sqlInstances.map((i) => i.id) : target.kind === 'rehearsal' ? Object.keys(target.info.instances) : [];
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Lync Recovery: testing connections ({0})…', this.targets.badge), cancellable: true },
      (_progress, token) => {
        const cancelled = new AbortController();
        token.onCancellationRequested(() => cancelled.abort());
        const tests = runConnectionTests(this.targets.clients(), ids, {
          timeoutMs: this.targets.liveSettings().timeoutMs,
          settingProblems: target.kind === 'live' ? this.targets.settingProblems() : [],
          signal: cancelled.signal,
        });
        return untilCancelled(tests, cancelled.signal, () => undefined);
      },
    );
    if (!report) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Test Connections cancelled: no report.'));
      return undefined;
    }
    const markdown = renderConnectionReport(report, vscode.l10n.t, (ms) => new Date(ms).toLocaleString());
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
    await vscode.window.showTextDocument(doc, { preview: true });
    return markdown;
  }

  /**
   * With an instance id: its saved passwords in the open estate (and one an earlier version saved
   * for that id). Without: a pick of every saved one, whichever estate.
   */
  async forgetPassword(instanceId?: string): Promise<void> {
    const saved: { readonly instanceId: string; readonly target?: SecretTarget }[] = [
      ...(await this.credentials.savedTargets()).map((target) => ({ instanceId: target.instanceId, target })),
      ...(await this.credentials.savedEarlier()).map((id) => ({ instanceId: id })),
    ];
    if (saved.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No SQL password is saved.'));
      return;
    }
    let chosen: typeof saved;
    if (instanceId !== undefined) {
      const state = this.estate.current;
      const estateName = state.view.kind === 'loaded' ? state.view.estate?.name : undefined;
      chosen = saved.filter((s) => s.instanceId === instanceId && (s.target === undefined || s.target.estate === estateName));
      if (chosen.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No password is saved for SQL instance {0}.', instanceId));
        return;
      }
    } else {
      const picked = await vscode.window.showQuickPick(
        saved.map((s) => ({
          label: s.instanceId,
          description: s.target ? vscode.l10n.t('{0} on {1} — estate {2}', s.target.login, whereOf(s.target), s.target.estate) : vscode.l10n.t('saved by an earlier version (server unknown)'),
          saved: s,
        })),
        { canPickMany: true, title: vscode.l10n.t('Forget Saved Password'), placeHolder: vscode.l10n.t('SQL instances whose saved password to delete') },
      );
      if (!picked || picked.length === 0) return;
      chosen = picked.map((p) => p.saved);
    }
    for (const s of chosen) await (s.target ? this.credentials.forget(s.target) : this.credentials.forgetEarlier(s.instanceId));
    // Open connections logged in with the forgotten password are closed too.
    this.targets.resetClients('saved password deleted');
    vscode.window.setStatusBarMessage(vscode.l10n.t('Deleted the saved password of {0}', [...new Set(chosen.map((s) => s.instanceId))].join(', ')), 3000);
  }

  async useRehearsalLab(file?: string): Promise<void> {
    let path = file;
    if (path === undefined) {
      const picked = await vscode.window.showOpenDialog({
        title: vscode.l10n.t('Use Rehearsal Lab: choose the lab info JSON (what `npm run lab` prints)'),
        canSelectMany: false,
        filters: { [vscode.l10n.t('Lab info')]: ['json'] },
      });
      if (!picked?.[0]) return;
      path = picked[0].fsPath;
    }
    await this.targets.useRehearsalFile(path);
    void vscode.window.showInformationMessage(vscode.l10n.t('Lync Recovery now reads the REHEARSAL lab; nothing touches the live estate until you choose "Use Live Estate".'));
  }

  async useLive(): Promise<void> {
    await this.targets.useLive();
  }

  async chooseTarget(): Promise<void> {
    const live = { label: `$(plug) ${vscode.l10n.t('Use Live Estate')}`, id: ConnectionCommand.useLiveEstate };
    const lab = { label: `$(beaker) ${vscode.l10n.t('Use Rehearsal Lab…')}`, id: ConnectionCommand.useRehearsalLab };
    const test = { label: `$(pulse) ${vscode.l10n.t('Test Connections')}`, id: ConnectionCommand.testConnections };
    const picked = await vscode.window.showQuickPick([live, lab, test], { title: describeTarget(this.targets.current) });
    if (picked) await vscode.commands.executeCommand(picked.id);
  }

  #showStatus(): void {
    const state = this.estate.current;
    const hasEstate = state.view.kind === 'loaded' && state.view.estate !== undefined;
    const target = this.targets.current;
    if (target.kind === 'rehearsal') {
      this.#status.text = `$(beaker) ${vscode.l10n.t('Lync: REHEARSAL')}`;
      this.#status.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else {
      this.#status.text = `$(plug) ${vscode.l10n.t('Lync: LIVE')}`;
      this.#status.backgroundColor = undefined;
    }
    this.#status.tooltip = describeTarget(target);
    this.#status.accessibilityInformation = { label: describeTarget(target) };
    // Only where there is an estate, or a lab was chosen explicitly.
    if (hasEstate || target.kind === 'rehearsal') this.#status.show();
    else this.#status.hide();
  }

  dispose(): void {
    for (const d of this.#disposables) d.dispose();
  }
}
