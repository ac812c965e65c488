/**
 * The SQL side of the rehearsal lab: every SQL instance of the estate with its databases,
 * mirroring, log shipping and sessions, on a simulated clock. Built from any estate:
 * - Persistent Chat stores: `primary` holds mgc/mgccomp ONLINE, `mirror` the mirror copies
 *   (RESTORING, role MIRROR), `backup` receives mgc by log shipping (RESTORING) and holds a
 *   standalone mgccomp; `backupMirror` starts empty.
 * - Front End back ends: the estate does not link a Front End pool to its SQL instance, so the
 *   instances of the pool's data center that no Persistent Chat store uses are its back end
 *   (rtcxds, rtcshared, rtcab, xds, lis).
 */
import { EventEmitter } from 'node:events';
import type { Estate, PcDatabase, Pool } from '../../core/estate/model';
import type { FaultSet } from '../faults';
import { type LabDatabase, LabInstance, newGuid } from './instance';
import { DEFAULT_TIMING, LogShippingLink, type LogShippingTiming } from './log-shipping';
import { advanceLsn, makeLsn } from './lsn';
import { LOG_BLOCKS_PER_MINUTE, type LabRestoreEvent, type ModelContext } from './operations';

/** What the PowerShell stand-in (src/lab/shell) needs from the SQL side. */
export interface LabSqlSide {
  /** Mirroring of a database; `partner` is the estate id of the partner instance. */
  mirroringStatus(instanceId: string, database: string): { role: 'PRINCIPAL' | 'MIRROR' | null; state: string | null; partner: string | null };
  /** Mirrors `database` of `instanceId` (must be ONLINE, FULL) onto `mirrorInstanceId`; null removes mirroring. Throws with a message on a precondition failure. */
  setMirroring(instanceId: string, database: string, mirrorInstanceId: string | null): void;
  /** state_desc of the database, undefined when the instance has no such database. */
  databaseState(instanceId: string, database: string): string | undefined;
  instanceReachable(instanceId: string): boolean;
}

export interface LabModelOptions {
  readonly estate: Estate;
  /** Lab root directory: shares and drives live below it (see paths.ts). */
  readonly root: string;
  readonly faults: FaultSet;
  /** Simulated time at which the model is built. */
  readonly start: Date;
  readonly timing?: Partial<LogShippingTiming>;
}

const FRONT_END_DATABASES = ['rtcxds', 'rtcshared', 'rtcab', 'xds', 'lis'];
const PC_DATABASES: readonly PcDatabase[] = ['mgc', 'mgccomp'];

export class LabModel extends EventEmitter<{ reachability: [instanceId: string, reachable: boolean]; restore: [event: LabRestoreEvent] }> implements LabSqlSide, ModelContext {
  readonly estate: Estate;
  readonly root: string;
  readonly faults: FaultSet;
  readonly instances = new Map<string, LabInstance>();
  readonly logShipping: LogShippingLink[] = [];
  #now: Date;

  constructor(opts: LabModelOptions) {
    super();
    this.estate = opts.estate;
    this.root = opts.root;
    this.faults = opts.faults;
    this.#now = new Date(Math.floor(opts.start.getTime() / 60_000) * 60_000);
    for (const def of opts.estate.sqlInstances) this.instances.set(def.id, new LabInstance(def, this.#now));
    const timing = { ...DEFAULT_TIMING, ...opts.timing };
    let vlf = 34;
    for (const pool of opts.estate.pools) {
      if (pool.kind === 'persistent-chat') this.#buildPersistentChat(pool, timing, () => vlf++);
    }
    for (const pool of opts.estate.pools) {
      if (pool.kind === 'front-end') for (const be of this.frontEndBackEnds(pool)) this.#buildFrontEnd(be, () => vlf++);
    }
  }

  now(): Date {
    return new Date(this.#now);
  }

  instance(id: string): LabInstance | undefined {
    return this.instances.get(id);
  }

  /** Every restore recorded in a restore history is announced as a `restore` event (tests wait on it). */
  restored(event: LabRestoreEvent): void {
    this.emit('restore', event);
  }

  /** The instances standing for a Front End pool's back end (see the module comment). */
  frontEndBackEnds(pool: Pool): LabInstance[] {
    const storeIds = new Set(this.estate.pools.flatMap((p) => Object.values(p.stores ?? {}).flatMap((s) => Object.values(s ?? {}))));
    return [...this.instances.values()].filter((i) => i.datacenter !== undefined && i.datacenter === pool.datacenter && !storeIds.has(i.id));
  }

  /** Moves the simulated clock minute by minute, running log shipping and database activity. */
  advance(minutes: number): void {
    for (let i = 0; i < minutes; i++) {
      this.#now = new Date(this.#now.getTime() + 60_000);
      for (const inst of this.instances.values()) {
        if (!inst.reachable) continue;
        for (const db of inst.databases) if (!db.system && db.state === 'ONLINE') db.logEnd = advanceLsn(db.logEnd, LOG_BLOCKS_PER_MINUTE);
      }
      for (const link of this.logShipping) link.tick();
    }
  }

  setReachable(instanceId: string, reachable: boolean): void {
    const inst = this.#require(instanceId);
    if (inst.reachable === reachable) return;
    inst.reachable = reachable;
    this.emit('reachability', instanceId, reachable);
  }

  // ---- LabSqlSide ----

  mirroringStatus(instanceId: string, database: string): { role: 'PRINCIPAL' | 'MIRROR' | null; state: string | null; partner: string | null } {
    const m = this.#require(instanceId).database(database)?.mirroring;
    if (!m) return { role: null, state: null, partner: null };
    return { role: m.role, state: this.mirroringState(instanceId, database), partner: m.partnerId };
  }

  /** mirroring_state_desc as the instance itself would report it: DISCONNECTED when the partner is dark. */
  mirroringState(instanceId: string, database: string): string | null {
    const m = this.#require(instanceId).database(database)?.mirroring;
    if (!m) return null;
    return this.instances.get(m.partnerId)?.reachable ? m.state : 'DISCONNECTED';
  }

  setMirroring(instanceId: string, database: string, mirrorInstanceId: string | null): void {
    const principal = this.#require(instanceId);
    const db = principal.database(database);
    if (!db) throw new Error(`Database '${database}' does not exist on ${principal.serverName}.`);
    if (mirrorInstanceId === null) {
      if (!db.mirroring) return;
      const partner = this.instances.get(db.mirroring.partnerId)?.database(database);
      if (partner?.mirroring?.guid === db.mirroring.guid) partner.mirroring = null;
      db.mirroring = null;
      return;
    }
    const mirror = this.#require(mirrorInstanceId);
    if (mirror === principal) throw new Error('The principal and the mirror must be different SQL Server instances.');
    if (!principal.reachable || !mirror.reachable) throw new Error(`Cannot connect to ${principal.reachable ? mirror.serverName : principal.serverName}.`);
    if (db.state !== 'ONLINE') throw new Error(`Database '${database}' on ${principal.serverName} is ${db.state}; mirroring needs an ONLINE principal.`);
    if (db.recoveryModel !== 'FULL') throw new Error(`Database '${database}' on ${principal.serverName} must use the FULL recovery model for mirroring.`);
    if (db.mirroring && db.mirroring.partnerId !== mirrorInstanceId) throw new Error(`Database '${database}' on ${principal.serverName} is already mirrored.`);
    // Install-CsMirrorDatabase restores a backup of the principal on the mirror, left RESTORING.
    const copy = mirror.database(database) ?? mirror.createDatabase(database, { created: this.now() });
    const guid = newGuid();
    Object.assign(copy, { state: 'RESTORING', recoveryModel: 'FULL', forkGuid: db.forkGuid, bindingId: db.bindingId, redoLsn: db.logEnd, logEnd: db.logEnd, logBackupStart: db.logEnd, standby: false });
    copy.mirroring = { role: 'MIRROR', state: 'SYNCHRONIZED', partnerId: principal.id, guid };
    db.mirroring = { role: 'PRINCIPAL', state: 'SYNCHRONIZED', partnerId: mirror.id, guid };
  }

  /**
   * A mirroring failover (Invoke-CsDatabaseFailover, ALTER DATABASE … SET PARTNER FAILOVER): the
   * mirror copy becomes the principal, ONLINE, with the principal's log — the log chain and the
   * recovery fork go on there — and the old principal becomes the mirror, RESTORING.
   */
  failOverMirroring(instanceId: string, database: string): void {
    const principal = this.#require(instanceId);
    const db = principal.database(database);
    if (db?.mirroring?.role !== 'PRINCIPAL') throw new Error(`Database '${database}' on ${principal.serverName} is not a mirroring principal.`);
    const copy = this.#require(db.mirroring.partnerId).database(database);
    if (copy?.mirroring?.guid !== db.mirroring.guid) throw new Error(`The mirror of '${database}' on ${principal.serverName} is missing.`);
    Object.assign(copy, { state: 'ONLINE', forkGuid: db.forkGuid, logEnd: db.logEnd, logBackupStart: db.logBackupStart, lastFullBackupLsn: db.lastFullBackupLsn, redoLsn: null } satisfies Partial<LabDatabase>);
    Object.assign(db, { state: 'RESTORING', redoLsn: db.logEnd, standby: false } satisfies Partial<LabDatabase>);
    copy.mirroring.role = 'PRINCIPAL';
    db.mirroring.role = 'MIRROR';
  }

  databaseState(instanceId: string, database: string): string | undefined {
    return this.#require(instanceId).database(database)?.state;
  }

  instanceReachable(instanceId: string): boolean {
    return this.#require(instanceId).reachable;
  }

  // ---- building ----

  #require(id: string): LabInstance {
    const inst = this.instances.get(id);
    if (!inst) throw new Error(`unknown SQL instance '${id}'`);
    return inst;
  }

  #buildPersistentChat(pool: Pool, timing: LogShippingTiming, nextVlf: () => number): void {
    for (const name of PC_DATABASES) {
      const roles = pool.stores?.[name];
      const primary = roles?.primary ? this.instances.get(roles.primary) : undefined;
      if (!roles || !primary) continue;
      primary.createDatabase(name, { created: this.#now, logEnd: makeLsn(nextVlf(), 416, 1) });
      this.#addSession(primary, name, pool.servers[0]?.fqdn ?? primary.server, 'Persistent Chat Server', 'LITWARE\\RTCComponentUniversalServices');
      if (roles.mirror && this.instances.has(roles.mirror)) this.setMirroring(primary.id, name, roles.mirror);
      const backup = roles.backup ? this.instances.get(roles.backup) : undefined;
      if (!backup) continue;
      if (name === 'mgc' && pool.logShipping) {
        const link = new LogShippingLink(this, primary, backup, name, pool.logShipping.share, pool.logShipping.copyFolder, timing);
        link.setUp();
        this.logShipping.push(link);
      } else if (!backup.database(name)) {
        backup.createDatabase(name, { created: this.#now, logEnd: makeLsn(nextVlf(), 416, 1) });
      }
    }
    for (const inst of new Set(Object.values(pool.stores ?? {}).flatMap((s) => Object.values(s ?? {})))) {
      const i = this.instances.get(inst);
      if (i) this.#addSession(i, 'msdb', i.server, 'SQLAgent - Generic Refresher', 'NT SERVICE\\SQLSERVERAGENT');
    }
  }

  #buildFrontEnd(be: LabInstance, nextVlf: () => number): void {
    if (be.database(FRONT_END_DATABASES[0]!)) return;
    for (const name of FRONT_END_DATABASES) be.createDatabase(name, { created: this.#now, logEnd: makeLsn(nextVlf(), 416, 1) });
    this.#addSession(be, 'msdb', be.server, 'SQLAgent - Generic Refresher', 'NT SERVICE\\SQLSERVERAGENT');
  }

  /** A simulated client session (no socket): KILL removes it. */
  #addSession(inst: LabInstance, database: string, host: string, program: string, login: string): void {
    if (inst.sessions.some((s) => s.program === program && s.database === database)) return;
    const s = inst.openSession({ login, host: host.split('.')[0]!.toUpperCase(), program, database, loginTime: this.#now, kill: () => inst.closeSession(s.spid) });
  }
}
