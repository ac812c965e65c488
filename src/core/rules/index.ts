/**
 * The rule catalogue and its runner. Each family lives in its own module; this is the only list.
 * Usage: `checkRunbook(parseRunbook(text, { powershell }), { estate })`.
 */
import type { Action, Runbook, RuleProblem } from '../runbook/model';
import type { Position } from '../text';
import { ACTIVE_SERVER_RULES } from './active-servers';
import { BACKUP_SERVICE_RULES } from './backup-service';
import { CMDLET_RULES } from './cmdlet-usage';
import { DOCUMENTED_SEQUENCE_RULES } from './documented-sequence';
import { ENUM_RULES } from './enums';
import { contextToken, factsContext, factsOf, type FactsContext, type LocatedAction } from './facts';
import { FORMAT_RULES } from './format';
import { hiddenCharacter } from './hidden-characters';
import { MIRROR_RULES } from './mirroring';
import { ORDER_RULES } from './order';
import { PC_STATE_RULES } from './pc-state';
import { POOL_FAILOVER_RULES } from './pool-failover';
import { SAMPLE_RULES } from './samples';
import { SQL_RULES } from './sql-sequence';
import type { EstateInput, Rule, RuleContext, RuleMeta } from './types';

export type { EstateInput, Rule, RuleMeta, RuleContext } from './types';

export const RULES: readonly Rule[] = [
  ...FORMAT_RULES,
  hiddenCharacter,
  ...SAMPLE_RULES,
  ...CMDLET_RULES,
  ...ENUM_RULES,
  ...PC_STATE_RULES,
  ...SQL_RULES,
  ...MIRROR_RULES,
  ...ACTIVE_SERVER_RULES,
  ...BACKUP_SERVICE_RULES,
  ...POOL_FAILOVER_RULES,
  ...ORDER_RULES,
  ...DOCUMENTED_SEQUENCE_RULES,
];

const BY_ID = new Map(RULES.map((r) => [r.meta.id, r.meta]));
export const ruleMeta = (id: string): RuleMeta | undefined => BY_ID.get(id);

/** Documentation page of a rule, relative to the repository root. */
export const ruleDocPath = (id: string): string => `docs/rules/${id}.md`;

export interface CheckOptions {
  /** Stop early when the caller no longer needs the result (e.g. the document changed again). */
  readonly isCancelled?: () => boolean;
}

/** Rules split into document and per-action parts (`Rule.action`), by their index in RULES. */
const LOCAL_INDEX = new Map<Rule, number>();
const LOCAL_RULES: Rule[] = [];
for (const rule of RULES) {
  if (!rule.action) continue;
  LOCAL_INDEX.set(rule, LOCAL_RULES.length);
  LOCAL_RULES.push(rule);
}

/**
 * Findings of the local rules for one action, under one context. Actions are reused by the parser
 * while their block and position do not change, so a keystroke re-runs the local rules on the
 * edited block only.
 */
interface ActionFindings {
  readonly context: object;
  /** [index in LOCAL_RULES, findings], only for rules with findings, in LOCAL_RULES order. */
  readonly findings: readonly (readonly [number, readonly RuleProblem[]])[];
}
const actionFindings = new WeakMap<Action, ActionFindings>();

const failure = (rule: Rule, err: unknown): RuleProblem => ({
  rule: rule.meta.id,
  severity: 'info',
  message: `Rule ${rule.meta.id} failed: ${err instanceof Error ? err.message : String(err)}`,
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
});

const problemOf = (rule: Rule, range: RuleProblem['range'], message: string, fixes?: RuleProblem['fixes']): RuleProblem => ({
  rule: rule.meta.id,
  severity: rule.meta.severity,
  message,
  range,
  ...(fixes && fixes.length ? { fixes } : {}),
});

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);

/**
 * Runs the local rules over the actions whose findings are not cached, once per rule, and splits
 * each rule's findings by the action they fall in. Undefined when a rule throws or reports outside
 * the actions (then the caller runs the rules the plain way).
 */
function localFindings(missed: readonly LocatedAction[], base: Omit<RuleContext, 'facts' | 'report'>, context: FactsContext): ActionFindings['findings'][] | undefined {
  const facts = factsOf(context, missed);
  const perAction: [number, RuleProblem[]][][] = missed.map(() => []);
  for (let r = 0; r < LOCAL_RULES.length; r++) {
    const rule = LOCAL_RULES[r]!;
    const found: RuleProblem[] = [];
    try {
      rule.action!({ ...base, facts, report: (range, message, fixes) => found.push(problemOf(rule, range, message, fixes)) });
    } catch {
      return undefined;
    }
    for (const problem of found) {
      // The action whose fence holds the finding: the last one starting at or before it.
      let lo = 0;
      let hi = missed.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (before(missed[mid]!.action.fenceRange.start, problem.range.start)) lo = mid;
        else hi = mid - 1;
      }
      const fence = missed[lo]!.action.fenceRange;
      if (!before(fence.start, problem.range.start) || !before(problem.range.start, fence.end)) return undefined;
      const list = perAction[lo]!;
      const last = list[list.length - 1];
      if (last && last[0] === r) last[1].push(problem);
      else list.push([r, [problem]]);
    }
  }
  return perAction;
}

/** Runs every rule; problems sorted by position. A rule that throws is reported, never fatal. */
export function checkRunbook(runbook: Runbook, input: EstateInput, options: CheckOptions = {}): RuleProblem[] {
  const { estate } = input;
  const base = { runbook, ...(estate ? { estate } : {}), ...(input.error ? { estateError: input.error } : {}) };
  const context = factsContext(runbook, estate);
  const located: LocatedAction[] = [];
  for (const action of runbook.orphanActions) located.push({ action, step: undefined });
  for (const step of runbook.steps) for (const action of step.actions) located.push({ action, step });

  // Local rules: cached findings per action, the others computed in one pass.
  const token = contextToken(runbook, estate, context);
  const cached: (ActionFindings | undefined)[] = located.map(({ action }) => {
    const hit = actionFindings.get(action);
    return hit && hit.context === token ? hit : undefined;
  });
  const missedAt: number[] = [];
  for (let i = 0; i < located.length; i++) if (!cached[i]) missedAt.push(i);
  let localOk = true;
  if (missedAt.length) {
    if (options.isCancelled?.()) return [];
    const computed = localFindings(missedAt.map((i) => located[i]!), base, context);
    if (computed) {
      missedAt.forEach((at, k) => {
        const entry: ActionFindings = { context: token, findings: computed[k]! };
        actionFindings.set(located[at]!.action, entry);
        cached[at] = entry;
      });
    } else localOk = false;
  }
  const buckets: RuleProblem[][] = LOCAL_RULES.map(() => []);
  if (localOk) for (const entry of cached) for (const [r, found] of entry!.findings) buckets[r]!.push(...found);

  const facts = factsOf(context, located, token);
  const problems: RuleProblem[] = [];
  for (const rule of RULES) {
    if (options.isCancelled?.()) break;
    const report = (range: RuleProblem['range'], message: string, fixes?: RuleProblem['fixes']) => problems.push(problemOf(rule, range, message, fixes));
    const local = LOCAL_INDEX.get(rule);
    try {
      if (local === undefined || !localOk) rule.check({ ...base, facts, report });
      else {
        rule.document?.({ ...base, facts, report });
        for (const p of buckets[local]!) problems.push(p);
      }
    } catch (err) {
      problems.push(failure(rule, err));
    }
  }
  return problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
