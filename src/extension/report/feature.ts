/**
 * "Lync: Export Recovery Report": the runbook's journal (current target) as a Markdown report —
 * what ran, where, when, by whom, the outcome and the key output of each step — opened in an
 * editor to save or hand to the change board. Returns the Markdown (tests, automation).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PlannedAction, RunPlan } from '../../core/recovery/plan';
import { registerCommand } from '../commands/register';
import { GuidedCommand } from '../guided/model';
import type { Logger } from '../log';
import { planDocument } from '../stepping/controller';
import type { SteppingFeature } from '../stepping/feature';
import { targetLabel } from '../stepping/model';
import { isRunbookUri } from '../stepping/runbooks';
import { renderReport } from './model';

/** Where each action of the plan runs, for the report's "Where" column. */
async function targetsOf(plan: RunPlan): Promise<(stepId: string, index: number, item?: string) => string | undefined> {
  const { describeEndpoint } = await import('../../core/recovery/targets');
  const where = (action: PlannedAction, item: string | undefined): string => {
    switch (action.kind) {
      case 'sql':
        return describeEndpoint(action.target);
      case 'powershell':
        return 'Lync Server Management Shell';
      case 'lync': {
        const position = item?.split('/')[0];
        const command = action.commands.find((c) => c.ref.item === position);
        const of = (c: (typeof action.commands)[number]) => (c.target ? describeEndpoint(c.target) : c.call.name === 'copy-log-backups' ? 'files: share → copy folder' : c.call.name === 'confirm' ? 'the operator' : 'Lync Server Management Shell');
        return command ? of(command) : [...new Set(action.commands.map(of))].join(', ');
      }
    }
  };
  return (stepId, index, item) => {
    const action = plan.steps.find((s) => s.id === stepId)?.actions.find((a) => a.ref.index === index);
    return action && where(action, item);
  };
}

/** The text of one built-in of a `lync` fence, by its journal item (`<position>:<name>[/unit]`). */
function textsOf(plan: RunPlan): (stepId: string, index: number, item?: string) => string | undefined {
  return (stepId, index, item) => {
    if (item === undefined) return undefined;
    const action = plan.steps.find((s) => s.id === stepId)?.actions.find((a) => a.ref.index === index);
    const position = item.split('/')[0];
    return action?.kind === 'lync' ? action.commands.find((c) => c.ref.item === position)?.text : undefined;
  };
}

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
    let targetOf: Awaited<ReturnType<typeof targetsOf>> | undefined;
    let textOf: ReturnType<typeof textsOf> | undefined;
    try {
      const plan = await planDocument(state, document);
      targetOf = await targetsOf(plan);
      textOf = textsOf(plan);
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
        ...(targetOf ? { targetOf } : {}),
        ...(textOf ? { textOf } : {}),
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
