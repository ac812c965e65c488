/**
 * The runbook language client. It starts the language server (`dist/server.js`, over IPC) when the
 * first runbook or estate file is opened — never at activation — and owns the client's lifetime:
 * a restart disposes the whole session (client and file watchers) and starts a new one; disposing
 * the feature (on deactivate) stops the server.
 *
 * Traces follow `lyncRecovery.trace.server` (vscode-languageclient reads `<client id>.trace.server`).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RUNBOOK_STEPS_METHOD, type RunbookServerOptions, type RunbookStepsParams, type RunbookStepsResult } from '../../core/runbook/protocol';
import { registerCommand } from '../commands/register';
import { exists } from '../editor';
import { describeError, type Logger } from '../log';
import { DOCUMENT_SELECTOR, WATCHED_FILES } from './selector';

export const RESTART_LANGUAGE_SERVER_COMMAND = 'lyncRecovery.restartLanguageServer';

const CLIENT_NAME = 'Lync Runbook Language Server';
const SERVER_MODULE = 'dist/server.js';

interface Session {
  readonly client: LanguageClient;
  readonly watchers: readonly vscode.Disposable[];
}

export class RunbookLanguageClient implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[];
  private output: vscode.OutputChannel | undefined;
  /** The client's lifetime scope: undefined until started; resolves to undefined when the start failed. */
  private session: Promise<Session | undefined> | undefined;
  private failureShown = false;
  private disposed = false;

  constructor(
    private readonly context: Pick<vscode.ExtensionContext, 'asAbsolutePath'>,
    private readonly log: Logger,
  ) {
    this.disposables = [
      registerCommand(RESTART_LANGUAGE_SERVER_COMMAND, log, () => this.restart()),
      vscode.workspace.onDidOpenTextDocument((document) => this.startFor(document)),
    ];
    vscode.workspace.textDocuments.forEach((document) => this.startFor(document));
  }

  /** The steps of a runbook as the server parsed them (for code lenses); undefined when the server is not running. */
  async runbookSteps(uri: vscode.Uri, token?: vscode.CancellationToken): Promise<RunbookStepsResult | undefined> {
    const session = await this.start(false);
    if (!session) return undefined;
    const params: RunbookStepsParams = { uri: session.client.code2ProtocolConverter.asUri(uri) };
    return session.client.sendRequest<RunbookStepsResult>(RUNBOOK_STEPS_METHOD, params, token);
  }

  /** Stops the server (if it runs) and starts a new one. */
  async restart(): Promise<void> {
    await this.stop();
    if (await this.start(true)) {
      vscode.window.setStatusBarMessage(vscode.l10n.t('Lync runbook language server restarted'), 3000);
    }
  }

  private startFor(document: vscode.TextDocument): void {
    if (!this.session && vscode.languages.match(DOCUMENT_SELECTOR, document) > 0) void this.start(false);
  }

  private start(userAsked: boolean): Promise<Session | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    this.session ??= this.launch(userAsked);
    return this.session;
  }

  private async launch(userAsked: boolean): Promise<Session | undefined> {
    const module = this.context.asAbsolutePath(SERVER_MODULE);
    if (!(await exists(vscode.Uri.file(module)))) {
      this.failed(new Error(vscode.l10n.t('the server bundle {0} is missing from the extension', SERVER_MODULE)), userAsked);
      return undefined;
    }
    const watchers = WATCHED_FILES.map((glob) => vscode.workspace.createFileSystemWatcher(glob));
    let client: LanguageClient | undefined;
    try {
      const { createRunbookClient } = await import('./runbook-client');
      client = createRunbookClient(CLIENT_NAME, module, {
        documentSelector: [...DOCUMENT_SELECTOR],
        synchronize: { fileEvents: watchers },
        // The server's diagnostics and quick fixes follow VS Code's display language (src/server/localize.ts).
        initializationOptions: { l10nBundle: vscode.l10n.uri?.fsPath } satisfies RunbookServerOptions,
        outputChannel: this.channel(),
      });
      await client.start();
      this.log.info(`The runbook language server started (${module})`);
      return { client, watchers };
    } catch (error) {
      watchers.forEach((w) => w.dispose());
      await client?.dispose().catch(() => undefined);
      this.failed(error, userAsked);
      return undefined;
    }
  }

  private channel(): vscode.OutputChannel {
    return (this.output ??= vscode.window.createOutputChannel(CLIENT_NAME));
  }

  private failed(error: unknown, userAsked: boolean): void {
    this.log.error('The runbook language server could not start', error);
    this.channel().appendLine(`The server could not start: ${describeError(error)}`);
    if (this.failureShown && !userAsked) return;
    this.failureShown = true;
    const showOutput = vscode.l10n.t('Show Output');
    void vscode.window
      .showErrorMessage(
        vscode.l10n.t(
          'The Lync runbook language server could not start: {0}. Runbooks and the estate are not checked as you type; "Lync: Restart Language Server" tries again.',
          describeError(error),
        ),
        showOutput,
      )
      .then((choice) => {
        if (choice === showOutput) this.channel().show(true);
      });
  }

  private async stop(): Promise<void> {
    const session = await this.session;
    this.session = undefined;
    if (!session) return;
    try {
      await session.client.dispose();
    } catch (error) {
      this.log.warn(`The runbook language server did not stop cleanly: ${describeError(error)}`);
    } finally {
      session.watchers.forEach((w) => w.dispose());
    }
  }

  dispose(): void {
    this.disposed = true;
    this.disposables.forEach((d) => d.dispose());
    void this.stop().finally(() => this.output?.dispose());
  }
}
