/**
 * Dry run: exactly what a run would send, and where, without touching any port. Runbook text is
 * shown as written; built-in actions show the commands they build (templates where a value is
 * only known at run time, such as the log backup files found in the copy folder, or the SQL
 * Server version that shapes RESTORE HEADERONLY's temp table when the caller does not know it).
 */
import * as ps from '../commands/powershell';
import * as tsql from '../commands/tsql';
import { joinPath, parseFileName, parseFilePath, persistentChatIdentity, type FilePath } from '../commands/values';
import { describeCheck } from '../procedures/render';
import type { PlannedLyncCommand, PlannedStep, RunPlan } from './plan';
import { describeEndpoint } from './targets';

export interface DryRunAction {
  /** 1-based line in the runbook. */
  readonly line: number;
  /** Instance id and host, the shell, the file system or the operator. */
  readonly target: string;
  readonly destructive: boolean;
  /** The exact text sent (or the template of what is sent, with comments saying when). */
  readonly text: string;
}

export interface DryRunStep {
  readonly id: string;
  readonly title: string;
  readonly before: readonly string[];
  readonly actions: readonly DryRunAction[];
  readonly after: readonly string[];
}

export interface DryRunOptions {
  /**
   * `SERVERPROPERTY('ProductVersion')` of an estate SQL instance ('11.0.7001.0'), when the caller
   * knows it (a connection test, the live status): apply-log-backups reads it from the server
   * before the headers, and RESTORE HEADERONLY's temp table has that version's columns.
   */
  readonly productVersion?: (instanceId: string) => string | undefined;
}

const SHELL = 'Lync Server Management Shell';

/**
 * The RESTORE HEADERONLY options apply-log-backups uses for a server of this version (the same
 * rule: tsql.headerOnlyVersionFor). Undefined when the version is unknown or not a ProductVersion.
 */
function headerOnlyOptions(productVersion: string | undefined): tsql.RestoreHeaderOnlyOptions | undefined {
  if (productVersion === undefined) return undefined;
  try {
    const major = tsql.headerOnlyVersionFor(productVersion);
    return major === undefined ? {} : { majorVersion: major };
  } catch {
    return undefined;
  }
}

function headerOnlyText(file: FilePath | undefined, productVersion: string | undefined): string[] {
  const options = headerOnlyOptions(productVersion);
  const version = options
    ? [`-- ${productVersion}: the #headers columns of SQL Server ${options.majorVersion ?? `${tsql.DEFAULT_HEADERONLY_MAJOR_VERSION} (the builder's default: no known result set for this version)`}`]
    : [`-- the #headers columns follow the major version the query above returns; shown for ${tsql.DEFAULT_HEADERONLY_MAJOR_VERSION} (SQL Server 2014), also used for a version outside ${tsql.HEADERONLY_VERSIONS.min}–${tsql.HEADERONLY_VERSIONS.max}`];
  return [...version, file ? tsql.toScript(tsql.restoreHeaderOnly(file, options ?? {})) : 'RESTORE HEADERONLY FROM DISK = @file;'];
}

/** What a built-in sends (T-SQL, cmdlets) and where: the dry run's text, and the "Exact command" of its confirmation. */
export function lyncText(plan: RunPlan, command: PlannedLyncCommand, options: DryRunOptions = {}): { target: string; text: string } {
  const call = command.call;
  const on = command.target ? describeEndpoint(command.target) : SHELL;
  const ls = plan.pool?.logShipping;
  const copyFolder = ls?.copyFolder ?? '<copy folder from the snapshot>';
  switch (call.name) {
    case 'snapshot-log-shipping':
      return { target: on, text: `${tsql.toScript(tsql.logShippingSnapshot(call.database))}\n-- the row is kept in the journal` };
    case 'copy-log-backups':
      return {
        target: 'files',
        text: `copy each ${call.database}_*.trn newer than the snapshot's last copied file\n  from ${ls?.share ?? '<share from the snapshot>'}\n  to   ${copyFolder}\n-- folders from the snapshot when one was taken, else from the estate; sizes verified, differing files never overwritten`,
      };
    case 'apply-log-backups': {
      const file = ls ? joinPath(parseFilePath(ls.copyFolder), parseFileName('{file}')) : undefined;
      return {
        target: on,
        text: [
          tsql.toScript(tsql.redoLsn(call.database)),
          `-- when ${copyFolder} has *.trn files, the server's version (it shapes the header query):`,
          tsql.toScript(tsql.serverIdentity()),
          `-- for each *.trn in ${copyFolder}:`,
          ...headerOnlyText(file, command.target ? options.productVersion?.(command.target.instanceId) : undefined),
          '-- for each file not yet applied, in LSN order (stops at a gap, naming the missing range):',
          file ? tsql.restoreLog(call.database, file).text : `RESTORE LOG [${call.database}] FROM DISK = N'{file}' WITH NORECOVERY;`,
        ].join('\n'),
      };
    }
    case 'back-up-tail-log':
      return { target: on, text: `${tsql.toScript(tsql.databaseState(call.database))}\n-- when the instance answers and ${call.database} is ONLINE:\nBACKUP LOG [${call.database}] TO DISK = N'{log-shipping share}\\${call.database}_tail.trn' WITH NORECOVERY;` };
    case 'kill-sessions':
      return { target: on, text: `${tsql.toScript(tsql.sessionsInDatabase(call.database))}\n-- for each session listed:\nKILL {session_id};` };
    case 'recover-database':
      return { target: on, text: `${tsql.recoverDatabase(call.database).text}\n-- then, to verify ONLINE:\n${tsql.toScript(tsql.databaseState(call.database))}` };
    case 'wait-backup-sync':
      return { target: SHELL, text: `${ps.getBackupModuleStatus(call.pool)}\n-- repeated until ${call.module} is SteadyState/FinalState (import NormalState), at most ${Math.round(call.timeoutMs / 60_000)} min` };
    case 'check-pool-state':
      return { target: SHELL, text: `${ps.getPersistentChatState(persistentChatIdentity(call.pool))}\n-- expects PoolState ${call.state}` };
    case 'confirm':
      return { target: 'the operator', text: `asks: ${call.text}` };
  }
}

function dryRunStep(plan: RunPlan, step: PlannedStep, options: DryRunOptions): DryRunStep {
  const actions = step.actions.flatMap((action): DryRunAction[] => {
    switch (action.kind) {
      case 'sql':
        return [{ line: action.line, target: describeEndpoint(action.target), destructive: action.destructive, text: action.text }];
      case 'powershell':
        return [{ line: action.line, target: SHELL, destructive: action.destructive, text: action.statements.join('\n') }];
      case 'lync':
        return action.commands.map((c) => ({ line: c.line, destructive: c.destructive, ...lyncText(plan, c, options) }));
    }
  });
  return { id: step.id, title: step.title, before: step.checks.before.map(describeCheck), actions, after: step.checks.after.map(describeCheck) };
}

export function dryRun(plan: RunPlan, options: DryRunOptions = {}): DryRunStep[] {
  return plan.steps.map((s) => dryRunStep(plan, s, options));
}

const indent = (text: string) => text.split('\n').map((l) => `      ${l}`).join('\n');

/** The dry run as text, for terminals and reports. */
export function formatDryRun(plan: RunPlan, options: DryRunOptions = {}): string {
  const out: string[] = [`DRY RUN — nothing is sent. ${plan.title}`, ''];
  for (const note of plan.notes) out.push(`Note: ${note}`);
  for (const step of dryRun(plan, options)) {
    out.push(`## ${step.title} {#${step.id}}`);
    for (const b of step.before) out.push(`   before: ${b}`);
    for (const a of step.actions) {
      out.push(`   line ${a.line} → ${a.target}${a.destructive ? '  [destructive: asks first]' : ''}`);
      out.push(indent(a.text));
    }
    for (const a of step.after) out.push(`   after: ${a}`);
    out.push('');
  }
  return out.join('\n');
}
