/** Core problems → LSP diagnostics (the quick fixes ride along in `data`). */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { Fix, RuleProblem } from '../core/runbook';
import type { Problem } from '../core/text';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

export interface DiagnosticData {
  readonly fixes?: readonly Fix[];
}

/** `href`: the rule's documentation page, which makes the code a link in the Problems panel. */
export const toDiagnostic = (p: Problem | RuleProblem, source: string, href?: string): Diagnostic => ({
  range: p.range,
  severity: SEVERITY[p.severity],
  code: p.rule,
  ...(href ? { codeDescription: { href } } : {}),
  source,
  message: p.message,
  ...('fixes' in p && p.fixes ? { data: { fixes: p.fixes } satisfies DiagnosticData } : {}),
});
