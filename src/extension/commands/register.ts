/**
 * Registers a command whose failures are logged and told to the user in one sentence, never
 * thrown at the command palette. Every command goes through here, so here is where Restricted
 * Mode is enforced: a command that connects or executes (./policy.ts) refuses in an untrusted
 * workspace with the explanation and a button to manage trust, before its handler runs.
 */
import * as vscode from 'vscode';
import { WorkspaceTrustGuard } from '../connections/trust';
import { describeError, type Logger } from '../log';
import { commandPolicy, type TrustReason } from './policy';

const trust = new WorkspaceTrustGuard();

/** What the refused command would have done: "Trust the workspace to …". */
function refusedAction(reason: TrustReason): string {
  switch (reason) {
    case 'read-live-status':
      return vscode.l10n.t('read the live status');
    case 'test-connections':
      return vscode.l10n.t('test the connections');
    case 'run-steps':
      return vscode.l10n.t('run runbook steps');
    case 'rehearse':
      return vscode.l10n.t('rehearse runbooks (the lab runs on this machine)');
  }
}

export function registerCommand<A extends unknown[]>(
  id: string,
  log: Logger,
  handler: (...args: A) => Promise<unknown> | unknown,
): vscode.Disposable {
  const policy = commandPolicy(id);
  if (!policy) throw new Error(`Command ${id} has no trust policy in src/extension/commands/policy.ts.`);
  const reason = policy.trust;
  return vscode.commands.registerCommand(id, async (...args: A) => {
    if (reason && !trust.require(refusedAction(reason))) {
      log.info(`Command ${id} refused: the workspace is not trusted`);
      return undefined;
    }
    try {
      return await handler(...args);
    } catch (error) {
      log.error(`Command ${id} failed`, error);
      void vscode.window.showErrorMessage(vscode.l10n.t('Lync Recovery: {0}', describeError(error)));
      return undefined;
    }
  });
}
