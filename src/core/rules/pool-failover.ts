/** Front End pool failover and failback (domain reference §3.4, §4.13, §8.7). */
import { defineActionRule, defineRule, insertAt, replaceWith } from './define';
import { findPool, sameFqdn } from './estate-lookup';
import type { Runbook } from '../runbook/model';
import { argument, calls, literal, param, type Facts, type PsUse } from './facts';

const fqdnOf = (u: PsUse) => literal(argument(u.command, 'PoolFqdn', 0));

export const failoverSurvivingPool = defineRule(
  { id: 'failover-surviving-pool', severity: 'error', description: '`Invoke-CsPoolFailover -PoolFqdn` names the surviving backup pool; it must name the failed pool whose users move (unless the failed pool was failed back first: "fail back P1, then fail over P2").', fix: 'Replaces it with the failed pool.' },
  ({ estate, facts, report }) => {
    const failed = facts.pool;
    if (!estate || failed?.kind !== 'front-end' || !failed.backupPool) return;
    const failbacks = calls(facts, 'Invoke-CsPoolFailback').filter((u) => sameFqdn(fqdnOf(u), failed.fqdn));
    for (const use of calls(facts, 'Invoke-CsPoolFailover')) {
      const arg = argument(use.command, 'PoolFqdn', 0);
      const value = literal(arg);
      if (!arg || !value || !sameFqdn(value, failed.backupPool)) continue;
      // The managing page's IMPORTANT box: fail back P1's users, then fail over P2's users (PoolFqdn = P2).
      if (failbacks.some((b) => b.order < use.order)) continue;
      report(arg.range, `${value} is the backup pool that takes the users over: -PoolFqdn is the failed pool ${failed.fqdn}.`, [replaceWith(`Use ${failed.fqdn}`, arg.range, failed.fqdn)]);
    }
  },
);

export const failbackFqdnMismatch = defineRule(
  { id: 'failback-fqdn-mismatch', severity: 'error', description: '`Invoke-CsPoolFailback -PoolFqdn` differs from the pool failed over before it (same FQDN both times).', fix: 'Replaces it with the failed-over pool.' },
  ({ runbook, facts, report }) => {
    const failovers = calls(facts, 'Invoke-CsPoolFailover');
    for (const use of calls(facts, 'Invoke-CsPoolFailback')) {
      // Only a failover before the failback says which pool it undoes; one after it is another move.
      const failover = failovers.filter((u) => u.order < use.order && fqdnOf(u)).pop();
      const expected = failover ? fqdnOf(failover) : runbook.kind === 'pool-failback' ? facts.pool?.fqdn : undefined;
      const arg = argument(use.command, 'PoolFqdn', 0);
      const value = literal(arg);
      if (!expected || !arg || !value || sameFqdn(value, expected)) continue;
      report(arg.range, `Fail back the pool that was failed over: -PoolFqdn ${expected}, not ${value}.`, [replaceWith(`Use ${expected}`, arg.range, expected)]);
    }
  },
);

export const failoverWithoutDisasterMode = defineActionRule(
  { id: 'failover-without-disaster-mode', severity: 'warning', description: 'A pool-failover runbook (the pool is down) calls `Invoke-CsPoolFailover` without `-DisasterMode`.', fix: 'Adds `-DisasterMode`.' },
  ({ runbook, facts, report }) => {
    if (runbook.kind !== 'pool-failover') return;
    for (const { command } of calls(facts, 'Invoke-CsPoolFailover')) {
      if (param(command, 'DisasterMode')) continue;
      report(command.nameRange, 'An unreachable pool fails over only with -DisasterMode (without it the failover is a planned one and waits for the pool): add -DisasterMode.', [insertAt('Add -DisasterMode', command.range.end, ' -DisasterMode')]);
    }
  },
);

export const poolWithoutBackupPool = defineActionRule(
  { id: 'pool-without-backup-pool', severity: 'error', description: '`Invoke-CsPoolFailover`/`Failback` on a pool that has no backup pool in the estate.' },
  ({ estate, facts, report }) => {
    if (!estate) return;
    for (const { command } of [...calls(facts, 'Invoke-CsPoolFailover'), ...calls(facts, 'Invoke-CsPoolFailback')]) {
      const arg = argument(command, 'PoolFqdn', 0);
      const pool = findPool(estate, literal(arg));
      if (!arg || !pool || pool.backupPool) continue;
      report(arg.range, `${pool.fqdn} has no backup pool: pool failover needs a paired pool (Topology Builder → Resiliency → Associated Backup Pool).`);
    }
  },
);

export const failbackWithoutConferenceRestore = defineRule(
  { id: 'failback-without-conference-restore', severity: 'warning', description: 'A pool failback that never restores the conference content to the pool (`Invoke-CsBackupServiceSync … ConfServices.DataConf` afterwards).' },
  ({ runbook, facts, report }) => {
    if (runbook.kind !== 'pool-failback') return;
    const failback = calls(facts, 'Invoke-CsPoolFailback')[0];
    if (!failback) return;
    const restored = calls(facts, 'Invoke-CsBackupServiceSync').some((u) => u.order > failback.order && literal(argument(u.command, 'BackupModule'))?.toLowerCase() === 'confservices.dataconf');
    if (!restored) report(failback.command.nameRange, 'After failing back, copy the conference content back: Invoke-CsBackupServiceSync -PoolFqdn <partner> -BackupModule ConfServices.DataConf, then wait for SteadyState.');
  },
);

/** Whether something before `order` checks a fact, by command, by `confirm` text or by step title. */
const checkedBefore = (runbook: Runbook, facts: Facts, order: number, line: number, commands: readonly ((u: PsUse) => boolean)[], words: RegExp): boolean =>
  facts.ps.some((u) => u.order < order && commands.some((c) => c(u)))
  || facts.lync.some((u) => u.order < order && u.command.name === 'confirm' && words.test(u.command.text))
  || runbook.steps.some((s) => s.headingRange.start.line < line && words.test(s.title));

const isCall = (name: string) => (u: PsUse) => u.command.name.toLowerCase() === name.toLowerCase();

export const poolFailoverCmsUnchecked = defineRule(
  { id: 'pool-failover-cms-unchecked', severity: 'warning', description: 'A pool failover runs `Invoke-CsPoolFailover` without first checking the Central Management Store (`Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus`) or failing it over.' },
  ({ runbook, facts, report }) => {
    if (runbook.kind !== 'pool-failover') return;
    for (const u of calls(facts, 'Invoke-CsPoolFailover')) {
      if (checkedBefore(runbook, facts, u.order, u.command.range.start.line, [isCall('Get-CsManagementStoreReplicationStatus'), isCall('Invoke-CsManagementServerFailover')], /central management|\bcms\b/i)) continue;
      report(u.command.nameRange, 'The Central Management Store must be functional before the users fail over: check it first (Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus) and, if it was hosted on the failed pool, fail it over (Invoke-CsManagementServerFailover).');
    }
  },
);

export const poolFailoverEdgeUnchecked = defineRule(
  { id: 'pool-failover-edge-unchecked', severity: 'warning', description: 'A pool failover runs `Invoke-CsPoolFailover` without first checking whether an Edge pool uses the failed pool as its next hop.' },
  ({ runbook, facts, report }) => {
    if (runbook.kind !== 'pool-failover') return;
    const edgeServices = (u: PsUse) => isCall('Get-CsService')(u) && !!param(u.command, 'EdgeServer');
    for (const u of calls(facts, 'Invoke-CsPoolFailover')) {
      if (checkedBefore(runbook, facts, u.order, u.command.range.start.line, [edgeServices, isCall('Set-CsEdgeServer'), isCall('Get-CsTopology')], /\bedge\b|next hop/i)) continue;
      report(u.command.nameRange, 'If an Edge pool uses the failed pool as its next hop, re-point it before failing over (Set-CsEdgeServer -Identity EdgeServer:<Edge pool> -Registrar Registrar:<surviving pool>, or Topology Builder → Next Hop): check it first, e.g. Get-CsService -EdgeServer.');
    }
  },
);

export const POOL_FAILOVER_RULES = [poolFailoverCmsUnchecked, poolFailoverEdgeUnchecked, failoverSurvivingPool, failbackFqdnMismatch, failoverWithoutDisasterMode, poolWithoutBackupPool, failbackWithoutConferenceRestore];
