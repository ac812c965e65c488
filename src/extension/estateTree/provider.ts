/** Maps the pure view model (`model.ts`) to tree items for the Estate view. */
import * as vscode from 'vscode';
import { Command } from '../commands/ids';
import type { EstateService, EstateState } from '../estate/service';
import { describeError, type Logger } from '../log';
import { childrenOf, rootNodes, type Collapsible, type EstateNode, type NodeIcon } from './model';

const ICONS: Record<NodeIcon, vscode.ThemeIcon> = {
  site: new vscode.ThemeIcon('location'),
  'front-end-pool': new vscode.ThemeIcon('server-environment'),
  'persistent-chat-pool': new vscode.ThemeIcon('comment-discussion'),
  server: new vscode.ThemeIcon('server'),
  pairing: new vscode.ThemeIcon('link'),
  databases: new vscode.ThemeIcon('database'),
  database: new vscode.ThemeIcon('database'),
  'sql-instance': new vscode.ThemeIcon('server-process'),
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  info: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
};

const COLLAPSIBLE: Record<Collapsible, vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export function toTreeItem(node: EstateNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, COLLAPSIBLE[node.collapsible]);
  item.id = node.id;
  item.description = node.description;
  item.tooltip = node.tooltip;
  item.iconPath = ICONS[node.icon];
  item.contextValue = node.contextValue;
  if (node.kind === 'problem') {
    item.command = { command: Command.revealInEstate, title: vscode.l10n.t('Reveal in Estate File'), arguments: [node] };
  }
  return item;
}

export class EstateTreeProvider implements vscode.TreeDataProvider<EstateNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<EstateNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The top level, computed once per loaded state. */
  private roots?: { readonly state: EstateState; readonly nodes: EstateNode[] };

  constructor(
    private readonly estate: EstateService,
    private readonly log: Logger,
  ) {}

  /** The estate was reloaded: every row may have changed. */
  refresh(): void {
    this.roots = undefined;
    this.changed.fire(undefined);
  }

  getTreeItem(node: EstateNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  getChildren(node?: EstateNode): EstateNode[] {
    try {
      if (node) return childrenOf(node);
      const state = this.estate.current;
      if (this.roots?.state !== state) this.roots = { state, nodes: rootNodes(state.view, vscode.l10n.t) };
      return this.roots.nodes;
    } catch (error) {
      this.log.error(`Estate view: cannot list ${node?.id ?? 'the top level'}`, error);
      return rootNodes({ kind: 'unreadable', message: vscode.l10n.t('This part of the estate cannot be shown: {0}', describeError(error)) });
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
