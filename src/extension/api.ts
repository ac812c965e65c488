/** What `activate()` returns: used by the extension-host tests and by other extensions. */
import type * as vscode from 'vscode';

export interface LyncRecoveryApi {
  /** The Estate view's data provider; tests walk it as the view does. */
  readonly estateTree: vscode.TreeDataProvider<unknown>;
  /** Resolves once the estate (or its absence) has been loaded after activation or the last refresh. */
  estateReady(): Promise<void>;
}
