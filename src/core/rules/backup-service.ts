/** Backup Service: conference-content restore (domain reference §3.1–§3.3, §8.6). */
import type { Pool } from '../estate/model';
import { ENUMS, findCmdlet, resolveParameter } from '../runbook/cmdlets';
import { defineActionRule, defineRule, insertAt, replaceWith } from './define';
import { findPool, sameFqdn } from './estate-lookup';
import { argument, calls, key, literal, type Facts } from './facts';
import type { RuleContext } from './types';

const DATA_CONF = 'ConfServices.DataConf';

/** The pool whose conference content was lost: `lostPool:`, or the failed pool of a pool-failback runbook. */
const lostPoolOf = ({ runbook, facts }: RuleContext): Pool | undefined =>
  runbook.kind === 'conference-restore' ? facts.lostPool : runbook.kind === 'pool-failback' ? facts.pool : undefined;

const syncs = (facts: Facts) => calls(facts, 'Invoke-CsBackupServiceSync');

export const conferenceRestoreModule = defineActionRule(
  { id: 'conference-restore-module', severity: 'warning', description: 'A conference restore runs `Invoke-CsBackupServiceSync` without `-BackupModule ConfServices.DataConf` (the parameter is optional: every module syncs, conference content included, but the restore takes longer).', fix: 'Sets `-BackupModule ConfServices.DataConf`.' },
  ({ runbook, facts, report }) => {
    if (runbook.kind !== 'conference-restore') return;
    for (const { command } of syncs(facts)) {
      const arg = argument(command, 'BackupModule');
      const value = literal(arg)?.toLowerCase();
      // An invalid name is backup-module-invalid's finding; this rule is about the wrong valid module.
      if (value === DATA_CONF.toLowerCase() || (value !== undefined && !ENUMS.BackupModule.some((m) => m.toLowerCase() === value))) continue;
      if (arg) report(arg.range, `Conference content is the ${DATA_CONF} module; ${literal(arg)} does not restore it: use -BackupModule ${DATA_CONF}.`, [replaceWith(`Use ${DATA_CONF}`, arg.range, DATA_CONF)]);
      else report(command.nameRange, `Without -BackupModule every module syncs, ${DATA_CONF} among them: that works, but a conference restore needs only ${DATA_CONF} and finishes sooner with -BackupModule ${DATA_CONF}.`, [insertAt(`Add -BackupModule ${DATA_CONF}`, command.range.end, ` -BackupModule ${DATA_CONF}`)]);
    }
  },
);

export const syncOnLostPool = defineActionRule(
  { id: 'sync-on-lost-pool', severity: 'error', description: '`Invoke-CsBackupServiceSync -PoolFqdn` is the pool that lost the data; run it on its partner, which holds the copy.', fix: 'Replaces the FQDN with the partner pool.' },
  (ctx) => {
    const lost = lostPoolOf(ctx);
    if (!lost) return;
    for (const { command } of syncs(ctx.facts)) {
      const arg = argument(command, 'PoolFqdn', 0);
      const value = literal(arg);
      if (!arg || !value || !sameFqdn(value, lost.fqdn)) continue;
      const partner = lost.backupPool;
      ctx.report(arg.range, `${value} lost the conference content: run the sync on its paired pool${partner ? ` ${partner}` : ''}, which still holds it.`, partner ? [replaceWith(`Use ${partner}`, arg.range, partner)] : []);
    }
  },
);

export const poolNotPaired = defineActionRule(
  { id: 'pool-not-paired', severity: 'error', description: '`Invoke-CsBackupServiceSync` on a pool with no backup pool, or paired with another pool than the one that lost the data.' },
  (ctx) => {
    const { estate, facts, report } = ctx;
    if (!estate) return;
    const lost = lostPoolOf(ctx);
    for (const { command } of syncs(facts)) {
      const arg = argument(command, 'PoolFqdn', 0);
      const pool = findPool(estate, literal(arg));
      if (!arg || !pool || (lost && sameFqdn(pool.fqdn, lost.fqdn))) continue;
      if (!pool.backupPool) report(arg.range, `${pool.fqdn} has no backup pool: pair it in Topology Builder (Resiliency → Associated Backup Pool) first.`);
      else if (lost && !sameFqdn(pool.backupPool, lost.fqdn)) report(arg.range, `${pool.fqdn} is paired with ${pool.backupPool}, not with ${lost.fqdn}: run the sync on ${lost.fqdn}'s partner.`);
    }
  },
);

export const statusBackupModuleUndocumented = defineActionRule(
  { id: 'status-backup-module-undocumented', severity: 'warning', description: '`Get-CsBackupServiceStatus -BackupModule`: the parameter is not in the cmdlet\'s documented syntax.', fix: 'Removes the parameter (filter `BackupModules` of the result instead).' },
  ({ facts, report }) => {
    const spec = findCmdlet('Get-CsBackupServiceStatus')!;
    for (const { command } of calls(facts, spec.name)) {
      for (const p of command.parameters) {
        const r = resolveParameter(spec, p.name);
        if (r.kind !== 'found' || !r.spec.undocumented) continue;
        const end = p.value?.range.end ?? p.range.end;
        report(p.range, `Get-CsBackupServiceStatus has no documented -${r.spec.name}: read $status.BackupModules | Where-Object { $_.Identity -eq "${DATA_CONF}" } instead, or use the wait-backup-sync action.`, [
          replaceWith(`Remove -${r.spec.name}`, { start: { line: p.range.start.line, character: Math.max(0, p.range.start.character - 1) }, end }, ''),
        ]);
      }
    }
  },
);

export const backupSyncCompletionUnchecked = defineRule(
  { id: 'backup-sync-completion-unchecked', severity: 'error', description: 'A conference restore starts the sync but never waits for `ConfServices.DataConf` to reach SteadyState/FinalState.', fix: 'Inserts a `wait-backup-sync` action after the block.' },
  ({ runbook, facts, report }) => {
    if (runbook.kind !== 'conference-restore' && runbook.kind !== 'pool-failback') return;
    const all = syncs(facts);
    const last = all[all.length - 1];
    if (!last) return;
    const checked = [...calls(facts, 'Get-CsBackupServiceStatus'), ...facts.lync.filter((u) => u.command.name === 'wait-backup-sync')].some((u) => u.order > last.order);
    if (checked) return;
    const pool = literal(argument(last.command, 'PoolFqdn', 0)) ?? '<pool>';
    const at = { line: last.action.fenceRange.end.line + 1, character: 0 };
    report(last.command.nameRange, `Nothing checks that the sync finished: add \`wait-backup-sync pool=${pool} module=${DATA_CONF} timeout=30m\` after it (SteadyState or FinalState).`, [
      insertAt('Insert wait-backup-sync after this block', at, `\n\`\`\`lync\nwait-backup-sync pool=${pool} module=${DATA_CONF} timeout=30m\n\`\`\`\n`),
    ]);
  },
);

export const waitBackupSyncWrongPool = defineRule(
  { id: 'wait-backup-sync-wrong-pool', severity: 'warning', description: '`wait-backup-sync` polls another pool than the one the sync ran on (status is one-directional).', fix: 'Uses the sync\'s pool.' },
  (ctx) => {
    const { facts, report } = ctx;
    const lost = lostPoolOf(ctx);
    for (const u of facts.lync.filter((x) => x.command.name === 'wait-backup-sync')) {
      const before = syncs(facts).filter((s) => s.order < u.order).pop();
      const syncPool = before && literal(argument(before.command, 'PoolFqdn', 0));
      const pool = key(u.command, 'pool');
      // A sync on the pool that lost the data is sync-on-lost-pool's finding; the wait is then right.
      if (!syncPool || !pool || sameFqdn(pool.value, syncPool) || sameFqdn(syncPool, lost?.fqdn)) continue;
      report(pool.valueRange, `The sync ran on ${syncPool}; Backup Service status is one-directional, so wait on pool=${syncPool}.`, [replaceWith(`Use ${syncPool}`, pool.valueRange, syncPool)]);
    }
  },
);

/** `hh:mm:ss` (optionally `d.hh:mm:ss`) → seconds. */
const seconds = (s: string): number | undefined => {
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(s.trim());
  return m ? Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]) : undefined;
};

export const syncIntervalOutOfRange = defineActionRule(
  { id: 'sync-interval-out-of-range', severity: 'error', description: '`Set-CsBackupServiceConfiguration -SyncInterval` outside 00:00:05–03:00:00 (or not hh:mm:ss).' },
  ({ facts, report }) => {
    for (const { command } of calls(facts, 'Set-CsBackupServiceConfiguration')) {
      const arg = argument(command, 'SyncInterval');
      const value = literal(arg);
      if (!arg || value === undefined) continue;
      const s = seconds(value);
      if (s !== undefined && s >= 5 && s <= 3 * 3600) continue;
      report(arg.range, `SyncInterval ${value} is ${s === undefined ? 'not hh:mm:ss' : 'out of range'}: use a value between 00:00:05 and 03:00:00 (default 00:02:00).`);
    }
  },
);

export const BACKUP_SERVICE_RULES = [conferenceRestoreModule, syncOnLostPool, poolNotPaired, statusBackupModuleUndocumented, backupSyncCompletionUnchecked, waitBackupSyncWrongPool, syncIntervalOutOfRange];
