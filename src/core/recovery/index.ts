/** The recovery engine: plan a runbook, run it through the ports, dry-run it. */
export { planRunbook, planProcedure, powershellStatements, PlanError, type RunPlan, type PlannedStep, type PlannedAction, type PlannedLyncCommand, type PlanProblem, type PlanOptions, type CheckOverride, type OverriddenCheck, CHECKS_UNAVAILABLE } from './plan';
export { preflight, findingPlace, CANNOT_PLAN, type Finding, type EstateFile, type Preflight } from './preflight';
export { runRunbook, runStep, markStep, resetStep, DEFAULT_POLL_INTERVAL_MS } from './engine';
export { dryRun, formatDryRun, type DryRunStep, type DryRunAction, type DryRunOptions } from './dry-run';
export { describeEndpoint, resolveTarget, TargetError, type SqlEndpoint } from './targets';
export { lockTargets } from './lock-targets';
export { parseLyncCall, parseDuration, type LyncCall } from './lync-calls';
export { ActionError, DeclinedError } from './errors';
export { snapshotDataName, type LogShippingSnapshot } from './actions';
export type * from './run-types';
