/**
 * The Estate view: its tree, its title (the estate's name, and LIVE or REHEARSAL once a target
 * is known) and the context key its welcome content uses.
 */
import * as vscode from 'vscode';
import { ESTATE_STATE_CONTEXT, ESTATE_VIEW } from '../commands/ids';
import type { EstateService, EstateState } from '../estate/service';
import type { Logger } from '../log';
import { estateDescription, type EstateNode } from './model';
import { EstateTreeProvider } from './provider';

/** What the view says it is connected to. */
export interface TargetBadgeSource {
  readonly badge: 'LIVE' | 'REHEARSAL';
  readonly onDidChange: vscode.Event<unknown>;
}

export class EstateTreeView implements vscode.Disposable {
  readonly provider: EstateTreeProvider;
  readonly view: vscode.TreeView<EstateNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private badge?: TargetBadgeSource;

  constructor(
    private readonly estate: EstateService,
    log: Logger,
  ) {
    this.provider = new EstateTreeProvider(estate, log);
    this.view = vscode.window.createTreeView(ESTATE_VIEW, { treeDataProvider: this.provider, showCollapseAll: true });
    const show = (state: EstateState) => {
      void vscode.commands.executeCommand('setContext', ESTATE_STATE_CONTEXT, state.view.kind);
      this.describe(state);
      this.provider.refresh();
    };
    show(estate.current);
    this.disposables.push(this.provider, this.view, estate.onDidChange(show));
  }

  /** Shows LIVE or REHEARSAL in the view's title bar. */
  showTarget(source: TargetBadgeSource): vscode.Disposable {
    this.badge = source;
    this.describe(this.estate.current);
    const subscription = source.onDidChange(() => this.describe(this.estate.current));
    this.disposables.push(subscription);
    return subscription;
  }

  private describe(state: EstateState): void {
    const name = state.view.kind === 'loaded' && state.view.estate ? estateDescription(state.view.estate) : undefined;
    const badge = this.badge?.badge;
    this.view.description = name && badge ? `${name} · ${badge}` : (name ?? badge);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
