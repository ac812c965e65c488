/**
 * The SQL side of a Persistent Chat failover (domain reference §1.3, §1.4, §8.3): log shipping
 * removed on the backup from master, logs applied WITH NORECOVERY, recovery only after them, all on
 * the backup instance, mgccomp left alone.
 */
import type { StoreRole } from '../estate/model';
import { defineActionRule, defineRule, insertAt, replaceWith } from './define';
import { databaseOf, isLsRemoval, isRecovery, isRestoreLog, milestonesOf, rangeOfUse, type Facts, type LyncUse, type SqlUse } from './facts';
import type { Fix, SqlStatement } from '../runbook/model';

const FAILOVER = 'persistent-chat-failover';

/** A fix that points the `on=` of the action (or lync line) at another role. */
const retarget = (u: SqlUse | LyncUse, role: StoreRole): Fix[] => (u.target ? [replaceWith(`Run it on=${role}`, u.target.ref.range, u.target.database === 'mgccomp' ? `${role}:mgccomp` : role)] : []);

/** Recovery-side actions of the failover: removal, log restores, recovery (SQL or lync). */
function failoverWork(facts: Parameters<typeof milestonesOf>[0]): (SqlUse | LyncUse)[] {
  const sql = facts.sql.filter((u) => isLsRemoval(u.statement) || isRestoreLog(u.statement) || isRecovery(u.statement));
  const lync = facts.lync.filter((u) => ['apply-log-backups', 'recover-database', 'kill-sessions'].includes(u.command.name));
  return [...sql, ...lync];
}

const rangeOf = (u: SqlUse | LyncUse) => ('statement' in u ? u.statement.range : u.command.range);

export const lsRemovalWrongInstance = defineActionRule(
  { id: 'ls-removal-wrong-instance', severity: 'error', description: '`sp_delete_log_shipping_secondary_database` aimed at the primary or a mirror: it runs on the log-shipping secondary (backup).', fix: 'Changes `on=` to `backup`.' },
  ({ facts, report }) => {
    for (const u of facts.sql) {
      if (!isLsRemoval(u.statement) || !u.target?.role || u.target.role === 'backup') continue;
      report(u.statement.range, `sp_delete_log_shipping_secondary_database runs on the log-shipping secondary: this block runs on the ${u.target.role}; use on=backup.`, retarget(u, 'backup'));
    }
  },
);

export const lsRemovalOutsideMaster = defineActionRule(
  { id: 'ls-removal-outside-master', severity: 'error', description: '`sp_delete_log_shipping_secondary_database` run outside `master` (after `USE mgc`, or qualified with another database).', fix: 'Qualifies the procedure as `master.dbo.`.' },
  ({ facts, report }) => {
    for (const u of facts.sql) {
      const s = u.statement;
      if (!isLsRemoval(s) || !s.procedure) continue;
      const qualifier = s.procedure.qualifiers[0];
      const inMaster = qualifier ? qualifier === 'master' : (s.contextDatabase ?? 'master') === 'master';
      if (inMaster) continue;
      report(s.procedure.range, `sp_delete_log_shipping_secondary_database must run in master (it runs in ${qualifier ?? s.contextDatabase}): write master.dbo.sp_delete_log_shipping_secondary_database or USE master first.`, [
        replaceWith('Call master.dbo.sp_delete_log_shipping_secondary_database', s.procedure.range, 'master.dbo.sp_delete_log_shipping_secondary_database'),
      ]);
    }
  },
);

export const lsSnapshotMissing = defineRule(
  { id: 'ls-snapshot-missing', severity: 'warning', description: 'Log shipping is removed without first capturing its metadata (last copied/restored file, folders, jobs), which the procedure deletes.', fix: 'Inserts a `snapshot-log-shipping` action before the block.' },
  ({ facts, report }) => {
    const m = milestonesOf(facts);
    const removal = m.lsRemoval[0];
    if (!removal || (m.snapshot[0] && m.snapshot[0].order < removal.order)) return;
    const u = removal.use as SqlUse;
    const at = { line: u.action.fenceRange.start.line, character: 0 };
    report(u.statement.range, 'Capture the log-shipping state before deleting it (last copied/restored file, folders, jobs): add `snapshot-log-shipping database=mgc on=backup` before this step.', [
      insertAt('Insert snapshot-log-shipping before this block', at, '```lync\nsnapshot-log-shipping database=mgc on=backup\n```\n\n'),
    ]);
  },
);

/** Whether a RESTORE LOG is the last RESTORE of its database in the runbook (then WITH RECOVERY ends the chain legitimately). */
function lastRestoreOf(facts: Facts, u: SqlUse): boolean {
  const db = u.statement.database?.name;
  return !facts.sql.some((o) => o.order > u.order && o.statement.verb === 'RESTORE' && o.statement.database?.name === db)
    && !facts.lync.some((o) => o.order > u.order && ['apply-log-backups', 'recover-database'].includes(o.command.name) && databaseOf(o) === db);
}

const recoversExplicitly = (s: SqlStatement) => s.options.includes('RECOVERY') && !s.options.includes('NORECOVERY');

export const restoreLogWithoutNorecovery = defineRule(
  { id: 'restore-log-without-norecovery', severity: 'error', description: '`RESTORE LOG` without `WITH NORECOVERY` (or STANDBY) before another restore of the database: it recovers, and no further log can be applied.', fix: 'Adds `NORECOVERY`.' },
  ({ facts, report }) => {
    for (const u of facts.sql) {
      const s = u.statement;
      if (!isRestoreLog(s) || s.options.includes('NORECOVERY') || s.options.includes('STANDBY')) continue;
      const withRecovery = recoversExplicitly(s);
      // WITH RECOVERY on the last log is how SQL Server's own apply-log procedure recovers: restore-log-with-recovery.
      if (withRecovery && lastRestoreOf(facts, u)) continue;
      const fix: Fix[] = withRecovery ? [] : [insertAt('Add NORECOVERY', s.range.end, s.options.length ? ', NORECOVERY' : ' WITH NORECOVERY')];
      report(s.range, `RESTORE LOG ${s.database?.name ?? ''} ${withRecovery ? 'WITH RECOVERY ends the log chain' : 'defaults to WITH RECOVERY'}: apply every log WITH NORECOVERY and recover once at the end (RESTORE DATABASE … WITH RECOVERY).`, fix);
    }
  },
);

export const restoreLogWithRecovery = defineRule(
  { id: 'restore-log-with-recovery', severity: 'warning', description: 'The last `RESTORE LOG` recovers the database (`WITH RECOVERY`): correct, but a log found later can no longer be applied; the Lync failover recovers in a separate step.' },
  ({ facts, report }) => {
    for (const u of facts.sql) {
      const s = u.statement;
      if (!isRestoreLog(s) || !recoversExplicitly(s) || !lastRestoreOf(facts, u)) continue;
      report(s.range, `This last RESTORE LOG recovers ${s.database?.name ?? 'the database'}: if another log backup turns up (a file copied late), it can no longer be applied. The Lync failover applies every log WITH NORECOVERY and recovers in its own step (RESTORE DATABASE ${s.database?.name ?? '…'} WITH RECOVERY) once the last log is known to be applied.`);
    }
  },
);

export const recoveryBeforeLogs = defineRule(
  { id: 'recovery-before-logs', severity: 'error', description: 'The database is recovered (`RESTORE DATABASE … WITH RECOVERY`, `recover-database`) before a later log restore: those logs can then never be applied.' },
  ({ facts, report }) => {
    for (const db of ['mgc', 'mgccomp'] as const) {
      const m = milestonesOf(facts, db);
      const lastLog = m.restoreLog[m.restoreLog.length - 1];
      for (const r of m.recovery) {
        if (!lastLog || r.order > lastLog.order) continue;
        report(rangeOfUse(r.use), `${db} is recovered before the log restore at line ${rangeOfUse(lastLog.use).start.line + 1}: move the recovery after the last log.`);
      }
    }
  },
);

export const recoveryWithLogRestores = defineActionRule(
  {
    id: 'recovery-with-log-restores',
    severity: 'warning',
    description: 'Log restores and the recovery (`RESTORE DATABASE … WITH RECOVERY`) in one `sql` block: sent as one batch (SSMS, sqlcmd), the recovery can run after a failed log restore and end the log chain for good.',
  },
  ({ facts, report }) => {
    const logsSeen = new Map<object, Set<string>>();
    // Statements in the order they appear in their block.
    const uses = [...facts.sql].sort((a, b) => a.statement.range.start.line - b.statement.range.start.line || a.statement.range.start.character - b.statement.range.start.character);
    for (const u of uses) {
      const s = u.statement;
      const db = s.database?.name.toLowerCase();
      if (!db) continue;
      const logs = logsSeen.get(u.action) ?? new Set<string>();
      logsSeen.set(u.action, logs);
      if (isRestoreLog(s)) logs.add(db);
      else if (isRecovery(s) && logs.has(db)) {
        report(s.range, `${s.database!.name} is recovered in the same block as its log restores: run as one batch, SQL Server may carry on after a failed RESTORE LOG (the error ends only that statement) and recover anyway, and then the remaining logs can never be applied. Put the recovery in its own block, after the step that applies the logs.`);
      }
    }
  },
);

export const restoreWrongInstance = defineActionRule(
  { id: 'restore-wrong-instance', severity: 'error', description: 'Failover: logs applied or the database recovered on the primary or a mirror instead of the backup; failback: the full restore aimed at the backup instead of the primary.', fix: 'Changes `on=` to the right role.' },
  ({ runbook, facts, report }) => {
    if (runbook.kind === FAILOVER) {
      for (const u of failoverWork(facts)) {
        const role = u.target?.role;
        if (!role || role === 'backup' || ('statement' in u && isLsRemoval(u.statement))) continue;
        report(rangeOf(u), `During a failover the recovery runs on the backup instance (log-shipping secondary), not on the ${role}: use on=backup.`, retarget(u, 'backup'));
      }
    }
    if (runbook.kind === 'persistent-chat-failback') {
      for (const u of facts.sql) {
        const s = u.statement;
        const role = u.target?.role;
        if (s.verb !== 'RESTORE' || s.object !== 'DATABASE' || !s.hasSource || !role || role === 'primary') continue;
        report(s.range, `The failback restores the backup over the rebuilt primary: this block runs on the ${role}; use on=primary.`, retarget(u, 'primary'));
      }
    }
  },
);

export const mgccompFailedOver = defineActionRule(
  { id: 'mgccomp-failed-over', severity: 'warning', description: 'A Persistent Chat failover acts on `mgccomp` (log shipping removed, restored, recovered): the compliance database is not failed over.', fix: 'Targets `mgc` instead.' },
  ({ runbook, facts, report }) => {
    if (runbook.kind !== FAILOVER) return;
    for (const u of failoverWork(facts)) {
      if (databaseOf(u) !== 'mgccomp' && u.target?.database !== 'mgccomp') continue;
      const db = 'statement' in u ? u.statement.database : undefined;
      report(rangeOf(u), 'mgccomp is not failed over (its content is transient): fail over mgc only.', db ? [replaceWith('Use mgc', db.range, 'mgc')] : []);
    }
  },
);

export const killInsideDatabase = defineActionRule(
  { id: 'kill-inside-database', severity: 'error', description: '`KILL` or `RESTORE … WITH RECOVERY` run while the block\'s own session sits in the database (`USE mgc`): it blocks exclusive access.', fix: 'Inserts `USE master;` before the statement.' },
  ({ facts, report }) => {
    for (const u of facts.sql) {
      const s = u.statement;
      const ctx = s.contextDatabase;
      if (!ctx || ctx === 'master') continue;
      const hits = s.verb === 'KILL' ? ctx === 'mgc' || ctx === 'mgccomp' : s.verb === 'RESTORE' && s.database?.name === ctx;
      if (!hits) continue;
      report(s.range, `This runs inside ${ctx} (USE ${ctx} earlier in the block): the session itself holds ${ctx}; switch to master first.`, [insertAt('Insert USE master', s.range.start, 'USE master;\n')]);
    }
  },
);

export const SQL_RULES = [lsRemovalWrongInstance, lsRemovalOutsideMaster, lsSnapshotMissing, restoreLogWithoutNorecovery, restoreLogWithRecovery, recoveryBeforeLogs, recoveryWithLogRestores, restoreWrongInstance, mgccompFailedOver, killInsideDatabase];
