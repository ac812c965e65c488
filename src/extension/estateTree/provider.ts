/** Maps the pure view model (`model.ts`) to tree items for the Estate view. */
import * as vscode from 'vscode';
import { showHidden } from '../../core/text';
import { Command } from '../commands/ids';
import type { EstateService, EstateState } from '../estate/service';
import { describeError, type Logger } from '../log';
import { keysOfRef } from '../live/plan';
import type { LiveDecoration, LiveIcon } from '../live/viewModel';
import { childrenOf, rootNodes, type Collapsible, type EstateNode, type NodeIcon } from './model';

/** Supplies the live status of rows (see src/extension/live). */
export interface LiveDecorator {
  decorate(node: EstateNode): LiveDecoration | undefined;
  /** Fires with the reading keys (`sql:<id>`, `pool:<fqdn>`) whose status changed; `undefined` = all. */
  readonly onDidChange: vscode.Event<readonly string[] | undefined>;
}

const LIVE_ICONS: Record<LiveIcon, vscode.ThemeIcon> = {
  ok: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  standby: new vscode.ThemeIcon('history', new vscode.ThemeColor('charts.blue')),
  attention: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  down: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
  unknown: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
  reading: new vscode.ThemeIcon('loading~spin'),
};

/** Characters Markdown would interpret, escaped (for the static tooltip under a live one). */
const escapeMarkdown = (text: string) => text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);

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

export function toTreeItem(node: EstateNode, live?: LiveDecoration): vscode.TreeItem {
  const item = new vscode.TreeItem(showHidden(node.label), COLLAPSIBLE[node.collapsible]);
  item.id = node.id;
  item.description = node.description === undefined ? undefined : showHidden(node.description);
  item.tooltip = node.tooltip === undefined ? undefined : showHidden(node.tooltip);
  item.iconPath = ICONS[node.icon];
  item.contextValue = node.live ? `${node.contextValue}live;` : node.contextValue;
  if (live) {
    item.description = showHidden(node.description ? `${node.description} · ${live.description}` : live.description);
    item.iconPath = LIVE_ICONS[live.icon];
    const tooltip = new vscode.MarkdownString(node.tooltip ? `${live.tooltip}\n\n---\n\n${escapeMarkdown(showHidden(node.tooltip)).replace(/\n/g, '  \n')}` : showHidden(live.tooltip));
    tooltip.supportThemeIcons = false;
    item.tooltip = tooltip;
    item.contextValue = `${item.contextValue}${live.facet};`;
  }
  if (node.kind === 'problem') {
    item.command = { command: Command.revealInEstate, title: vscode.l10n.t('Reveal in Estate File'), arguments: [node] };
  }
  return item;
}

export class EstateTreeProvider implements vscode.TreeDataProvider<EstateNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<EstateNode | EstateNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The top level, computed once per loaded state. */
  private roots?: { readonly state: EstateState; readonly nodes: EstateNode[] };
  /** Rows with a live status handed to the view since the last reload, by reading key. */
  private readonly liveRows = new Map<string, Map<string, EstateNode>>();
  private live?: LiveDecorator;
  private liveSubscription?: vscode.Disposable;

  constructor(
    private readonly estate: EstateService,
    private readonly log: Logger,
  ) {}

  /** Shows live status from `decorator`; its changes refresh only the rows they concern. */
  setLiveDecorator(decorator: LiveDecorator | undefined): void {
    this.liveSubscription?.dispose();
    this.live = decorator;
    this.liveSubscription = decorator?.onDidChange((keys) => this.liveChanged(keys));
    this.changed.fire(undefined);
  }

  /** The estate was reloaded: every row may have changed. */
  refresh(): void {
    this.roots = undefined;
    this.liveRows.clear();
    this.changed.fire(undefined);
  }

  getTreeItem(node: EstateNode): vscode.TreeItem {
    let live: LiveDecoration | undefined;
    if (node.live && this.live) {
      try {
        live = this.live.decorate(node);
      } catch (error) {
        this.log.error(`Estate view: cannot show the live status of ${node.id}`, error);
      }
    }
    return toTreeItem(node, live);
  }

  getChildren(node?: EstateNode): EstateNode[] {
    const children = this.children(node);
    for (const child of children) {
      if (!child.live) continue;
      for (const key of keysOfRef(child.live)) {
        const rows = this.liveRows.get(key) ?? new Map<string, EstateNode>();
        rows.set(child.id, child);
        this.liveRows.set(key, rows);
      }
    }
    return children;
  }

  /** The rows shown for a reading key (tests and the live feature). */
  rowsFor(key: string): EstateNode[] {
    return [...(this.liveRows.get(key)?.values() ?? [])];
  }

  private liveChanged(keys: readonly string[] | undefined): void {
    if (!keys) {
      this.changed.fire(undefined);
      return;
    }
    const rows = new Map<string, EstateNode>();
    for (const key of keys) for (const row of this.liveRows.get(key)?.values() ?? []) rows.set(row.id, row);
    if (rows.size > 0) this.changed.fire([...rows.values()]);
  }

  private children(node?: EstateNode): EstateNode[] {
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
    this.liveSubscription?.dispose();
    this.changed.dispose();
  }
}
