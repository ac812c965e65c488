/**
 * The LanguageClient of the runbook language server. Loaded with `import()` when the first
 * runbook or estate is opened, so vscode-languageclient costs nothing at activation.
 */
import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions } from 'vscode-languageclient/node';

/** Also the configuration section of the trace setting: the library reads `lyncRecovery.trace.server`. */
const CLIENT_ID = 'lyncRecovery';

/**
 * Start failures are told once, by the feature, in one clear message: the library's own
 * notification for the same failure is kept to the output channel.
 */
class RunbookClient extends LanguageClient {
  private starting = false;

  override async start(): Promise<void> {
    this.starting = true;
    try {
      await super.start();
    } finally {
      this.starting = false;
    }
  }

  override error(message: string, data?: unknown, showNotification?: boolean | 'force'): void {
    super.error(message, data, this.starting ? false : showNotification);
  }
}

/** A client for the server bundle at `serverModule`, started over IPC. */
export function createRunbookClient(
  name: string,
  serverModule: string,
  options: LanguageClientOptions & { outputChannel: vscode.OutputChannel },
): LanguageClient {
  return new RunbookClient(CLIENT_ID, name, { module: serverModule, transport: TransportKind.ipc }, options);
}
