/** Front End pool failover and failback (domain reference §3.4, §4.13, §8.7). */
import { defineActionRule, defineRule, insertAt, replaceWith } from './define';
import { findPool, sameFqdn } from './estate-lookup';
import { argument, calls, literal, param } from './facts';

export const failoverSurvivingPool = defineActionRule(
  { id: 'failover-surviving-pool', severity: 'error', description: '`Invoke-CsPoolFailover -PoolFqdn` names the surviving backup pool; it must name the failed pool whose users move.', fix: 'Replaces it with the failed pool.' },
  ({ estate, facts, report }) => {
    const failed = facts.pool;
    if (!estate || failed?.kind !== 'front-end' || !failed.backupPool) return;
    for (const { command } of calls(facts, 'Invoke-CsPoolFailover')) {
      const arg = argument(command, 'PoolFqdn', 0);
      const value = literal(arg);
      if (!arg || !value || !sameFqdn(value, failed.backupPool)) continue;
      report(arg.range, `${value} is the backup pool that takes the users over: -PoolFqdn is the failed pool ${failed.fqdn}.`, [replaceWith(`Use ${failed.fqdn}`, arg.range, failed.fqdn)]);
    }
  },
);

export const failbackFqdnMismatch = defineRule(
  { id: 'failback-fqdn-mismatch', severity: 'error', description: '`Invoke-CsPoolFailback -PoolFqdn` differs from the pool that was failed over (same FQDN both times).', fix: 'Replaces it with the failed-over pool.' },
  ({ runbook, facts, report }) => {
    const failover = calls(facts, 'Invoke-CsPoolFailover').map((u) => literal(argument(u.command, 'PoolFqdn', 0))).find((v) => !!v);
    const expected = failover ?? (runbook.kind === 'pool-failback' ? facts.pool?.fqdn : undefined);
    if (!expected) return;
    for (const { command } of calls(facts, 'Invoke-CsPoolFailback')) {
      const arg = argument(command, 'PoolFqdn', 0);
      const value = literal(arg);
      if (!arg || !value || sameFqdn(value, expected)) continue;
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

export const POOL_FAILOVER_RULES = [failoverSurvivingPool, failbackFqdnMismatch, failoverWithoutDisasterMode, poolWithoutBackupPool, failbackWithoutConferenceRestore];
