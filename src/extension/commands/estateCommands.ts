/** Open Estate File, Refresh Estate, Reveal in Estate File, Copy FQDN, Open the Estate Format Reference. */
import * as vscode from 'vscode';
import { exists, openAt } from '../editor';
import type { EstateService } from '../estate/service';
import type { EstateNode } from '../estateTree/model';
import type { Logger } from '../log';
import { Command } from './ids';
import { registerCommand } from './register';

const COPIED_MESSAGE_MS = 3000;

export class EstateCommands implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly estate: EstateService,
    private readonly extensionUri: vscode.Uri,
    log: Logger,
  ) {
    this.disposables = [
      registerCommand(Command.openEstate, log, () => this.openEstate()),
      registerCommand(Command.refreshEstate, log, () => this.estate.reload()),
      registerCommand(Command.revealInEstate, log, (node?: EstateNode) => this.reveal(node)),
      registerCommand(Command.copyFqdn, log, (node?: EstateNode) => this.copyFqdn(node)),
      registerCommand(Command.openEstateFormat, log, () => this.openEstateFormat()),
    ];
  }

  /** Opens the estate file; without one, offers the two ways to get one. */
  async openEstate(): Promise<void> {
    await this.estate.ready();
    const { uri } = this.estate.current;
    if (uri && (await exists(uri))) {
      await openAt(uri);
      return;
    }
    const importTopology = vscode.l10n.t('Import Topology XML…');
    const openSample = vscode.l10n.t('Open the Sample Estate');
    const message = uri
      ? vscode.l10n.t('{0} was not found.', vscode.workspace.asRelativePath(uri))
      : vscode.l10n.t('This workspace has no estate file (lync-estate.yaml) yet.');
    const choice = await vscode.window.showInformationMessage(message, importTopology, openSample);
    if (choice === importTopology) await vscode.commands.executeCommand(Command.importTopology);
    else if (choice === openSample) await vscode.commands.executeCommand(Command.openSampleEstate);
  }

  /** Opens the estate file at the line a row comes from (or at a problem's range). */
  private async reveal(node?: EstateNode): Promise<void> {
    const { uri, source } = this.estate.current;
    if (!node || !uri) {
      await this.openEstate();
      return;
    }
    const range = node.range ?? (node.sourcePath && source?.locate(node.sourcePath));
    await openAt(uri, range);
  }

  private async copyFqdn(node?: EstateNode): Promise<void> {
    if (!node?.fqdn) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Select a pool or server in the Estate view to copy its FQDN.'));
      return;
    }
    await vscode.env.clipboard.writeText(node.fqdn);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', node.fqdn), COPIED_MESSAGE_MS);
  }

  private async openEstateFormat(): Promise<void> {
    const doc = vscode.Uri.joinPath(this.extensionUri, 'docs', 'estate-format.md');
    if (!(await exists(doc))) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The estate format reference (docs/estate-format.md) is missing from this installation of Lync Recovery.'));
      return;
    }
    await vscode.commands.executeCommand('markdown.showPreview', doc);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
