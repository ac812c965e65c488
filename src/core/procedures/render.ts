/**
 * A procedure plan as a runbook (runbook-format.md): front matter, a title, then one `##` step
 * per procedure step with an explicit `{#id}`, its reason and checks as prose, and one fence per
 * action. Verifications that have a built-in action form (`check-pool-state`) are added as
 * actions, so the runbook checks itself when run.
 */
import { toScript } from '../commands/tsql';
import { showControlCharacters } from '../text';
import { instanceLabel, onClause } from './resolve';
import type { Check, ProcedureAction, ProcedurePlan, ProcedureStep, StepTarget } from './types';

export interface RenderOptions {
  /** The estate file, relative to the runbook (default `./lync-estate.yaml`). */
  readonly estatePath?: string;
}

/** `name key=value key="quoted value"`; `confirm "text"`. */
export function lyncActionText(action: Extract<ProcedureAction, { kind: 'lync' }>): string {
  const quote = (value: string) => {
    if (/["\r\n]/.test(value)) throw new Error(`A lync action value cannot contain a double quote or a line break: ${value}`);
    return /[\s=]/.test(value) || value === '' ? `"${value}"` : value;
  };
  const args: string[] = action.args.map(([k, v]) => `${k}=${quote(v)}`);
  if (action.target) args.push(`on=${onClause(action.target)}`);
  if (action.text !== undefined) args.unshift(quote(action.text));
  return [action.name, ...args].join(' ');
}

/** One line of prose per check, for runbooks, dry runs and messages. */
export function describeCheck(check: Check): string {
  switch (check.kind) {
    case 'database-state':
      return `${check.database} on ${check.target.role} ${instanceLabel(check.target)} is ${check.expect}`;
    case 'instance-reachable':
      return `the ${check.target.role} SQL instance ${instanceLabel(check.target)} answers`;
    case 'instance-unreachable':
      return `the ${check.target.role} SQL instance ${instanceLabel(check.target)} does not answer${check.database ? `, or ${check.database} there is no longer ONLINE` : ''} (overridable: ${check.warning})`;
    case 'pool-paired':
      return `${check.pool} is paired with ${check.partner}`;
    case 'pool-unreachable':
      return `${check.pool} does not answer (overridable: ${check.warning})`;
    case 'pool-answers':
      return `${check.pool} answers again (its Backup Service responds)`;
    case 'pool-state':
      return `Get-CsPersistentChatState shows PoolState ${check.expect} for ${check.identity}`;
    case 'cms-active':
      return `Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus names an active master${check.pool ? ` in ${check.pool}` : ''} (the Central Management Store answers)`;
    case 'cms-database-principal':
      return `Get-CsDatabaseMirrorState -PoolFqdn ${check.pool} -DatabaseType CentralMgmt shows a Principal (the CMS database of ${check.pool} is online)`;
    case 'log-shipping-removed':
      return `no log-shipping configuration is left for ${check.database} on ${instanceLabel(check.target)}`;
    case 'log-shipping-configured':
      return `${check.database} on ${instanceLabel(check.target)} is a log-shipping secondary again`;
    case 'log-shipping-primary':
      return `${check.database} on ${instanceLabel(check.target)} is a log-shipping primary (msdb.dbo.log_shipping_primary_databases)`;
    case 'restore-files-fit':
      return `the files of ${check.path} (RESTORE FILELISTONLY) land on those of ${check.database} on ${instanceLabel(check.target)}${check.moves.length > 0 ? ` with ${check.moves.map((m) => `MOVE ${m.logical}`).join(', ')}` : ''}`;
    case 'log-backups-copied':
      return `every log backup on ${check.from} that ${check.database} on ${instanceLabel(check.target)} still needs (records beyond its redo LSN) is in ${check.to}, sizes matching`;
    case 'no-user-sessions':
      return `no user session uses ${check.database} on ${instanceLabel(check.target)}`;
    case 'mirroring-removed':
      return `${check.database} on ${instanceLabel(check.target)} is not mirrored`;
    case 'mirroring-established':
      return `${check.database} on ${instanceLabel(check.target)} is the mirroring principal, partner ${instanceLabel(check.partner)}, SYNCHRONIZED or SYNCHRONIZING`;
    case 'backup-sync-state':
      return `${check.module} on ${check.pool} reports ${check.expect.join(' or ')} (import NormalState)`;
    case 'share-reachable':
      return `the share ${check.path} is reachable${check.overridable ? ` (overridable: ${check.warning})` : ''}`;
    case 'backup-file-exists':
      return `the backup file ${check.path} exists`;
    case 'step-done':
      return `step ${check.stepId} is done`;
    case 'operator-confirms':
      return `you confirm: ${check.text}`;
  }
}

function describeTarget(target: StepTarget): string {
  switch (target.kind) {
    case 'sql':
      return `the ${target.role} SQL instance ${instanceLabel(target)}${target.store === 'mgc' ? '' : ` (${target.store} store)`}, in master`;
    case 'shell':
      return 'the Lync Server Management Shell';
    case 'files':
      return `files: ${target.from} → ${target.to}`;
    case 'operator':
      return 'you (a manual checkpoint)';
  }
}

/**
 * Prose is ours, but estate values inside it (ids, names, paths) are not: it must stay one inline
 * run of text that cannot start a block or a fence, nor change a step's `{#id}`. Control characters
 * (a line break would let `~~~` or `#` begin a line) are shown escaped; a backslash only escapes
 * ASCII punctuation in CommonMark, so only those backslashes are doubled (`\\srv\share` stays
 * readable in the source); `*`, `` ` ``, `<`, `>`, `#`, `~`, braces and brackets are escaped.
 */
function prose(text: string): string {
  return showControlCharacters(text.replace(/\\(?=[!-/:-@[-`{-~])/g, '\\\\')).replace(/[`*<>#~{}[\]]/g, (c) => `\\${c}`);
}

function fence(info: string, body: string): string {
  return ['```' + info, body, '```'].join('\n');
}

function actionFence(action: ProcedureAction): string {
  switch (action.kind) {
    case 'sql':
      return fence(`sql on=${onClause(action.target)}`, toScript(action.command));
    case 'powershell':
      return fence('powershell', action.command);
    case 'lync':
      return fence('lync', lyncActionText(action));
  }
}

/** Verifications the runbook can run itself, as built-in actions. */
function verificationActions(step: ProcedureStep): ProcedureAction[] {
  return step.verification.flatMap((c): ProcedureAction[] =>
    c.kind === 'pool-state' ? [{ kind: 'lync', name: 'check-pool-state', args: [['pool', c.pool], ['state', c.expect]] }] : [],
  );
}

const list = (checks: readonly Check[]) => (checks.length === 0 ? 'nothing' : checks.map(describeCheck).join('; '));

function renderStep(step: ProcedureStep): string {
  const facts = [
    `- **Runs on:** ${prose(describeTarget(step.target))}`,
    `- **Before:** ${prose(list(step.preconditions))}`,
    `- **After:** ${prose(list(step.verification))}`,
    `- **Destructive:** ${step.destructive ? 'yes, the run asks before it' : 'no'}`,
    `- **If it fails:** ${prose(step.onFailure)}`,
    `- **Reference:** ${step.reference}`,
  ];
  const fences = [...step.actions, ...verificationActions(step)].map(actionFence);
  return [`## ${prose(step.title)} {#${step.id}}`, prose(step.why), facts.join('\n'), ...fences].join('\n\n');
}

export function renderRunbook(plan: ProcedurePlan, options: RenderOptions = {}): string {
  const front = ['---', `runbook: ${plan.kind}`, `estate: ${options.estatePath ?? './lync-estate.yaml'}`, `pool: ${plan.pool}`];
  if (plan.lostPool) front.push(`lostPool: ${plan.lostPool}`);
  front.push('---');
  const notes = plan.notes.length === 0 ? [] : [plan.notes.map((n) => `> **Note:** ${prose(n)}`).join('\n>\n')];
  return [front.join('\n'), `# ${prose(plan.title)}`, prose(plan.summary), ...notes, ...plan.steps.map(renderStep)].join('\n\n') + '\n';
}
