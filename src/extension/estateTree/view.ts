/** The Estate view: its tree, its title (the estate's name) and the context key its welcome content uses. */
import * as vscode from 'vscode';
import { ESTATE_STATE_CONTEXT, ESTATE_VIEW } from '../commands/ids';
import type { EstateService, EstateState } from '../estate/service';
import type { Logger } from '../log';
import { EstateTreeProvider } from './provider';

export class EstateTreeView implements vscode.Disposable {
  readonly provider: EstateTreeProvider;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(estate: EstateService, log: Logger) {
    this.provider = new EstateTreeProvider(estate, log);
    const view = vscode.window.createTreeView(ESTATE_VIEW, { treeDataProvider: this.provider, showCollapseAll: true });
    const show = (state: EstateState) => {
      void vscode.commands.executeCommand('setContext', ESTATE_STATE_CONTEXT, state.view.kind);
      view.description = state.view.kind === 'loaded' ? state.view.estate?.name : undefined;
      this.provider.refresh();
    };
    show(estate.current);
    this.disposables.push(this.provider, view, estate.onDidChange(show));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
