/**
 * "Lync: Export Recovery Report": the runbook's journal (current target) as a Markdown report —
 * what ran, where, when, by whom, the outcome and the key output of each step — opened in an
 * editor to save or hand to the change board. Returns the Markdown (tests, automation).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCommand } from '../commands/register';
import { GuidedCommand } from '../guided/model';
import type { Logger } from '../log';
import { planDocument } from '../stepping/controller';
import type { SteppingFeature } from '../stepping/feature';
import { targetLabel } from '../stepping/model';
import { isRunbookUri } from '../stepping/runbooks';
import { planLookups, renderReport, type PlanLookups } from './model';

export class ReportFeature implements vscode.Disposable {
  readonly #registration: vscode.Disposable;

  constructor(
    private readonly stepping: SteppingFeature,
    private readonly log: Logger,
  ) {
    this.#registration = registerCommand(GuidedCommand.exportReport, log, (uri?: unknown) => this.export(uri));
  }

  async export(uriArg: unknown): Promise<string | undefined> {
    const uri = uriArg instanceof vscode.Uri ? uriArg : typeof uriArg === 'string' ? vscode.Uri.file(uriArg) : vscode.window.activeTextEditor?.document.uri;
    if (!uri || !isRunbookUri(uri)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open the runbook whose recovery report to export (*.runbook.md) first.'));
      return undefined;
    }
    const state = this.stepping.state;
    const document = await vscode.workspace.openTextDocument(uri);
    const runbook = await state.runbooks.get(document);
    state.journalChanged(uri);
    const contents = await state.journal(uri);
    let lookups: PlanLookups | undefined;
    try {
      lookups = planLookups(await planDocument(state, document));
    } catch (error) {
      this.log.debug(`Report without targets: ${error instanceof Error ? error.message : String(error)}`);
    }
    const outputs = new Map<string, string[]>();
    for (const step of runbook.steps) outputs.set(step.id, await this.stepping.output.lines(uri, step.id));
    const markdown = renderReport(
      {
        runbook: vscode.workspace.asRelativePath(uri),
        title: runbook.title?.text ?? path.basename(uri.fsPath),
        ...(runbook.kind ? { kind: runbook.kind } : {}),
        target: targetLabel(state.target(), vscode.l10n.t),
        journal: state.journalFile(uri),
        generatedAt: new Date().toISOString(),
        generatedBy: `${os.userInfo().username} on ${os.hostname()}`,
        steps: runbook.steps.map((s) => ({ id: s.id, title: s.title })),
        records: contents.records,
        problems: contents.problems.length,
        ...(lookups ?? {}),
        outputs,
        time: (iso) => new Date(iso).toLocaleString(),
      },
      vscode.l10n.t,
    );
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
    await vscode.window.showTextDocument(doc, { preview: false });
    return markdown;
  }

  dispose(): void {
    this.#registration.dispose();
  }
}
