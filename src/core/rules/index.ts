/**
 * The rule catalogue and its runner. Each family lives in its own module; this is the only list.
 * Usage: `checkRunbook(parseRunbook(text, { powershell }), { estate })`.
 */
import type { Runbook, RuleProblem } from '../runbook/model';
import { ACTIVE_SERVER_RULES } from './active-servers';
import { BACKUP_SERVICE_RULES } from './backup-service';
import { CMDLET_RULES } from './cmdlet-usage';
import { ENUM_RULES } from './enums';
import { computeFacts } from './facts';
import { FORMAT_RULES } from './format';
import { MIRROR_RULES } from './mirroring';
import { ORDER_RULES } from './order';
import { PC_STATE_RULES } from './pc-state';
import { POOL_FAILOVER_RULES } from './pool-failover';
import { SAMPLE_RULES } from './samples';
import { SQL_RULES } from './sql-sequence';
import type { EstateInput, Rule, RuleMeta } from './types';

export type { EstateInput, Rule, RuleMeta, RuleContext } from './types';

export const RULES: readonly Rule[] = [
  ...FORMAT_RULES,
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
];

const BY_ID = new Map(RULES.map((r) => [r.meta.id, r.meta]));
export const ruleMeta = (id: string): RuleMeta | undefined => BY_ID.get(id);

/** Documentation page of a rule, relative to the repository root. */
export const ruleDocPath = (id: string): string => `docs/rules/${id}.md`;

export interface CheckOptions {
  /** Stop early when the caller no longer needs the result (e.g. the document changed again). */
  readonly isCancelled?: () => boolean;
}

/** Runs every rule; problems sorted by position. A rule that throws is reported, never fatal. */
export function checkRunbook(runbook: Runbook, input: EstateInput, options: CheckOptions = {}): RuleProblem[] {
  const facts = computeFacts(runbook, input.estate);
  const problems: RuleProblem[] = [];
  for (const rule of RULES) {
    if (options.isCancelled?.()) break;
    const report = (range: RuleProblem['range'], message: string, fixes?: RuleProblem['fixes']) =>
      problems.push({ rule: rule.meta.id, severity: rule.meta.severity, message, range, ...(fixes && fixes.length ? { fixes } : {}) });
    try {
      rule.check({ runbook, ...(input.estate ? { estate: input.estate } : {}), ...(input.error ? { estateError: input.error } : {}), facts, report });
    } catch (err) {
      problems.push({ rule: rule.meta.id, severity: 'info', message: `Rule ${rule.meta.id} failed: ${err instanceof Error ? err.message : String(err)}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    }
  }
  return problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
