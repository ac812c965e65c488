/**
 * Facts computed once per check and shared by every rule: each PowerShell command, SQL statement
 * and `lync` command in document order, with its step and resolved SQL target, plus the
 * "milestones" of the procedures (log shipping removed, logs applied, database recovered, pool
 * state set…) that the order and sequence rules compare.
 */
import type { Estate, PcDatabase, Pool, SqlInstance, StoreRole } from '../estate/model';
import { findCmdlet, resolveParameter } from '../runbook/cmdlets';
import type { Action, FrontMatterEntry, LyncCommand, PsArgument, PsCommand, PsParameter, Runbook, SqlStatement, Step, TargetRef } from '../runbook/model';
import { allActions, lyncCommandTarget } from '../runbook/parse';
import { findInstance, findPool, roleOfInstance } from './estate-lookup';

export interface ResolvedTarget {
  readonly ref: TargetRef;
  readonly database: PcDatabase;
  /** The role, given (`on=backup`) or deduced from the instance id and the pool's stores. */
  readonly role?: StoreRole;
  readonly instance?: SqlInstance;
}

interface Located {
  /** Document order across all kinds. */
  readonly order: number;
  readonly step: Step | undefined;
  readonly action: Action;
}

export interface PsUse extends Located {
  readonly command: PsCommand;
}
export interface SqlUse extends Located {
  readonly statement: SqlStatement;
  readonly target: ResolvedTarget | undefined;
}
export interface LyncUse extends Located {
  readonly command: LyncCommand;
  readonly target: ResolvedTarget | undefined;
}

export type Use = PsUse | SqlUse | LyncUse;

export interface Facts {
  readonly ps: readonly PsUse[];
  readonly sql: readonly SqlUse[];
  readonly lync: readonly LyncUse[];
  readonly actions: readonly Action[];
  readonly pool?: Pool;
  readonly lostPool?: Pool;
  /** PowerShell uses by lower-case cmdlet name. */
  readonly byCmdlet: ReadonlyMap<string, readonly PsUse[]>;
  entry(key: string): FrontMatterEntry | undefined;
  resolve(ref: TargetRef | undefined): ResolvedTarget | undefined;
}

export function computeFacts(runbook: Runbook, estate: Estate | undefined): Facts {
  const entry = (key: string) => runbook.frontMatter?.entries.find((e) => e.key === key);
  const pool = findPool(estate, entry('pool')?.value);
  const lostPool = findPool(estate, entry('lostPool')?.value);
  const resolve = (ref: TargetRef | undefined): ResolvedTarget | undefined => {
    if (!ref) return undefined;
    if (ref.role) {
      const instance = findInstance(estate, pool?.stores?.[ref.database]?.[ref.role]);
      return { ref, database: ref.database, role: ref.role, ...(instance ? { instance } : {}) };
    }
    const instance = findInstance(estate, ref.instanceId);
    const role = instance && (roleOfInstance(pool, 'mgc', instance.id) ?? roleOfInstance(pool, 'mgccomp', instance.id));
    return { ref, database: ref.database, ...(role ? { role } : {}), ...(instance ? { instance } : {}) };
  };

  const ps: PsUse[] = [];
  const sql: SqlUse[] = [];
  const lync: LyncUse[] = [];
  const resolved = new Map<TargetRef, ResolvedTarget | undefined>();
  const resolveOnce = (ref: TargetRef | undefined) => {
    if (!ref) return undefined;
    if (!resolved.has(ref)) resolved.set(ref, resolve(ref));
    return resolved.get(ref);
  };
  let order = 0;
  // Plain object literals (no spreads): this loop runs for every command of a 10,000-line runbook.
  const collect = (action: Action, step: Step | undefined) => {
    if (action.kind === 'powershell') for (const command of action.commands) ps.push({ order: order++, step, action, command });
    else if (action.kind === 'sql') {
      const target = resolveOnce(action.target);
      for (const statement of action.statements) sql.push({ order: order++, step, action, statement, target });
    } else for (const command of action.commands) lync.push({ order: order++, step, action, command, target: resolveOnce(lyncCommandTarget(command, action)) });
  };
  for (const action of runbook.orphanActions) collect(action, undefined);
  for (const step of runbook.steps) for (const action of step.actions) collect(action, step);
  const actions = allActions(runbook);
  const byCmdlet = new Map<string, PsUse[]>();
  for (const u of ps) {
    const name = u.command.name.toLowerCase();
    const list = byCmdlet.get(name);
    if (list) list.push(u);
    else byCmdlet.set(name, [u]);
  }
  return { ps, sql, lync, actions, byCmdlet, ...(pool ? { pool } : {}), ...(lostPool ? { lostPool } : {}), entry, resolve };
}

// ---------------------------------------------------------------- helpers shared by rules

/** Commands calling a cmdlet (case-insensitive). */
export const calls = (facts: Facts, cmdlet: string): readonly PsUse[] => facts.byCmdlet.get(cmdlet.toLowerCase()) ?? [];

/** The parameter bound to `name`, honouring PowerShell's unique-prefix binding. */
export function param(command: PsCommand, name: string): PsParameter | undefined {
  const spec = findCmdlet(command.name);
  return command.parameters.find((p) => {
    if (p.name.toLowerCase() === name.toLowerCase()) return true;
    if (!spec) return false;
    const r = resolveParameter(spec, p.name);
    return r.kind === 'found' && r.spec.name.toLowerCase() === name.toLowerCase();
  });
}

/** `-Name value`, or the first positional argument when the parameter is positional. */
export function argument(command: PsCommand, name: string, position?: number): PsArgument | undefined {
  const p = param(command, name);
  if (p) return p.value;
  return position === undefined ? undefined : command.positional[position];
}

/** The scalar value of an argument; undefined for variables and expressions. */
export const literal = (a: PsArgument | undefined): string | undefined => (a && (a.kind === 'string' || a.kind === 'bare') ? a.value : undefined);

/** The value of a `lync` key. */
export const key = (command: LyncCommand, name: string) => command.attributes.find((a) => a.key === name);

export const isLync = (u: Use): u is LyncUse => u.action.kind === 'lync';

/** The database a SQL statement or lync command acts on. */
export const databaseOf = (u: SqlUse | LyncUse): string | undefined =>
  'statement' in u ? u.statement.database?.name : key(u.command, 'database')?.value.toLowerCase();

// ---------------------------------------------------------------- milestones

export const isLsRemoval = (s: SqlStatement) => s.verb === 'EXEC' && s.procedure?.name === 'sp_delete_log_shipping_secondary_database';
export const isRestoreLog = (s: SqlStatement) => s.verb === 'RESTORE' && s.object === 'LOG';
/** `RESTORE DATABASE x WITH RECOVERY` without FROM: the recovery-only restore of failover step 4b. */
export const isRecovery = (s: SqlStatement) => s.verb === 'RESTORE' && s.object === 'DATABASE' && !s.hasSource && s.options.includes('RECOVERY');
export const isFullRestore = (s: SqlStatement) => s.verb === 'RESTORE' && s.object === 'DATABASE' && s.hasSource;
export const isFullBackup = (s: SqlStatement) => s.verb === 'BACKUP' && s.object === 'DATABASE';
export const isMirrorRemoval = (s: SqlStatement) => s.verb === 'ALTER' && s.object === 'DATABASE' && s.options.includes('PARTNER') && s.options.includes('OFF');
export const isLsSnapshotQuery = (s: SqlStatement) => s.verb === 'SELECT' && /log_shipping_secondary/i.test(s.text);

const lyncNamed = (facts: Facts, name: string) => facts.lync.filter((u) => u.command.name === name);

export interface Milestone {
  readonly order: number;
  readonly use: Use;
}

const milestones = (uses: readonly Use[]): Milestone[] => uses.map((use) => ({ order: use.order, use })).sort((a, b) => a.order - b.order);

const milestoneCache = new WeakMap<Facts, Map<PcDatabase, Milestones>>();

/** The procedure milestones of a runbook, for one database (computed once per check). */
export function milestonesOf(facts: Facts, database: PcDatabase = 'mgc'): Milestones {
  let perDb = milestoneCache.get(facts);
  if (!perDb) milestoneCache.set(facts, (perDb = new Map()));
  let m = perDb.get(database);
  if (!m) perDb.set(database, (m = computeMilestones(facts, database)));
  return m;
}

function computeMilestones(facts: Facts, database: PcDatabase) {
  const sqlOn = (pred: (s: SqlStatement) => boolean) => facts.sql.filter((u) => pred(u.statement) && (u.statement.database?.name ?? database) === database);
  const lyncOn = (name: string) => lyncNamed(facts, name).filter((u) => (key(u.command, 'database')?.value ?? database) === database);
  const poolState = (value: string) =>
    calls(facts, 'Set-CsPersistentChatState').filter((u) => literal(argument(u.command, 'PoolState'))?.toLowerCase() === value.toLowerCase());
  const activeServers = calls(facts, 'Set-CsPersistentChatActiveServer');
  const clears = activeServers.filter((u) => argument(u.command, 'ActiveServers')?.text.toLowerCase() === '$null');
  return {
    snapshot: milestones([...lyncOn('snapshot-log-shipping'), ...facts.sql.filter((u) => isLsSnapshotQuery(u.statement))]),
    lsRemoval: milestones(sqlOn(isLsRemoval)),
    restoreLog: milestones([...sqlOn(isRestoreLog), ...lyncOn('apply-log-backups')]),
    recovery: milestones([...sqlOn(isRecovery), ...lyncOn('recover-database')]),
    fullBackup: milestones(sqlOn(isFullBackup)),
    fullRestore: milestones(sqlOn(isFullRestore)),
    mirrorRemoval: milestones([...sqlOn(isMirrorRemoval), ...calls(facts, 'Uninstall-CsMirrorDatabase')]),
    mirrorInstall: milestones(calls(facts, 'Install-CsMirrorDatabase')),
    failedOver: milestones(poolState('FailedOver')),
    normal: milestones(poolState('Normal')),
    activeSet: milestones(activeServers.filter((u) => !clears.includes(u))),
    activeCleared: milestones(clears),
    sync: milestones(calls(facts, 'Invoke-CsBackupServiceSync')),
    statusCheck: milestones([...calls(facts, 'Get-CsBackupServiceStatus'), ...lyncNamed(facts, 'wait-backup-sync')]),
    poolFailover: milestones(calls(facts, 'Invoke-CsPoolFailover')),
    poolFailback: milestones(calls(facts, 'Invoke-CsPoolFailback')),
  };
}

export type Milestones = ReturnType<typeof computeMilestones>;

/** The range to point at for a use. */
export const rangeOfUse = (u: Use) => ('statement' in u ? u.statement.range : u.command.range);
