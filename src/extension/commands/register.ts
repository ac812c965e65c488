/**
 * Registers a command whose failures are logged and told to the user in one sentence, never
 * thrown at the command palette.
 */
import * as vscode from 'vscode';
import { describeError, type Logger } from '../log';

export function registerCommand<A extends unknown[]>(
  id: string,
  log: Logger,
  handler: (...args: A) => Promise<unknown> | unknown,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      log.error(`Command ${id} failed`, error);
      void vscode.window.showErrorMessage(vscode.l10n.t('Lync Recovery: {0}', describeError(error)));
      return undefined;
    }
  });
}
