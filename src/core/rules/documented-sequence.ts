/**
 * Mistakes the procedures' documentation makes visible and no other rule caught (domain audit §3.2,
 * issue 13 item 5): data lost by recovering without logs or failing back without the backup and
 * restore, the failback's data path, logs applied out of order, statements a RESTORING database
 * refuses, typographic quotes in T-SQL. Each rule's page cites its source.
 */
import type { SqlStatement } from '../runbook/model';
import { defineActionRule, defineRule, replaceWith } from './define';
import { argument, calls, isFullBackup, isFullRestore, isRestoreLog, literal, milestonesOf, param, rangeOfUse, type Facts, type SqlUse } from './facts';

const FAILOVER = 'persistent-chat-failover';
const FAILBACK = 'persistent-chat-failback';

export const recoveryWithoutLogRestores = defineRule(
  { id: 'recovery-without-log-restores', severity: 'error', description: 'A Persistent Chat failover recovers `mgc` without applying any log backup first (`RESTORE LOG … WITH NORECOVERY` or `apply-log-backups`): everything written since the last restored log is lost.' },
  ({ runbook, facts, report }) => {
    if (runbook.kind !== FAILOVER) return;
    const m = milestonesOf(facts);
    const recovery = m.recovery[0];
    if (!recovery || m.restoreLog.some((l) => l.order < recovery.order)) return;
    report(rangeOfUse(recovery.use), 'mgc is recovered but no log backup was applied before: apply the log backups not yet restored first (failover step 3: `apply-log-backups database=mgc on=backup`, or RESTORE LOG … WITH NORECOVERY per file), then recover.');
  },
);

export const failbackWithoutRestore = defineRule(
  { id: 'failback-without-restore', severity: 'error', description: 'A Persistent Chat failback sets `-PoolState Normal` without backing up the backup `mgc` and restoring it over the primary first: the pool then serves the empty database Topology Builder rebuilt.' },
  ({ runbook, facts, report }) => {
    if (runbook.kind !== FAILBACK) return;
    const m = milestonesOf(facts);
    const normal = m.normal[0];
    if (!normal) return;
    const backup = m.fullBackup.find((b) => b.order < normal.order);
    const restore = m.fullRestore.find((r) => r.order < normal.order);
    if (backup && restore) return;
    const missing = [backup ? undefined : 'BACKUP DATABASE mgc on the backup instance (failback step 3)', restore ? undefined : 'RESTORE DATABASE mgc … WITH REPLACE, RECOVERY on the primary (step 4)'].filter((x) => !!x);
    report(rangeOfUse(normal.use), `The pool returns to its primary databases, but this runbook has no ${missing.join(' and no ')} before: every message posted during the failover would be missing. Add them before this step.`);
  },
);

export const failbackBackupWrongInstance = defineActionRule(
  { id: 'failback-backup-wrong-instance', severity: 'error', description: 'Failback: `BACKUP DATABASE mgc` runs on another instance than the backup (the database the pool used during the failover).', fix: 'Changes `on=` to `backup`.' },
  ({ runbook, facts, report }) => {
    if (runbook.kind !== FAILBACK) return;
    for (const u of facts.sql) {
      const role = u.target?.role;
      if (!isFullBackup(u.statement) || (u.statement.database?.name ?? 'mgc') !== 'mgc' || !role || role === 'backup') continue;
      report(u.statement.range, `The failback backs up the database the pool used during the failover, on the backup instance: this block runs on the ${role}; use on=backup.`, u.target ? [replaceWith('Run it on=backup', u.target.ref.range, 'backup')] : []);
    }
  },
);

/** Whether a later statement or lync action of the runbook restores or recovers the same database. */
const laterRestore = (facts: Facts, u: SqlUse, db: string) =>
  facts.sql.some((o) => o.order > u.order && o.statement.verb === 'RESTORE' && o.statement.database?.name === db)
  || facts.lync.some((o) => o.order > u.order && ['apply-log-backups', 'recover-database'].includes(o.command.name));

export const restoreLeftRestoring = defineRule(
  { id: 'restore-left-restoring', severity: 'error', description: 'A full restore `WITH NORECOVERY` that no later restore or recovery follows: the database stays RESTORING and the pool cannot use it.' },
  ({ facts, report }) => {
    for (const u of facts.sql) {
      const s = u.statement;
      const db = s.database?.name;
      if (!db || !isFullRestore(s) || !s.options.includes('NORECOVERY') || laterRestore(facts, u, db)) continue;
      report(s.range, `${db} is restored WITH NORECOVERY and nothing later recovers it: it stays RESTORING. Restore WITH RECOVERY ("Leave the database ready to use", failback step 4), or apply the logs and recover afterwards.`);
    }
  },
);

/** Log-shipping configuration procedures (SQL Server log shipping stored procedures). */
const LS_SETUP = /^sp_add_log_shipping_(primary_database|secondary_database|secondary_primary|primary_secondary)$/;
const mentionsLogShipping = (text: string) => /log[- ]shipping/i.test(text);

export const failbackLogShippingNotRebuilt = defineRule(
  { id: 'failback-log-shipping-not-rebuilt', severity: 'warning', description: 'A Persistent Chat failback restores the primary `mgc` but never re-establishes log shipping to the backup (failback step 5): the next failover would have nothing to restore.' },
  ({ runbook, facts, report }) => {
    if (runbook.kind !== FAILBACK) return;
    const restore = milestonesOf(facts).fullRestore[0];
    if (!restore) return;
    const after = (order: number) => order > restore.order;
    const bySql = facts.sql.some((u) => after(u.order) && u.statement.verb === 'EXEC' && LS_SETUP.test(u.statement.procedure?.name ?? ''));
    const byStep = runbook.steps.some((s) => mentionsLogShipping(s.title) && s.headingRange.start.line > rangeOfUse(restore.use).start.line);
    const byConfirm = facts.lync.some((u) => after(u.order) && u.command.name === 'confirm' && mentionsLogShipping(u.command.text));
    if (bySql || byStep || byConfirm) return;
    report(rangeOfUse(restore.use), 'Nothing after this restore re-establishes log shipping from the primary mgc to the backup (failback step 5, "Setting up SQL Server Log Shipping for the Persistent Chat Server primary database"), nor from the primary mirror: add a step for it.');
  },
);

/** `<db>_<yyyymmddhhmmss>.trn`, the log-shipping backup file name (UTC time stamp). */
const LS_FILE = /_(\d{14})\.trn$/i;
const logFileStamp = (s: SqlStatement): string | undefined => {
  const from = s.tokens.findIndex((t) => t.kind === 'word' && t.value.toUpperCase() === 'FROM');
  const file = s.tokens.slice(from + 1).find((t) => t.kind === 'string');
  return file ? LS_FILE.exec(file.value)?.[1] : undefined;
};

export const restoreLogOutOfOrder = defineRule(
  { id: 'restore-log-out-of-order', severity: 'error', description: 'Explicit `RESTORE LOG` statements apply log-shipping files out of order (an earlier time stamp after a later one): SQL Server refuses the file (Msg 4326/4305).' },
  ({ facts, report }) => {
    const last = new Map<string, string>();
    for (const u of facts.sql) {
      const s = u.statement;
      const db = s.database?.name;
      const stamp = isRestoreLog(s) && db ? logFileStamp(s) : undefined;
      if (!db || !stamp) continue;
      const before = last.get(db);
      if (before && stamp < before) report(s.range, `This log backup (${stamp}) is older than one restored before it (${before}): apply the log backups in LSN order (their file time stamps ascending), or let \`apply-log-backups\` order them by RESTORE HEADERONLY.`);
      else last.set(db, stamp);
    }
  },
);

/** Statements a database in RESTORING state accepts: further restores, and what does not open it. */
const touchesDatabase = (s: SqlStatement, db: string): boolean => {
  if (s.verb === 'USE') return s.database?.name === db;
  if (s.verb === 'RESTORE' || s.verb === 'KILL' || s.verb === 'EXEC') return false;
  if (s.verb === 'BACKUP') return s.database?.name === db;
  if (s.verb === 'ALTER' && s.object === 'DATABASE') return s.database?.name === db && !s.options.includes('PARTNER');
  // Reads and writes of its objects: in the database (USE) or three-part names.
  return s.contextDatabase === db || s.tokens.some((t, i) => (t.kind === 'word' || t.kind === 'quoted') && t.value.toLowerCase() === db && s.tokens[i + 1]?.text === '.');
};

export const statementOnRestoringDatabase = defineRule(
  { id: 'statement-on-restoring-database', severity: 'error', description: 'Failover: a statement opens or backs up `mgc` on the backup instance before it is recovered, while it is RESTORING (Msg 927 "cannot be opened. It is in the middle of a restore").' },
  ({ runbook, facts, report }) => {
    if (runbook.kind !== FAILOVER) return;
    const recovery = milestonesOf(facts).recovery[0];
    for (const u of facts.sql) {
      if (recovery && u.order > recovery.order) break;
      if (u.target?.role !== 'backup' || !touchesDatabase(u.statement, 'mgc')) continue;
      report(u.statement.range, 'mgc is still RESTORING on the backup instance here (it is recovered later): SQL Server cannot open or back it up until RESTORE DATABASE mgc WITH RECOVERY. Run this in master, or after the recovery.');
    }
  },
);

const TYPOGRAPHIC_QUOTES = /[\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2032\u2033]/;
const PLAIN: Readonly<Record<string, string>> = { '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"', '\u2033': '"' };

export const sqlTypographicQuote = defineActionRule(
  { id: 'sql-typographic-quote', severity: 'error', description: 'A typographic quote (‘ ’ “ ”) in T-SQL outside a string, copied from a web page or a word processor: SQL Server does not read it as a quote.', fix: 'Replaces it with a straight quote.' },
  ({ facts, report }) => {
    for (const u of facts.sql) {
      for (const t of u.statement.tokens) {
        if (t.kind === 'string' || !TYPOGRAPHIC_QUOTES.test(t.text)) continue;
        const at = t.text.search(TYPOGRAPHIC_QUOTES);
        const ch = t.text[at]!;
        const range = { start: { line: t.range.start.line, character: t.range.start.character + at }, end: { line: t.range.start.line, character: t.range.start.character + at + 1 } };
        const plain = PLAIN[ch] ?? "'";
        report(range, `\`${ch}\` is a typographic quote: T-SQL strings and names take straight quotes (${plain}). Retype it.`, [replaceWith(`Replace with ${plain}`, range, plain)]);
      }
    }
  },
);

export const mirrorConfiguredDatabases = defineActionRule(
  { id: 'mirror-configured-databases', severity: 'warning', description: 'A Persistent Chat failover mirrors with `Install-CsMirrorDatabase -ConfiguredDatabases`, which mirrors every database of the SQL store, not only the Persistent Chat ones.', fix: 'Uses `-DatabaseType PersistentChat` instead.' },
  ({ runbook, facts, report }) => {
    if (runbook.kind !== FAILOVER) return;
    for (const { command } of calls(facts, 'Install-CsMirrorDatabase')) {
      const p = param(command, 'ConfiguredDatabases');
      if (!p) continue;
      const fix = param(command, 'ForInstance') || param(command, 'ForDefaultInstance') ? [] : [replaceWith('Use -DatabaseType PersistentChat', p.range, '-DatabaseType PersistentChat')];
      report(p.range, '-ConfiguredDatabases "configures mirroring for all the databases that are present on the primary SQL store": mirror only what the failover needs with -DatabaseType PersistentChat (and PersistentChatCompliance if used).', fix);
    }
  },
);

export const failbackDisasterMode = defineActionRule(
  { id: 'failback-disaster-mode', severity: 'warning', description: '`Invoke-CsPoolFailback -DisasterMode`: the changes the failed-over users made on the backup pool are lost.', fix: 'Removes `-DisasterMode`.' },
  ({ facts, report }) => {
    for (const { command } of calls(facts, 'Invoke-CsPoolFailback')) {
      const p = param(command, 'DisasterMode');
      if (!p) continue;
      const pool = literal(argument(command, 'PoolFqdn', 0)) ?? 'the pool';
      report(p.range, `With -DisasterMode the failback does not wait for the backup pool: what ${pool}'s users changed while failed over is lost. Use it only when the backup pool is itself down.`, [
        replaceWith('Remove -DisasterMode', { start: { line: p.range.start.line, character: Math.max(0, p.range.start.character - 1) }, end: p.range.end }, ''),
      ]);
    }
  },
);

export const DOCUMENTED_SEQUENCE_RULES = [
  recoveryWithoutLogRestores, failbackWithoutRestore, failbackBackupWrongInstance, restoreLeftRestoring, failbackLogShippingNotRebuilt,
  restoreLogOutOfOrder, statementOnRestoringDatabase, sqlTypographicQuote, mirrorConfiguredDatabases, failbackDisasterMode,
];
