/** Document symbols (steps and their actions) and the `lyncRecovery/runbookSteps` result. */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver/node';
import type { Runbook, RunbookStepsResult } from '../core/runbook';

export const documentSymbols = (runbook: Runbook): DocumentSymbol[] =>
  runbook.steps.map((s) => ({
    name: s.title || s.id,
    detail: s.id,
    kind: SymbolKind.Function,
    range: s.range,
    selectionRange: s.headingRange,
    children: s.actions.map((a) => ({
      name: `${a.kind}${a.target ? ` on=${a.target.raw}` : ''}`,
      detail: a.text.split('\n')[0] ?? '',
      kind: SymbolKind.Event,
      range: a.fenceRange,
      selectionRange: a.infoRange,
    })),
  }));

export const runbookSteps = (uri: string, runbook: Runbook): RunbookStepsResult => ({
  uri,
  ...(runbook.kind ? { kind: runbook.kind } : {}),
  steps: runbook.steps.map((s) => ({
    id: s.id,
    title: s.title,
    range: s.range,
    headingRange: s.headingRange,
    actions: s.actions.map((a) => ({ index: a.index, kind: a.kind, ...(a.target ? { target: a.target.raw } : {}), text: a.text, range: a.fenceRange })),
  })),
});
