/**
 * Facts computed once per check and shared by every rule: each PowerShell command, SQL statement
 * and `lync` command in document order, with its step and resolved SQL target, plus the
 * "milestones" of the procedures (log shipping removed, logs applied, database recovered, pool
 * state set…) that the order and sequence rules compare.
 */
import type { Estate, PcDatabase, Pool, SqlInstance, StoreRole } from '../estate/model';
import { findCmdlet, resolveParameter } from '../runbook/cmdlets';
import type { Action, FrontMatterEntry, LyncCommand, PsArgument, PsCommand, PsParameter, Runbook, SqlStatement, Step, TargetRef } from '../runbook/model';
import { lyncCommandTarget } from '../runbook/parse';
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

/**
 * What the facts of a check share, whatever actions they cover: the runbook pools and target
 * resolution. Depends only on the estate and the front matter's `pool:`/`lostPool:`.
 */
export interface FactsContext {
  readonly pool?: Pool;
  readonly lostPool?: Pool;
  entry(key: string): FrontMatterEntry | undefined;
  resolve(ref: TargetRef | undefined): ResolvedTarget | undefined;
}

export function factsContext(runbook: Runbook, estate: Estate | undefined): FactsContext {
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
  return { ...(pool ? { pool } : {}), ...(lostPool ? { lostPool } : {}), entry, resolve };
}

export function computeFacts(runbook: Runbook, estate: Estate | undefined): Facts {
  const located: LocatedAction[] = [];
  for (const action of runbook.orphanActions) located.push({ action, step: undefined });
  for (const step of runbook.steps) for (const action of step.actions) located.push({ action, step });
  return factsOf(factsContext(runbook, estate), located);
}

/**
 * Context tokens: one object per estate and per value of what local rules may read besides the
 * action (runbook kind, `pool:`, `lostPool:`), so a cache entry is valid when its token is the same.
 */
const contexts = new WeakMap<object, Map<string, object>>();
const NO_ESTATE = {};
export function contextToken(runbook: Runbook, estate: Estate | undefined, context: FactsContext): object {
  let perEstate = contexts.get(estate ?? NO_ESTATE);
  if (!perEstate) contexts.set(estate ?? NO_ESTATE, (perEstate = new Map()));
  const key = JSON.stringify([runbook.kind ?? null, context.entry('pool')?.value ?? null, context.entry('lostPool')?.value ?? null]);
  let token = perEstate.get(key);
  if (!token) perEstate.set(key, (token = {}));
  return token;
}

/** An action and the step it belongs to (undefined for actions before the first step). */
export interface LocatedAction {
  readonly action: Action;
  readonly step: Step | undefined;
}

/** The uses of one action, kept while the action, its step, its first order and the context stay. */
interface ActionUses {
  readonly token: object | undefined;
  readonly step: Step | undefined;
  readonly first: number;
  readonly count: number;
  readonly ps: readonly PsUse[];
  /** Lower-case cmdlet names of `ps`. */
  readonly names: readonly string[];
  readonly sql: readonly SqlUse[];
  readonly lync: readonly LyncUse[];
}
const usesCache = new WeakMap<Action, ActionUses>();

function usesOf(action: Action, step: Step | undefined, first: number, context: FactsContext, token: object | undefined): ActionUses {
  const ps: PsUse[] = [];
  const names: string[] = [];
  const sql: SqlUse[] = [];
  const lync: LyncUse[] = [];
  let order = first;
  // Plain object literals (no spreads): this runs for every command of a 10,000-line runbook.
  if (action.kind === 'powershell') {
    for (const command of action.commands) {
      ps.push({ order: order++, step, action, command });
      names.push(command.name.toLowerCase());
    }
  } else if (action.kind === 'sql') {
    const target = context.resolve(action.target);
    for (const statement of action.statements) sql.push({ order: order++, step, action, statement, target });
  } else {
    // Lines without their own `on=` share the block's target (and its resolution).
    const blockTarget = action.target && context.resolve(action.target);
    for (const command of action.commands) {
      const ref = lyncCommandTarget(command, action);
      lync.push({ order: order++, step, action, command, target: ref === action.target ? blockTarget : context.resolve(ref) });
    }
  }
  return { token, step, first, count: order - first, ps, names, sql, lync };
}

/**
 * The facts of some actions of a runbook, in the given (document) order. With a context `token`
 * (see checkRunbook), the uses of an action are reused from the previous check when the action, its
 * step, the order of its first use and the token are the same.
 */
export function factsOf(context: FactsContext, located: readonly LocatedAction[], token?: object): Facts {
  const ps: PsUse[] = [];
  const sql: SqlUse[] = [];
  const lync: LyncUse[] = [];
  const actions: Action[] = [];
  const byCmdlet = new Map<string, PsUse[]>();
  let order = 0;
  for (const { action, step } of located) {
    actions.push(action);
    let uses = token ? usesCache.get(action) : undefined;
    if (!uses || uses.token !== token || uses.step !== step || uses.first !== order) {
      uses = usesOf(action, step, order, context, token);
      if (token) usesCache.set(action, uses);
    }
    order += uses.count;
    for (let i = 0; i < uses.ps.length; i++) {
      const u = uses.ps[i]!;
      ps.push(u);
      const name = uses.names[i]!;
      const list = byCmdlet.get(name);
      if (list) list.push(u);
      else byCmdlet.set(name, [u]);
    }
    for (const u of uses.sql) sql.push(u);
    for (const u of uses.lync) lync.push(u);
  }
  const { pool, lostPool, entry, resolve } = context;
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

export interface Milestones {
  readonly snapshot: Milestone[];
  readonly lsRemoval: Milestone[];
  readonly restoreLog: Milestone[];
  readonly recovery: Milestone[];
  readonly fullBackup: Milestone[];
  readonly fullRestore: Milestone[];
  readonly mirrorRemoval: Milestone[];
  readonly mirrorInstall: Milestone[];
  readonly failedOver: Milestone[];
  readonly normal: Milestone[];
  readonly activeSet: Milestone[];
  readonly activeCleared: Milestone[];
  readonly sync: Milestone[];
  readonly statusCheck: Milestone[];
  readonly poolFailover: Milestone[];
  readonly poolFailback: Milestone[];
}

/** The milestones that do not depend on the database (PowerShell calls, waits). */
type CommonMilestones = Pick<Milestones, 'mirrorInstall' | 'failedOver' | 'normal' | 'activeSet' | 'activeCleared' | 'sync' | 'poolFailover' | 'poolFailback'> & {
  readonly uninstallMirror: readonly Use[];
  readonly statusCheck: readonly Use[];
  readonly snapshotQueries: readonly Use[];
};
const commonCache = new WeakMap<Facts, CommonMilestones>();

function commonMilestones(facts: Facts): CommonMilestones {
  const hit = commonCache.get(facts);
  if (hit) return hit;
  const poolState = (value: string) =>
    calls(facts, 'Set-CsPersistentChatState').filter((u) => literal(argument(u.command, 'PoolState'))?.toLowerCase() === value.toLowerCase());
  const activeServers = calls(facts, 'Set-CsPersistentChatActiveServer');
  const clears = activeServers.filter((u) => argument(u.command, 'ActiveServers')?.text.toLowerCase() === '$null');
  const common: CommonMilestones = {
    mirrorInstall: milestones(calls(facts, 'Install-CsMirrorDatabase')),
    failedOver: milestones(poolState('FailedOver')),
    normal: milestones(poolState('Normal')),
    activeSet: milestones(activeServers.filter((u) => !clears.includes(u))),
    activeCleared: milestones(clears),
    sync: milestones(calls(facts, 'Invoke-CsBackupServiceSync')),
    poolFailover: milestones(calls(facts, 'Invoke-CsPoolFailover')),
    poolFailback: milestones(calls(facts, 'Invoke-CsPoolFailback')),
    uninstallMirror: calls(facts, 'Uninstall-CsMirrorDatabase'),
    statusCheck: [...calls(facts, 'Get-CsBackupServiceStatus'), ...facts.lync.filter((u) => u.command.name === 'wait-backup-sync')],
    snapshotQueries: facts.sql.filter((u) => isLsSnapshotQuery(u.statement)),
  };
  commonCache.set(facts, common);
  return common;
}

function computeMilestones(facts: Facts, database: PcDatabase): Milestones {
  const common = commonMilestones(facts);
  // One pass over the SQL statements and lync lines (each list is sorted by order at the end).
  const snapshot: Use[] = [...common.snapshotQueries];
  const lsRemoval: Use[] = [];
  const restoreLog: Use[] = [];
  const recovery: Use[] = [];
  const fullBackup: Use[] = [];
  const fullRestore: Use[] = [];
  const mirrorRemoval: Use[] = [...common.uninstallMirror];
  for (const u of facts.sql) {
    const s = u.statement;
    if ((s.database?.name ?? database) !== database) continue;
    if (isLsRemoval(s)) lsRemoval.push(u);
    if (isRestoreLog(s)) restoreLog.push(u);
    if (isRecovery(s)) recovery.push(u);
    if (isFullBackup(s)) fullBackup.push(u);
    if (isFullRestore(s)) fullRestore.push(u);
    if (isMirrorRemoval(s)) mirrorRemoval.push(u);
  }
  for (const u of facts.lync) {
    const name = u.command.name;
    const list = name === 'snapshot-log-shipping' ? snapshot : name === 'apply-log-backups' ? restoreLog : name === 'recover-database' ? recovery : undefined;
    if (list && (key(u.command, 'database')?.value ?? database) === database) list.push(u);
  }
  return {
    snapshot: milestones(snapshot),
    lsRemoval: milestones(lsRemoval),
    restoreLog: milestones(restoreLog),
    recovery: milestones(recovery),
    fullBackup: milestones(fullBackup),
    fullRestore: milestones(fullRestore),
    mirrorRemoval: milestones(mirrorRemoval),
    mirrorInstall: common.mirrorInstall,
    failedOver: common.failedOver,
    normal: common.normal,
    activeSet: common.activeSet,
    activeCleared: common.activeCleared,
    sync: common.sync,
    statusCheck: milestones(common.statusCheck),
    poolFailover: common.poolFailover,
    poolFailback: common.poolFailback,
  };
}



/** The range to point at for a use. */
export const rangeOfUse = (u: Use) => ('statement' in u ? u.statement.range : u.command.range);
