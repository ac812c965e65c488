/** What a rule is, what it gets and how it reports. */
import type { Estate } from '../estate/model';
import type { Fix, Runbook } from '../runbook/model';
import type { Range, Severity } from '../text';
import type { Facts } from './facts';

export interface RuleMeta {
  /** Stable id, the `rule` of the problems and the name of `docs/rules/<id>.md`. */
  readonly id: string;
  readonly severity: Severity;
  /** One line for the catalogue. */
  readonly description: string;
  /** What the quick fix does, when the rule offers one. */
  readonly fix?: string;
}

/** What the caller knows about the runbook's estate. */
export interface EstateInput {
  /** The loaded estate, when the `estate:` file could be read and is usable. */
  readonly estate?: Estate;
  /** Why it could not (file missing, invalid YAML…), shown at the `estate:` key. */
  readonly error?: string;
}

export interface RuleContext {
  readonly runbook: Runbook;
  readonly estate?: Estate;
  readonly estateError?: string;
  readonly facts: Facts;
  report(range: Range, message: string, fixes?: readonly Fix[]): void;
}

export interface Rule {
  readonly meta: RuleMeta;
  check(ctx: RuleContext): void;
  /**
   * Optional split of `check` that lets the runner cache findings per action. When set, `check(ctx)`
   * reports what `document(ctx)` reports, then what `action(ctx)` reports; and `action` is local:
   * run on the facts of several actions it reports, for each of them, exactly what it reports on
   * that action's facts alone, at ranges inside that action's fence, reading nothing of the runbook
   * but its kind, the estate and the facts' pools and targets (`FactsContext`).
   */
  readonly action?: (ctx: RuleContext) => void;
  readonly document?: (ctx: RuleContext) => void;
}
