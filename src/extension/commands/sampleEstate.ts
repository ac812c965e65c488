/**
 * Open the Sample Estate: shows Litware's estate shipped in the extension and, in a workspace
 * that has no estate yet, offers to copy the sample folder in so it becomes the workspace's.
 */
import * as vscode from 'vscode';
import { exists, openAt } from '../editor';
import { decodeText } from '../../core/text-files';
import { ESTATE_FILE_NAME, withoutSchemaModeline } from '../estate/files';
import type { EstateService } from '../estate/service';
import type { Logger } from '../log';
import { Command } from './ids';
import { registerCommand } from './register';

const SAMPLE = 'litware';

export class SampleEstateCommand implements vscode.Disposable {
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly estate: EstateService,
    private readonly extensionUri: vscode.Uri,
    private readonly log: Logger,
  ) {
    this.registration = registerCommand(Command.openSampleEstate, log, () => this.run());
  }

  /** Resolves to the copy's estate file when the sample was copied into the workspace. */
  async run(): Promise<vscode.Uri | undefined> {
    const sampleFolder = vscode.Uri.joinPath(this.extensionUri, 'samples', SAMPLE);
    await openAt(vscode.Uri.joinPath(sampleFolder, ESTATE_FILE_NAME));
    await this.estate.ready();
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0 || this.estate.current.view.kind !== 'none') return undefined;
    const copy = vscode.l10n.t('Copy into Workspace');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('This is the Litware sample estate. Copy it into the workspace so it becomes the workspace\'s estate?'),
      copy,
    );
    if (choice !== copy) return undefined;
    const folder =
      folders.length === 1
        ? folders[0]
        : await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Which folder should hold the sample?') });
    if (!folder) return undefined;
    return this.copyInto(sampleFolder, vscode.Uri.joinPath(folder.uri, SAMPLE));
  }

  private async copyInto(sampleFolder: vscode.Uri, target: vscode.Uri): Promise<vscode.Uri | undefined> {
    if (await exists(target)) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('{0} already exists; the sample was not copied.', vscode.workspace.asRelativePath(target)),
      );
      return undefined;
    }
    await vscode.workspace.fs.copy(sampleFolder, target);
    const copied = vscode.Uri.joinPath(target, ESTATE_FILE_NAME);
    const text = decodeText(await vscode.workspace.fs.readFile(copied));
    await vscode.workspace.fs.writeFile(copied, new TextEncoder().encode(withoutSchemaModeline(text)));
    this.log.info(`Copied the sample estate into ${target.toString()}`);
    await openAt(copied);
    await this.estate.reload();
    return copied;
  }

  dispose(): void {
    this.registration.dispose();
  }
}
