/**
 * Import Topology XML…: `Get-CsTopology -AsXml` output → `lync-estate.yaml` in the workspace
 * folder, then the list of what the topology cannot tell, each item one click from its line.
 */
import * as vscode from 'vscode';
import { parseEstate } from '../../core/estate/load';
import type { TopologyTodo } from '../../core/estate/topology';
import { exists, openAt, toVscodeRange } from '../editor';
import { MAX_ESTATE_BYTES, decodeText, formatSize } from '../../core/text-files';
import { ESTATE_FILE_NAME } from '../estate/files';
import type { EstateService } from '../estate/service';
import type { Logger } from '../log';
import { Command } from './ids';
import { errorRange, importErrorText, todoItems, todoSummary, type TodoItem } from './importReport';
import { registerCommand } from './register';

/** Topologies of large deployments run to a few MB; far larger is not a topology document. */
const MAX_TOPOLOGY_BYTES = 5 * MAX_ESTATE_BYTES;

export class ImportTopologyCommand implements vscode.Disposable {
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly estate: EstateService,
    private readonly log: Logger,
  ) {
    this.registration = registerCommand(Command.importTopology, log, (file?: vscode.Uri) => this.run(file));
  }

  /** `file` skips the open dialog (Explorer, tests). Resolves to the estate file written, if any. */
  async run(file?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const topology = file ?? (await pickTopologyFile());
    if (!topology) return undefined;
    const name = vscode.workspace.asRelativePath(topology);
    const { size } = await vscode.workspace.fs.stat(topology);
    if (size > MAX_TOPOLOGY_BYTES) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} is {1}, too large for a topology document.', name, formatSize(size)));
      return undefined;
    }
    // Loaded on first use: the XML parser (dist/lib/fast-xml-parser.js) costs nothing at activation.
    const { importTopology } = await import('../../core/estate/topology');
    const imported = importTopology(decodeText(await vscode.workspace.fs.readFile(topology)));
    if (!imported.ok) {
      this.log.warn(`Import of ${topology.toString()} failed: ${imported.error.message}`);
      const open = vscode.l10n.t('Open File');
      const choice = await vscode.window.showErrorMessage(importErrorText(name, imported.error, vscode.l10n.t), open);
      if (choice === open) await openAt(topology, errorRange(imported.error));
      return undefined;
    }
    const target = await chooseTarget();
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(imported.yaml));
    this.log.info(`Imported ${topology.toString()} into ${target.toString()}; ${imported.todos.length} items to complete`);
    await openAt(target);
    await this.estate.reload();
    if (imported.todos.length > 0) void this.offerTodos(target, imported.yaml, imported.todos);
    return target;
  }

  private async offerTodos(target: vscode.Uri, yaml: string, todos: readonly TopologyTodo[]): Promise<void> {
    const show = vscode.l10n.t('Show');
    const summary = todoSummary(todos.length, vscode.workspace.asRelativePath(target), vscode.l10n.t);
    if ((await vscode.window.showInformationMessage(summary, show)) !== show) return;
    const { source } = parseEstate(yaml, target.toString());
    await showTodos(target, todoItems(todos, (path) => source.locate(path), vscode.l10n.t));
  }

  dispose(): void {
    this.registration.dispose();
  }
}

async function pickTopologyFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Import Topology XML'),
    openLabel: vscode.l10n.t('Import'),
    canSelectMany: false,
    ...(vscode.workspace.workspaceFolders?.[0] && { defaultUri: vscode.workspace.workspaceFolders[0].uri }),
    filters: { [vscode.l10n.t('Topology XML')]: ['xml', 'tbxml'], [vscode.l10n.t('All Files')]: ['*'] },
  });
  return picked?.[0];
}

/** `lync-estate.yaml` in the workspace folder; asks before overwriting one. */
async function chooseTarget(): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) return saveAs();
  const folder =
    folders.length === 1
      ? folders[0]
      : await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Which folder should hold the estate?') });
  if (!folder) return undefined;
  const target = vscode.Uri.joinPath(folder.uri, ESTATE_FILE_NAME);
  if (!(await exists(target))) return target;
  const overwrite = vscode.l10n.t('Overwrite');
  const other = vscode.l10n.t('Save As…');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('{0} already exists in {1}.', ESTATE_FILE_NAME, folder.name),
    { modal: true, detail: vscode.l10n.t('Replace it with the imported topology, or save the import under another name?') },
    overwrite,
    other,
  );
  if (choice === overwrite) return target;
  if (choice === other) return saveAs(vscode.Uri.joinPath(folder.uri, 'lync-estate.imported.yaml'));
  return undefined;
}

function saveAs(defaultUri?: vscode.Uri): Thenable<vscode.Uri | undefined> {
  return vscode.window.showSaveDialog({
    title: vscode.l10n.t('Save the Imported Estate'),
    ...(defaultUri && { defaultUri }),
    filters: { YAML: ['yaml', 'yml'] },
  });
}

/** A quick pick of the TODOs; moving through it shows each line, accepting stays there. */
async function showTodos(target: vscode.Uri, items: readonly TodoItem[]): Promise<void> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { readonly item: TodoItem }>();
  pick.title = vscode.l10n.t('Complete the Imported Estate');
  pick.placeholder = vscode.l10n.t('Pick an item to go to its line');
  pick.matchOnDescription = true;
  pick.items = items.map((item) => ({ label: item.label, description: item.description, item }));
  const show = (item: TodoItem, preserveFocus: boolean) =>
    vscode.window.showTextDocument(target, { preview: false, preserveFocus, selection: toVscodeRange(item.range) });
  await new Promise<void>((resolve) => {
    pick.onDidChangeActive(([active]) => active && void show(active.item, true));
    pick.onDidAccept(() => {
      const [selected] = pick.selectedItems;
      if (selected) void show(selected.item, false);
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve();
    });
    pick.show();
  });
}
