/**
 * What a run acts on, for the run locks (one lock per recovery target): the pool the runbook
 * names (and its backup pool, which a Front End failover changes too) and every SQL instance its
 * actions are sent to. Two runs sharing any of these never run at once, whatever file they came
 * from. An instance is locked as a whole: its databases are not always known from the runbook text.
 */
import type { SqlEndpoint } from './targets';
import type { RunPlan } from './plan';

/** An instance is its server and instance name, whatever id or port an estate gives it. */
const instanceKey = (target: SqlEndpoint): string => `sql instance ${target.server}${target.instanceName ? `\\${target.instanceName}` : ''}`.toLowerCase();

/** Stable, case-folded descriptions of the recovery targets, sorted (the order locks are taken in). */
export function lockTargets(plan: RunPlan): string[] {
  const targets = new Set<string>();
  if (plan.pool) {
    targets.add(`pool ${plan.pool.fqdn}`.toLowerCase());
    if (plan.pool.backupPool) targets.add(`pool ${plan.pool.backupPool}`.toLowerCase());
  }
  for (const step of plan.steps) {
    for (const action of step.actions) {
      if (action.kind === 'sql') targets.add(instanceKey(action.target));
      if (action.kind === 'lync') for (const command of action.commands) if (command.target) targets.add(instanceKey(command.target));
    }
  }
  return [...targets].sort();
}
