/**
 * The Lync side of the lab: what the Central Management Store and the pools would report for an
 * estate — Persistent Chat pool state and active servers, Front End pool health, pool failover,
 * and the Backup Service between paired pools. SQL Server state (databases, mirroring) lives on
 * the SQL side of the lab; this module never duplicates it.
 *
 * Scenarios (docs/lab-cmdlets.md):
 * - `steady`: everything up, pools Normal, Backup Service steady.
 * - `pchat-dc-loss`: the Persistent Chat servers in the primary data center (where the `mgc`
 *   primary store is) are down; the pool is still `Normal` — the admin has to fail it over.
 * - `pool-loss`: a Front End pool (the one in the primary data center) is down and its file
 *   store lost its conference content; its paired pool holds the backed-up data. The Central
 *   Management Store answers (from the partner when the lost pool hosted it: already failed over).
 * - `cms-pool-loss`: as `pool-loss`, but the lost pool is the one hosting the Central Management
 *   Store, and the CMS is lost with it until Invoke-CsManagementServerFailover moves it to the
 *   partner's Back End (reference §3.5). Until then nothing that writes to the CMS works.
 *
 * Edge pools (the estate's `edgeNextHopFor`) keep their next hop until Set-CsEdgeServer
 * -Registrar re-points them; Invoke-CsPoolFailOver refuses a pool that is an Edge next hop
 * (reference §3.4 step 0).
 */
import type { Estate, Pool } from '../../core/estate/model';
import { BACKUP_MODULES_2013, BackupSyncs, CMS_MASTER, DATA_CONF, type BackupModule, type ModuleStatus } from './backup';
import { ShiftableClock } from './clock';

export const LYNC_SCENARIOS = ['steady', 'pchat-dc-loss', 'pool-loss', 'cms-pool-loss'] as const;
export type LyncScenario = (typeof LYNC_SCENARIOS)[number];

export type PoolStateName = 'Normal' | 'FailedOver';
/** Documented limit of active Persistent Chat servers per pool. */
export const MAX_ACTIVE_PC_SERVERS = 4;
/** Default time a Backup Service sync stays in NonSteadyState. */
export const DEFAULT_BACKUP_SYNC_MS = 3000;

/** A refusal from the Lync side, turned into a cmdlet error by the shell. */
export class LyncError extends Error {
  constructor(
    message: string,
    /** .NET exception type shown in CategoryInfo. */
    readonly exceptionType = 'InvalidOperationException',
    readonly category = 'InvalidOperation',
  ) {
    super(message);
  }
}

export interface PcPoolState {
  readonly fqdn: string;
  poolState: PoolStateName;
  activeServers: string[];
  readonly servers: readonly string[];
  /** Identity of the active-server collection (`global` on Lync 2013). */
  readonly collection: string;
}

export interface FePoolState {
  readonly fqdn: string;
  readonly backupPool?: string;
  reachable: boolean;
  /** The pool's users are served by its backup pool (Invoke-CsPoolFailOver). */
  failedOver: boolean;
  /** Conference content missing from the pool's file store, restorable from the partner. */
  conferenceContentLost: boolean;
}

export interface LyncStateOptions {
  readonly backupSyncMs?: number;
  readonly clock?: ShiftableClock;
}

export class LyncState {
  readonly clock: ShiftableClock;
  readonly backupSyncMs: number;
  private readonly pc = new Map<string, PcPoolState>();
  private readonly fe = new Map<string, FePoolState>();
  private readonly down = new Set<string>();
  private readonly syncs = new BackupSyncs();
  /** Edge pool → the pool it uses as next hop (lower case). */
  private readonly edgeNextHops = new Map<string, string>();
  /** The Front End pool hosting the Central Management Store (the estate's, else the first Front End pool). */
  #cmsPool: string | undefined;
  /** False while the CMS is lost with its pool (`cms-pool-loss`, before its failover). */
  #cmsAvailable = true;

  constructor(
    readonly estate: Estate,
    readonly scenario: LyncScenario,
    opts: LyncStateOptions = {},
  ) {
    this.clock = opts.clock ?? new ShiftableClock();
    this.backupSyncMs = opts.backupSyncMs ?? DEFAULT_BACKUP_SYNC_MS;
    for (const pool of estate.pools) {
      const fqdn = pool.fqdn.toLowerCase();
      if (pool.kind === 'persistent-chat') {
        const servers = pool.servers.map((s) => s.fqdn.toLowerCase());
        this.pc.set(fqdn, {
          fqdn,
          poolState: 'Normal',
          servers,
          activeServers: (pool.activeServers ?? servers.slice(0, MAX_ACTIVE_PC_SERVERS)).map((s) => s.toLowerCase()),
          collection: pool.activeServerCollection ?? 'global',
        });
      } else {
        this.fe.set(fqdn, { fqdn, backupPool: pool.backupPool?.toLowerCase(), reachable: true, failedOver: false, conferenceContentLost: false });
      }
    }
    for (const pool of estate.pools) for (const edge of pool.edgeNextHopFor ?? []) this.edgeNextHops.set(edge.toLowerCase(), pool.fqdn.toLowerCase());
    this.#cmsPool = (estate.centralManagementStore ?? [...this.fe.keys()][0])?.toLowerCase();
    this.applyScenario();
    const host = this.#cmsPool === undefined ? undefined : this.fe.get(this.#cmsPool);
    if (host && !host.reachable) {
      if (scenario === 'cms-pool-loss') this.#cmsAvailable = false;
      // pool-loss: the CMS of a lost pool already runs on its partner.
      else if (host.backupPool) this.#cmsPool = host.backupPool;
    }
  }

  private applyScenario(): void {
    const dc = primaryDatacenter(this.estate);
    if (this.scenario === 'cms-pool-loss') {
      const host = this.#cmsPool === undefined ? undefined : this.fe.get(this.#cmsPool);
      if (!host?.backupPool) throw new Error('scenario cms-pool-loss needs a paired Front End pool hosting the Central Management Store (centralManagementStore in the estate)');
      this.lose(host);
      return;
    }
    if (this.scenario === 'pchat-dc-loss') {
      for (const pool of this.estate.pools) {
        if (pool.kind !== 'persistent-chat') continue;
        for (const s of pool.servers) if (s.datacenter === dc) this.down.add(s.fqdn.toLowerCase());
      }
    }
    if (this.scenario === 'pool-loss') {
      const paired = this.estate.pools.filter((p) => p.kind === 'front-end' && p.backupPool);
      const lost = paired.find((p) => p.datacenter === dc) ?? paired[0];
      if (lost) this.lose(this.fe.get(lost.fqdn.toLowerCase()) as FePoolState);
    }
  }

  /** The pool is down and its file store lost its conference content. */
  private lose(state: FePoolState): void {
    state.reachable = false;
    state.conferenceContentLost = true;
    for (const s of this.estatePool(state.fqdn)?.servers ?? []) this.down.add(s.fqdn.toLowerCase());
  }

  // ── Central Management Store and Edge next hops ───────────────────────────────────────

  /** The pool the CMS runs on, while it answers. */
  get cmsPool(): string | undefined {
    return this.#cmsAvailable ? this.#cmsPool : undefined;
  }

  /** Every change of configuration goes through the CMS (lab text: the real error is not documented). */
  requireCms(): void {
    if (!this.#cmsAvailable) {
      throw new LyncError(`Unable to access the Central Management Store: its pool "${this.#cmsPool}" is not reachable. Fail the Central Management Store over (Invoke-CsManagementServerFailover) and run the command again.`);
    }
  }

  /**
   * Invoke-CsManagementServerFailover in disaster-recovery mode: the CMS moves to the pool whose
   * Back End (estate `backEnd`, or `backEndMirror`) is the instance given — "you can only invoke
   * the failover to the database defined in the Topology Builder" (cmdlet reference): the backup
   * pool of the CMS pool. `reachable` tells whether that SQL instance answers.
   */
  failOverCms(instanceId: string, reachable: boolean): string[] {
    const host = this.#cmsPool === undefined ? undefined : this.fe.get(this.#cmsPool);
    const target = host?.backupPool ? this.estatePool(host.backupPool) : undefined;
    if (!host || !target || (target.backEnd !== instanceId && target.backEndMirror !== instanceId)) {
      throw new LyncError(`The database on "${instanceId}" is not the Central Management Store backup defined in the topology. Specify the Back End of the backup pool of "${host?.fqdn ?? 'the CMS pool'}".`, 'ArgumentException', 'InvalidArgument');
    }
    if (!reachable) throw new LyncError(`Cannot connect to the SQL Server of "${target.fqdn}" ("${instanceId}"). Verify that the server is running and reachable.`, 'InvalidOperationException', 'ConnectionError');
    this.#cmsPool = target.fqdn.toLowerCase();
    this.#cmsAvailable = true;
    return [`Failing over the Central Management Store to "${target.fqdn}".`, `The Central Management Store is active on "${target.fqdn}".`];
  }

  /** Set-CsEdgeServer -Registrar: the Edge pool's next hop becomes `pool`. */
  setEdgeNextHop(edge: string, pool: string): void {
    this.requireCms();
    if (!this.edgeNextHops.has(edge.toLowerCase())) throw new LyncError(`Cannot find "EdgeServer" "EdgeServer:${edge}" because it does not exist.`, 'ItemNotFoundException', 'ObjectNotFound');
    this.requireFe(pool);
    this.edgeNextHops.set(edge.toLowerCase(), pool.toLowerCase());
  }

  // ── reading ─────────────────────────────────────────────────────────────────────────────

  estatePool(fqdn: string): Pool | undefined {
    return this.estate.pools.find((p) => p.fqdn.toLowerCase() === fqdn.toLowerCase());
  }

  pcPools(): PcPoolState[] {
    return [...this.pc.values()];
  }

  pcPool(fqdn: string): PcPoolState | undefined {
    return this.pc.get(fqdn.toLowerCase());
  }

  fePool(fqdn: string): FePoolState | undefined {
    this.settle();
    return this.fe.get(fqdn.toLowerCase());
  }

  serverUp(fqdn: string): boolean {
    return !this.down.has(fqdn.toLowerCase());
  }

  /** The pool currently serving the users homed on `fqdn`. */
  servingPool(fqdn: string): string | undefined {
    const p = this.fePool(fqdn);
    if (!p) return undefined;
    return p.failedOver ? p.backupPool : p.fqdn;
  }

  // ── Persistent Chat ─────────────────────────────────────────────────────────────────────

  setPoolState(pcFqdn: string, state: PoolStateName): void {
    this.requireCms();
    this.requirePc(pcFqdn).poolState = state;
  }

  /** The pool whose active-server collection has this identity. */
  collection(identity: string): PcPoolState | undefined {
    return this.pcPools().find((p) => p.collection.toLowerCase() === identity.toLowerCase());
  }

  setActiveServers(pool: PcPoolState, servers: readonly string[]): void {
    this.requireCms();
    const unique = [...new Set(servers.map((s) => s.toLowerCase()))];
    const stranger = unique.find((s) => !pool.servers.includes(s));
    if (stranger) {
      throw new LyncError(`The server "${stranger}" is not a Persistent Chat server in pool "${pool.fqdn}". Specify servers of the pool.`, 'ArgumentException', 'InvalidArgument');
    }
    if (unique.length > MAX_ACTIVE_PC_SERVERS) {
      throw new LyncError(`Cannot set ${unique.length} active servers. A Persistent Chat pool can have at most ${MAX_ACTIVE_PC_SERVERS} active servers.`, 'ArgumentException', 'InvalidArgument');
    }
    pool.activeServers = unique;
  }

  swapActiveServers(pool: PcPoolState): void {
    this.setActiveServers(
      pool,
      pool.servers.filter((s) => !pool.activeServers.includes(s)),
    );
  }

  private requirePc(fqdn: string): PcPoolState {
    const p = this.pcPool(fqdn);
    if (!p) throw new LyncError(`Cannot find Persistent Chat pool "${fqdn}" in the topology.`, 'ArgumentException', 'InvalidArgument');
    return p;
  }

  // ── Front End pools: failover, Backup Service ───────────────────────────────────────────

  private requireFe(fqdn: string): FePoolState {
    const p = this.fePool(fqdn);
    if (!p) throw new LyncError(`Cannot find Front End pool "${fqdn}" in the topology.`, 'ArgumentException', 'InvalidArgument');
    return p;
  }

  private requirePartner(p: FePoolState): FePoolState {
    if (!p.backupPool) throw new LyncError(`Pool "${p.fqdn}" does not have a backup pool. Pair it with a backup pool in Topology Builder and publish the topology.`);
    return this.requireFe(p.backupPool);
  }

  failOver(fqdn: string, disasterMode: boolean): string[] {
    const p = this.requireFe(fqdn);
    const partner = this.requirePartner(p);
    if (p.failedOver) throw new LyncError(`Pool "${p.fqdn}" is already failed over to pool "${partner.fqdn}".`);
    // "Failing over a pool": the cmdlet may fail "because the Central Management store is not yet fully failed over" (the lab's wording around it).
    if (!this.#cmsAvailable) throw new LyncError(`Cannot fail over pool "${p.fqdn}": the Central Management store is not yet fully failed over. Fail over the Central Management store (Invoke-CsManagementServerFailover), then run this cmdlet again.`);
    const edges = [...this.edgeNextHops].filter(([, hop]) => hop === p.fqdn).map(([edge]) => edge);
    if (edges.length > 0) {
      // Verbatim from "Failing over a pool" (the page elides what follows).
      throw new LyncError(`This Front-end pool "${p.fqdn}" is specified in topology as the next hop for the Edge server. Failing over this pool may cause External access/Federation/Split-domain/XMPP features to stop working.`);
    }
    if (!partner.reachable) throw new LyncError(`Backup pool "${partner.fqdn}" is not reachable. Cannot fail over pool "${p.fqdn}".`);
    if (!p.reachable && !disasterMode) {
      throw new LyncError(`Pool "${p.fqdn}" is not reachable. To fail over a pool that is unavailable, run the cmdlet with the DisasterMode parameter.`);
    }
    p.failedOver = true;
    return [`Failing over users of pool "${p.fqdn}" to backup pool "${partner.fqdn}".`, `Pool "${p.fqdn}" failed over to "${partner.fqdn}".`];
  }

  /**
   * Fails the users back. The pool must run again first: Microsoft's "Failing back a pool" runs
   * the cmdlet "after the pool that experienced the disaster is back online" (domain reference
   * §4.13). What the real cmdlet prints for a pool still down is not documented: this message is
   * the lab's. Its conference content stays lost until a DataConf sync from the partner restores it.
   */
  failBack(fqdn: string, disasterMode: boolean): string[] {
    const p = this.requireFe(fqdn);
    const partner = this.requirePartner(p);
    if (!p.failedOver) throw new LyncError(`Pool "${p.fqdn}" is not failed over. There is nothing to fail back.`);
    if (!partner.reachable && !disasterMode) {
      throw new LyncError(`Backup pool "${partner.fqdn}" is not reachable. To fail back when the backup pool is unavailable, run the cmdlet with the DisasterMode parameter.`);
    }
    if (!p.reachable) throw new LyncError(`Pool "${p.fqdn}" is not reachable. Bring its Front End servers back online before you fail the pool back.`);
    p.failedOver = false;
    return [`Failing back users of pool "${p.fqdn}" from backup pool "${partner.fqdn}".`, `Pool "${p.fqdn}" failed back.`];
  }

  /** A lost pool comes back (rebuilt): it answers again; what it lost stays lost. */
  bringBack(fqdn: string): void {
    const p = this.requireFe(fqdn);
    p.reachable = true;
    for (const s of this.estatePool(p.fqdn)?.servers ?? []) this.down.delete(s.fqdn.toLowerCase());
  }

  startBackupSync(fqdn: string, modules: readonly BackupModule[], failDataConf: boolean): void {
    const p = this.requireReachableBackupService(fqdn);
    // A sync towards a partner that is down runs its course and ends in ErrorState.
    const partnerDown = !this.requirePartner(p).reachable;
    const now = this.clock.now();
    for (const m of modules) this.syncs.start(p.fqdn, m, now, this.backupSyncMs, partnerDown || (failDataConf && m === DATA_CONF));
  }

  backupStatus(fqdn: string): ModuleStatus[] {
    const p = this.requireReachableBackupService(fqdn);
    const now = this.clock.now();
    const partner = p.backupPool ? this.fe.get(p.backupPool) : undefined;
    return BACKUP_MODULES_2013.map((module) => {
      let exportStatus: ModuleStatus['exportStatus'];
      if (!partner || (module === CMS_MASTER && p.fqdn !== this.cmsPool)) exportStatus = 'NotInitialized';
      else if (this.syncs.running(p.fqdn, module, now)) exportStatus = 'NonSteadyState';
      else if (this.syncs.lastFailed(p.fqdn, module) || !partner.reachable) exportStatus = 'ErrorState';
      else if (module === DATA_CONF && partner.conferenceContentLost) exportStatus = 'NonSteadyState';
      else if (p.failedOver) exportStatus = 'FinalState';
      else exportStatus = 'SteadyState';
      return { module, exportStatus, importStatus: 'NormalState' };
    });
  }

  private requireReachableBackupService(fqdn: string): FePoolState {
    const p = this.requireFe(fqdn);
    if (!p.reachable) {
      throw new LyncError(`Unable to contact the Backup Service on pool "${p.fqdn}". Verify that the pool is running and reachable.`, 'EndpointNotFoundException', 'ConnectionError');
    }
    return p;
  }

  /** Completes finished syncs: a DataConf sync restores the partner's lost conference content. */
  settle(): void {
    for (const done of this.syncs.settle(this.clock.now())) {
      if (done.module !== DATA_CONF) continue;
      const partnerFqdn = this.fe.get(done.pool)?.backupPool;
      const partner = partnerFqdn ? this.fe.get(partnerFqdn) : undefined;
      if (partner?.reachable) partner.conferenceContentLost = false;
    }
  }
}

/** Data center of the Persistent Chat `mgc` primary store, else the first data center. */
export function primaryDatacenter(estate: Estate): string | undefined {
  for (const pool of estate.pools) {
    const primary = pool.stores?.mgc?.primary;
    const dc = estate.sqlInstances.find((i) => i.id === primary)?.datacenter;
    if (dc) return dc;
  }
  return estate.datacenters[0]?.id;
}

export function createLyncState(estate: Estate, scenario: string, opts: LyncStateOptions = {}): LyncState {
  if (!(LYNC_SCENARIOS as readonly string[]).includes(scenario)) {
    throw new Error(`unknown lab scenario "${scenario}"; expected one of ${LYNC_SCENARIOS.join(', ')}`);
  }
  return new LyncState(estate, scenario as LyncScenario, opts);
}
