/**
 * Restricted Mode: in an untrusted workspace Lync Recovery checks and shows, but connects to
 * nothing and runs nothing. Every command that would connect or execute asks `require()` first;
 * it explains why not, with a button to the workspace trust editor.
 */
import * as vscode from 'vscode';

export class WorkspaceTrustGuard {
  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  readonly onDidGrant = vscode.workspace.onDidGrantWorkspaceTrust;

  /** The sentence shown when `action` (e.g. "read the live status") is refused. */
  explanation(action: string): string {
    return vscode.l10n.t(
      'This workspace is not trusted: Lync Recovery checks runbooks but does not connect to servers or run anything. Trust the workspace to {0}.',
      action,
    );
  }

  /** True when trusted; otherwise shows the explanation (not awaited) and returns false. */
  require(action: string): boolean {
    if (this.trusted) return true;
    const manage = vscode.l10n.t('Manage Workspace Trust');
    void vscode.window.showWarningMessage(this.explanation(action), manage).then((choice) => {
      if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return false;
  }
}
