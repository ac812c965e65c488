/**
 * Preconditions and verification for a runbook's steps, taken from the built-in procedure of the
 * runbook's kind. A runbook step is matched to the procedure step that does the same thing (its
 * first action's signature: the built-in action, the stored procedure, the cmdlet), in order and
 * each procedure step once — so failback's two Set-CsPersistentChatActiveServer steps match in
 * turn. Step ids are the runbook's own, so a procedure's `step-done` check is re-pointed to the
 * runbook step it matched, or dropped when nothing matched.
 */
import { toScript } from '../commands/tsql';
import type { Check, ProcedureAction, ProcedurePlan, ProcedureStep } from '../procedures/types';
import type { Action, Step } from '../runbook/model';
import { parseSql } from '../runbook/sql';
import { lyncSignature, powershellSignature, sqlSignature } from './classify';

export interface StepChecks {
  readonly before: readonly Check[];
  readonly after: readonly Check[];
  /** What to do when the step fails (from the procedure). */
  readonly onFailure?: string;
  /** The procedure step it matched. */
  readonly procedureStep?: string;
}

export const NO_CHECKS: StepChecks = { before: [], after: [] };

function procedureSignature(action: ProcedureAction): string {
  switch (action.kind) {
    case 'lync':
      return lyncSignature(action.name);
    case 'powershell':
      return powershellSignature(action.command.split(' ')[0]!);
    case 'sql': {
      const statement = parseSql(toScript(action.command)).statements.find((s) => s.verb !== 'DECLARE');
      return statement ? sqlSignature(statement) : 'sql:';
    }
  }
}

function actionSignatures(action: Action): string[] {
  switch (action.kind) {
    case 'lync':
      return action.commands.map((c) => lyncSignature(c.name));
    case 'powershell':
      return action.commands.map((c) => powershellSignature(c.name));
    case 'sql':
      return action.statements.map(sqlSignature);
  }
}

/** Checks per runbook step id. */
export function procedureChecks(steps: readonly Step[], procedure: ProcedurePlan): Map<string, StepChecks> {
  const matched = new Map<string, ProcedureStep>();
  const runbookIdOf = new Map<string, string>();
  let next = 0;
  for (const step of steps) {
    const signatures = new Set(step.actions.flatMap(actionSignatures));
    for (let p = next; p < procedure.steps.length; p++) {
      const candidate = procedure.steps[p]!;
      const first = candidate.actions[0];
      if (candidate.id === step.id || (first && signatures.has(procedureSignature(first)))) {
        matched.set(step.id, candidate);
        runbookIdOf.set(candidate.id, step.id);
        next = p + 1;
        break;
      }
    }
  }
  const remap = (checks: readonly Check[]): Check[] =>
    checks.flatMap((c): Check[] => {
      if (c.kind !== 'step-done') return [c];
      const id = runbookIdOf.get(c.stepId);
      return id ? [{ kind: 'step-done', stepId: id }] : [];
    });
  const result = new Map<string, StepChecks>();
  for (const [stepId, p] of matched) {
    result.set(stepId, { before: remap(p.preconditions), after: remap(p.verification), onFailure: p.onFailure, procedureStep: p.id });
  }
  return result;
}
