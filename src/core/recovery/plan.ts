/**
 * Planning: a parsed runbook and its estate → the steps to run, in order, each action with its
 * target resolved and its text ready to send; or a `PlanError` listing everything that cannot be
 * resolved (with lines), before anything runs. A built-in procedure is planned the same way:
 * rendered to a runbook first, so there is one execution path.
 */
import { PROCEDURE_KINDS, ProcedureError, procedureFor, renderRunbook, type ProcedureKind, type ProcedureOptions, type ProcedurePlan } from '../procedures';
import type { Estate, EstateSource, Pool } from '../estate/model';
import type { Action, LyncAction, Runbook, RunbookKind, Step } from '../runbook/model';
import { lyncCommandTarget } from '../runbook/parse';
import { powershellIsDestructive, sqlIsDestructive } from './classify';
import type { ActionRef } from './journal';
import { DESTRUCTIVE_CALLS, LyncCallError, parseLyncCall, SQL_CALLS, type LyncCall } from './lync-calls';
import { NO_CHECKS, procedureChecks, type StepChecks } from './procedure-checks';
import { statementRequests, type SqlRequest } from './sql-requests';
import { resolveTarget, TargetError, type SqlEndpoint } from './targets';
import { findPool } from '../estate/queries';

interface PlannedBase {
  /** The journal identity of the whole fence. */
  readonly ref: ActionRef;
  /** 1-based line of the fence's first content line. */
  readonly line: number;
  readonly destructive: boolean;
}

export interface PlannedSql extends PlannedBase {
  readonly kind: 'sql';
  readonly target: SqlEndpoint;
  /** The block as written: a read-only block is sent so, batch by batch (GO-separated). */
  readonly text: string;
  /** A block that changes state: one request per statement, stopping at the first error (sql-requests.ts). */
  readonly requests?: readonly SqlRequest[];
}

export interface PlannedPowerShell extends PlannedBase {
  readonly kind: 'powershell';
  /** One invocation each: backtick continuations joined, blank and comment lines dropped. */
  readonly statements: readonly string[];
}

export interface PlannedLyncCommand {
  /** The fence's ref with `item` = `<position>:<name>`: each built-in is journaled on its own. */
  readonly ref: ActionRef;
  readonly line: number;
  readonly text: string;
  readonly call: LyncCall;
  readonly target?: SqlEndpoint;
  readonly destructive: boolean;
}

export interface PlannedLync extends PlannedBase {
  readonly kind: 'lync';
  readonly commands: readonly PlannedLyncCommand[];
}

export type PlannedAction = PlannedSql | PlannedPowerShell | PlannedLync;

export interface PlannedStep {
  readonly id: string;
  readonly title: string;
  readonly line: number;
  readonly actions: readonly PlannedAction[];
  readonly checks: StepChecks;
}

export interface RunPlan {
  /** Identifies the journal (the runbook file path). */
  readonly runbookPath: string;
  readonly title: string;
  readonly kind?: RunbookKind;
  readonly estate: Estate;
  /** The front matter's pool, found in the estate. */
  readonly pool?: Pool;
  readonly steps: readonly PlannedStep[];
  /** Things the admin should know that do not stop the plan (a check overridden…). */
  readonly notes: readonly string[];
  /** Checks a person waived for this run: the engine journals each when the run starts. */
  readonly overrides?: readonly OverriddenCheck[];
}

/** Id of the refusal when a procedure runbook's preconditions and verification cannot be built. */
export const CHECKS_UNAVAILABLE = 'plan/checks-unavailable';

/** A person's explicit waiver of one check, by its id, with why. */
export interface CheckOverride {
  readonly check: string;
  readonly reason: string;
}

/** A waiver that was used: what the check found. */
export interface OverriddenCheck extends CheckOverride {
  readonly message: string;
}

export interface PlanProblem {
  /** 1-based line of the runbook; 0 when the problem is not tied to a runbook line. */
  readonly line: number;
  readonly message: string;
  /** The id a person can override it by; absent when the plan cannot be made at all. */
  readonly check?: string;
  /** Where in the estate the cause is (1-based line), when the estate's source is known. */
  readonly estate?: { readonly file: string; readonly line: number };
}

export interface PlanOptions {
  /** Checks a person waived explicitly (CLI `--override`, the editor's modal). */
  readonly overrides?: readonly CheckOverride[];
  /** Where the estate came from, to name the estate line of a refusal. */
  readonly estateSource?: EstateSource;
}

export class PlanError extends Error {
  override readonly name = 'PlanError';

  constructor(readonly problems: readonly PlanProblem[]) {
    super(`The runbook cannot be run:\n${problems.map((p) => `  ${p.line > 0 ? `line ${p.line}: ` : ''}${p.estate ? `${p.estate.file}:${p.estate.line}: ` : ''}${p.message}`).join('\n')}`);
  }
}

/** PowerShell statements of a fence: a line ending in a backtick continues on the next. */
export function powershellStatements(text: string): string[] {
  const statements: string[] = [];
  let pending = '';
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    if (line.endsWith('`')) {
      pending += `${line.slice(0, -1).trimEnd()} `;
      continue;
    }
    const statement = (pending + line.trimStart()).trim();
    pending = '';
    if (statement !== '' && !statement.startsWith('#')) statements.push(statement);
  }
  if (pending.trim() !== '') statements.push(pending.trim());
  return statements;
}

const frontMatter = (runbook: Runbook, key: string) => runbook.frontMatter?.entries.find((e) => e.key === key)?.value || undefined;

interface Context {
  readonly estate: Estate;
  readonly pool: Pool | undefined;
  readonly problems: PlanProblem[];
}

function target(ctx: Context, action: Action, ref: Parameters<typeof resolveTarget>[0], line: number): SqlEndpoint | undefined {
  try {
    return resolveTarget(ref, ctx.estate, ctx.pool);
  } catch (e) {
    if (!(e instanceof TargetError)) throw e;
    ctx.problems.push({ line, message: `step ${action.stepId}: ${e.message}` });
    return undefined;
  }
}

function planLync(ctx: Context, action: LyncAction, base: PlannedBase): PlannedLync {
  const commands: PlannedLyncCommand[] = [];
  action.commands.forEach((command, position) => {
    const line = command.range.start.line + 1;
    let call: LyncCall;
    try {
      call = parseLyncCall(command);
    } catch (e) {
      if (!(e instanceof LyncCallError)) throw e;
      ctx.problems.push({ line, message: `step ${action.stepId}: ${e.message}` });
      return;
    }
    let endpoint: SqlEndpoint | undefined;
    if (SQL_CALLS.has(call.name)) {
      const ref = lyncCommandTarget(command, action);
      if (!ref) {
        ctx.problems.push({ line, message: `step ${action.stepId}: ${call.name} needs a SQL target: add on=backup (or an instance id) to the line or the fence.` });
        return;
      }
      endpoint = target(ctx, action, ref, line);
      if (!endpoint) return;
    }
    commands.push({
      ref: { ...base.ref, item: `${position}:${call.name}` },
      line,
      text: command.text,
      call,
      ...(endpoint ? { target: endpoint } : {}),
      destructive: DESTRUCTIVE_CALLS.has(call.name),
    });
  });
  return { ...base, kind: 'lync', commands, destructive: commands.some((c) => c.destructive) };
}

function planAction(ctx: Context, action: Action): PlannedAction | undefined {
  const line = action.range.start.line + 1;
  const ref: ActionRef = { stepId: action.stepId, index: action.index, text: action.text };
  switch (action.kind) {
    case 'sql': {
      if (!action.target) {
        ctx.problems.push({ line: action.fenceRange.start.line + 1, message: `step ${action.stepId}: a sql block needs a target: \`\`\`sql on=backup (a store role) or on=<SQL instance id>.` });
        return undefined;
      }
      const endpoint = target(ctx, action, action.target, action.fenceRange.start.line + 1);
      if (!endpoint) return undefined;
      if (!sqlIsDestructive(action)) return { kind: 'sql', ref, line, target: endpoint, text: action.text, destructive: false };
      const split = statementRequests(action);
      if ('problem' in split) {
        ctx.problems.push({ line, message: `step ${action.stepId}: ${split.problem}` });
        return undefined;
      }
      return { kind: 'sql', ref, line, target: endpoint, text: action.text, requests: split.requests, destructive: true };
    }
    case 'powershell':
      return { kind: 'powershell', ref, line, statements: powershellStatements(action.text), destructive: powershellIsDestructive(action) };
    case 'lync':
      return planLync(ctx, action, { ref, line, destructive: false });
  }
}

/**
 * A procedure runbook's checks come from building its procedure from the estate. When that fails
 * the run would go on with no precondition (the split-brain guard among them) and no verification,
 * so it is refused — fail closed — unless a person overrides CHECKS_UNAVAILABLE explicitly.
 */
function checksFor(runbook: Runbook, estate: Estate, options: PlanOptions, problems: PlanProblem[], notes: string[], overridden: OverriddenCheck[]): Map<string, StepChecks> {
  const kind = runbook.kind;
  if (!kind || !(PROCEDURE_KINDS as readonly string[]).includes(kind)) return new Map();
  // conference-restore's procedure is keyed by the pool that lost its content.
  const key = kind === 'conference-restore' && frontMatter(runbook, 'lostPool') ? 'lostPool' : 'pool';
  const pool = frontMatter(runbook, key);
  let procedure: ProcedurePlan | undefined;
  let cause: string;
  let estateLine: PlanProblem['estate'];
  if (!pool) cause = `the front matter names no \`pool:\` to build them for: add \`pool: <pool FQDN>\``;
  else {
    try {
      procedure = procedureFor(kind as ProcedureKind, estate, pool);
    } catch (e) {
      if (!(e instanceof ProcedureError)) throw e;
      const source = options.estateSource;
      if (source && e.source) estateLine = { file: source.file, line: source.locate(e.source).start.line + 1 };
      cause = e.message;
    }
  }
  if (procedure) return procedureChecks(runbook.steps, procedure);
  const sentence = /[.!?]$/.test(cause!) ? cause! : `${cause!}.`;
  const message = `the preconditions and verification of the ${kind} procedure cannot be built, so nothing would guard or verify its steps: ${sentence} Fix this and run again; a run without them is refused (override only knowingly, with a reason).`;
  const waiver = options.overrides?.find((o) => o.check === CHECKS_UNAVAILABLE);
  if (waiver) {
    overridden.push({ ...waiver, message });
    notes.push(`Overridden (${CHECKS_UNAVAILABLE}, reason: ${waiver.reason}): ${message}`);
  } else {
    problems.push({ line: 0, message, check: CHECKS_UNAVAILABLE, ...(estateLine ? { estate: estateLine } : {}) });
  }
  return new Map();
}

export function planRunbook(runbook: Runbook, estate: Estate, runbookPath: string, options: PlanOptions = {}): RunPlan {
  const problems: PlanProblem[] = [];
  const notes: string[] = [];
  const overridden: OverriddenCheck[] = [];
  const poolName = frontMatter(runbook, 'pool');
  const pool = poolName ? findPool(estate, poolName) : undefined;
  if (poolName && !pool) problems.push({ line: 0, message: `pool: ${poolName} is not a pool of the estate ${estate.name} (pools: ${estate.pools.map((p) => p.fqdn).join(', ') || 'none'}).` });
  for (const orphan of runbook.orphanActions) {
    problems.push({ line: orphan.fenceRange.start.line + 1, message: 'this action is not under a ## step heading, so it would never run: move it into a step.' });
  }
  // What the parser could not read is not known to be harmless: refuse rather than run a shorter runbook.
  if (runbook.unread) problems.push({ line: runbook.unread.range.start.line + 1, message: runbook.unread.message });
  for (const step of runbook.steps) {
    for (const a of step.actions) if (a.kind === 'powershell' && a.unchecked) problems.push({ line: a.fenceRange.start.line + 1, message: `step ${step.id}: ${a.unchecked}` });
  }
  const seen = new Set<string>();
  for (const step of runbook.steps) {
    if (seen.has(step.id)) problems.push({ line: step.headingRange.start.line + 1, message: `two steps have the id "${step.id}": give one an explicit {#id}.` });
    seen.add(step.id);
  }
  const ctx: Context = { estate, pool, problems };
  const checks = checksFor(runbook, estate, options, problems, notes, overridden);
  const steps: PlannedStep[] = runbook.steps.map((step: Step) => ({
    id: step.id,
    title: step.title,
    line: step.headingRange.start.line + 1,
    actions: step.actions.map((a) => planAction(ctx, a)).filter((a): a is PlannedAction => a !== undefined),
    checks: checks.get(step.id) ?? NO_CHECKS,
  }));
  if (steps.length === 0) problems.push({ line: 0, message: 'the runbook has no ## steps.' });
  if (problems.length > 0) throw new PlanError(problems);
  return {
    runbookPath,
    title: runbook.title?.text ?? runbookPath,
    ...(runbook.kind ? { kind: runbook.kind } : {}),
    estate,
    ...(pool ? { pool } : {}),
    steps,
    notes,
    ...(overridden.length > 0 ? { overrides: overridden } : {}),
  };
}

/** A built-in procedure for a pool, planned through its rendered runbook (one execution path). */
export function planProcedure(
  kind: ProcedureKind,
  estate: Estate,
  poolFqdn: string,
  options: { readonly procedure?: ProcedureOptions; readonly runbookPath: string; readonly parse: (text: string) => Runbook; readonly plan?: PlanOptions },
): RunPlan {
  const text = renderRunbook(procedureFor(kind, estate, poolFqdn, options.procedure));
  return planRunbook(options.parse(text), estate, options.runbookPath, options.plan);
}
