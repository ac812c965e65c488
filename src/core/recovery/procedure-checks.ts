/**
 * Preconditions and verification for a runbook's steps, taken from the built-in procedure of the
 * runbook's kind. A runbook step is matched to the procedure step that does the same thing (its
 * first action's signature: the built-in action, the stored procedure, the cmdlet), in order and
 * each procedure step once — so failback's two Set-CsPersistentChatActiveServer steps match in
 * turn. Step ids are the runbook's own, so a procedure's `step-done` check is re-pointed to the
 * runbook step it matched, or dropped when nothing matched.
 *
 * The checks then follow what the runbook does, not what the procedure would have done:
 * - a backup file is the one the runbook's own BACKUP / RESTORE statement names (its `MOVE`
 *   clauses too), not the procedure's default name;
 * - where the documentation allows two orders (a procedure step's `mayPrecede`), a runbook may run
 *   the earlier step later: it is still matched, and the preconditions it establishes are checked
 *   after it (its verification) instead of before the step that now comes first.
 */
import { toScript, type FileMove } from '../commands/tsql';
import { InvalidValueError } from '../commands/errors';
import { parseFilePath, type FilePath } from '../commands/values';
import type { Check, ProcedureAction, ProcedurePlan, ProcedureStep } from '../procedures/types';
import type { Action, SqlStatement, Step } from '../runbook/model';
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

/** A path as a validated FilePath, or undefined when it is not one (it is then left to the procedure's). */
function filePath(text: string): FilePath | undefined {
  try {
    return parseFilePath(text);
  } catch (e) {
    if (e instanceof InvalidValueError) return undefined;
    throw e;
  }
}

/** What a runbook step's own BACKUP DATABASE / RESTORE DATABASE statement names: its file and MOVE clauses. */
interface BackupFacts {
  readonly path?: FilePath;
  readonly moves: readonly FileMove[];
}

function backupFacts(step: Step): BackupFacts {
  const statement = step.actions
    .flatMap((a) => (a.kind === 'sql' ? a.statements : []))
    .find((st: SqlStatement) => (st.verb === 'BACKUP' || st.verb === 'RESTORE') && st.object === 'DATABASE' && st.hasSource);
  if (!statement) return { moves: [] };
  const t = statement.tokens;
  const word = (i: number, w: string) => t[i]?.kind === 'word' && t[i]!.value.toUpperCase() === w;
  let path: FilePath | undefined;
  const moves: FileMove[] = [];
  for (let i = 0; i < t.length; i++) {
    if (word(i, 'DISK') && t[i + 1]?.text === '=' && t[i + 2]?.kind === 'string' && path === undefined) path = filePath(t[i + 2]!.value);
    if (word(i, 'MOVE') && t[i + 1]?.kind === 'string' && word(i + 2, 'TO') && t[i + 3]?.kind === 'string') {
      const to = filePath(t[i + 3]!.value);
      if (to) moves.push({ logical: t[i + 1]!.value, to });
    }
  }
  return { ...(path ? { path } : {}), moves };
}

/** The procedure's check, with the backup file and MOVE clauses the runbook's step itself names. */
function followRunbook(check: Check, facts: BackupFacts): Check {
  if (check.kind === 'backup-file-exists' && facts.path) return { ...check, path: facts.path };
  if (check.kind === 'restore-files-fit') return { ...check, ...(facts.path ? { path: facts.path } : {}), moves: facts.moves };
  return check;
}

const sameCheck = (a: Check, b: Check) => JSON.stringify(a) === JSON.stringify(b);

/** Checks per runbook step id. */
export function procedureChecks(steps: readonly Step[], procedure: ProcedurePlan): Map<string, StepChecks> {
  const matched = new Map<string, { readonly step: ProcedureStep; readonly facts: BackupFacts; readonly deferred: readonly ProcedureStep[] }>();
  const runbookIdOf = new Map<string, string>();
  /** Procedure steps passed over because the documentation lets the runbook run them later (`mayPrecede`). */
  const pending: number[] = [];
  let next = 0;
  const matches = (step: Step, signatures: ReadonlySet<string>, p: number) => {
    const candidate = procedure.steps[p]!;
    const first = candidate.actions[0];
    return candidate.id === step.id || (first !== undefined && signatures.has(procedureSignature(first)));
  };
  for (const step of steps) {
    const signatures = new Set(step.actions.flatMap(actionSignatures));
    const late = pending.findIndex((p) => matches(step, signatures, p));
    let p = late >= 0 ? pending.splice(late, 1)[0]! : -1;
    let deferred: ProcedureStep[] = [];
    if (p < 0) {
      for (let q = next; q < procedure.steps.length; q++) {
        if (!matches(step, signatures, q)) continue;
        const skipped = procedure.steps.slice(next, q).map((_, i) => next + i);
        const allowed = skipped.filter((i) => procedure.steps[q]!.mayPrecede?.includes(procedure.steps[i]!.id));
        pending.push(...allowed);
        deferred = allowed.map((i) => procedure.steps[i]!);
        p = q;
        next = q + 1;
        break;
      }
    }
    if (p < 0) continue;
    const candidate = procedure.steps[p]!;
    matched.set(step.id, { step: candidate, facts: backupFacts(step), deferred });
    runbookIdOf.set(candidate.id, step.id);
  }
  const remap = (checks: readonly Check[], facts: BackupFacts): Check[] =>
    checks.flatMap((c): Check[] => {
      if (c.kind !== 'step-done') return [followRunbook(c, facts)];
      const id = runbookIdOf.get(c.stepId);
      return id ? [{ kind: 'step-done', stepId: id }] : [];
    });
  const result = new Map<string, StepChecks>();
  for (const [stepId, { step: p, facts, deferred }] of matched) {
    // What a step the runbook runs later establishes is checked after that step, not before this one.
    const before = p.preconditions.filter((c) => !deferred.some((d) => d.verification.some((v) => sameCheck(v, c))));
    result.set(stepId, { before: remap(before, facts), after: remap(p.verification, facts), onFailure: p.onFailure, procedureStep: p.id });
  }
  return result;
}
