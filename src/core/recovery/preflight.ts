/**
 * The gate in front of every run (CLI `run` and `rehearse`, the editor) and what `lint` reports:
 * the runbook's rules, the estate's load problems and checks, and the planner's refusals — one
 * list of findings, each with its file and line. A run starts only when no error is left except
 * the ones a person overrode explicitly by id; those travel with the plan, and the engine
 * journals them when the run starts (docs/engine.md "Fail-closed checks").
 */
import { checkEstate } from '../estate/checks';
import type { EstateLoadResult } from '../estate/model';
import { checkRunbook, type EstateInput } from '../rules';
import type { Runbook } from '../runbook/model';
import { ZERO_RANGE, type Range, type Severity } from '../text';
import { PlanError, planRunbook, type CheckOverride, type OverriddenCheck, type PlanProblem, type RunPlan } from './plan';

/** Id of a planner refusal that no override can lift: the plan cannot be made at all. */
export const CANNOT_PLAN = 'plan/cannot-run';

export interface Finding {
  /** The runbook, or the estate for the estate's own problems. */
  readonly file: string;
  readonly range: Range;
  readonly severity: Severity;
  /** Rule, estate check or plan check id: what `--override` names. */
  readonly rule: string;
  readonly message: string;
}

/** The estate a runbook names: loaded, or why it could not be read. */
export interface EstateFile {
  /** As it should be shown (path or URI string). */
  readonly file: string;
  readonly result?: EstateLoadResult;
  readonly error?: string;
}

export interface Preflight {
  /** Everything found, overridden or not (what `lint` prints). */
  readonly findings: readonly Finding[];
  /** Errors left after the overrides: any one of them refuses the run. */
  readonly refusals: readonly Finding[];
  /** Present when nothing refuses the run; carries every override used. */
  readonly plan?: RunPlan;
  /** Overrides given that matched no error (a mistyped id, or a check that now passes). */
  readonly unused: readonly CheckOverride[];
}

const lineRange = (line: number): Range => (line > 0 ? { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: 0 } } : ZERO_RANGE);

/** A refusal caused by an estate value points at that value's line. */
const planFinding = (file: string, estateFile: string, p: PlanProblem): Finding => ({
  file: p.estate ? estateFile : file,
  range: lineRange(p.estate?.line ?? p.line),
  severity: 'error',
  rule: p.check ?? CANNOT_PLAN,
  message: p.message,
});

/** Where a finding is, for messages: `file:line`. */
export const findingPlace = (f: Finding): string => `${f.file}:${f.range.start.line + 1}`;

export function preflight(runbook: Runbook, runbookFile: string, estate: EstateFile | undefined, overrides: readonly CheckOverride[] = []): Preflight {
  const loaded = estate?.result?.estate;
  const input: EstateInput = loaded ? { estate: loaded } : estate ? { error: estate.error ?? `${estate.file} is not a valid estate` } : {};
  const findings: Finding[] = checkRunbook(runbook, input).map((p) => ({ file: runbookFile, range: p.range, severity: p.severity, rule: p.rule, message: p.message }));
  if (estate?.result) {
    const { result } = estate;
    const problems = loaded ? [...result.problems, ...checkEstate(loaded, result.source)] : result.problems;
    findings.push(...problems.map((p) => ({ file: estate.file, range: p.range, severity: p.severity, rule: p.rule, message: p.message })));
  }
  let plan: RunPlan | undefined;
  if (loaded) {
    try {
      plan = planRunbook(runbook, loaded, runbookFile, { overrides, estateSource: estate.result!.source });
    } catch (e) {
      if (!(e instanceof PlanError)) throw e;
      findings.push(...e.problems.map((p) => planFinding(runbookFile, estate.file, p)));
    }
  }
  const waived = new Map(overrides.map((o) => [o.check, o]));
  const refusals: Finding[] = [];
  const overridden: OverriddenCheck[] = [];
  for (const f of findings) {
    if (f.severity !== 'error') continue;
    const waiver = f.rule === CANNOT_PLAN ? undefined : waived.get(f.rule);
    if (waiver) overridden.push({ ...waiver, message: `${findingPlace(f)}: ${f.message}` });
    else refusals.push(f);
  }
  const used = new Set([...overridden, ...(plan?.overrides ?? [])].map((o) => o.check));
  const unused = overrides.filter((o) => !used.has(o.check));
  // Without an estate there is nothing to plan against: refused, whatever was overridden.
  if (!plan && refusals.length === 0) refusals.push({ file: runbookFile, range: ZERO_RANGE, severity: 'error', rule: CANNOT_PLAN, message: estate ? `the estate ${estate.file} cannot be loaded: ${estate.error ?? 'see its problems'}.` : 'the runbook names no estate: add `estate: ./lync-estate.yaml` to its front matter.' });
  if (refusals.length > 0 || !plan) return { findings, refusals, unused };
  return { findings, refusals, unused, plan: { ...plan, overrides: [...overridden, ...(plan.overrides ?? [])] } };
}
