/**
 * Scenarios: what state the estate is in when the rehearsal starts. Every scenario first runs
 * `WARM_UP_MINUTES` of healthy log shipping, so the share, the copy folder and msdb hold history.
 * - `steady`: nothing failed.
 * - `pchat-dc-loss`: the primary data center of the (first) Persistent Chat pool went dark: its
 *   primary and mirror store instances refuse connections; the backup's mgc is RESTORING behind the
 *   newest log backup; log backups sit on the share not yet copied and in the copy folder not yet
 *   restored. The copy and restore jobs on the backup keep running if the clock is advanced (they
 *   live in the surviving data center); the backup job stops with the primary.
 * - `pchat-dc-loss-after-mirror-failover`: as `pchat-dc-loss`, but `MIRROR_FAILOVER_MINUTES`
 *   before the disaster the primary's mgc failed over to its mirror (Invoke-CsDatabaseFailover),
 *   which ships the log backups to the same share from then on (domain reference §1.5(b), the
 *   documented "log shipping from the primary mirror" set-up): the share, the copy folder and
 *   the secondary's restore history hold log backups written by both servers, in one LSN chain.
 * - `pool-loss`: the (first) Front End pool with a backup pool failed: its back-end instance(s)
 *   refuse connections; the partner pool holds the data.
 * - `cms-pool-loss`: as `pool-loss`, for the Front End pool that hosts the Central Management
 *   Store (the estate's `centralManagementStore`); on the Lync side the CMS is lost with it.
 * The Lync side of a scenario (pool state, servers down, Backup Service) is src/lab/lync's.
 */
import type { LabModel } from './lab-model';

export const SCENARIOS = ['steady', 'pchat-dc-loss', 'pchat-dc-loss-after-mirror-failover', 'pool-loss', 'cms-pool-loss'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/**
 * The scenarios that are variants of another: the rehearsal kinds are their base's
 * (`pchat-dc-loss-after-mirror-failover` differs in SQL history only, `cms-pool-loss` on the Lync side).
 */
export type BaseScenarioName = Exclude<ScenarioName, 'pchat-dc-loss-after-mirror-failover' | 'cms-pool-loss'>;

export function baseScenario(name: ScenarioName): BaseScenarioName {
  if (name === 'pchat-dc-loss-after-mirror-failover') return 'pchat-dc-loss';
  return name === 'cms-pool-loss' ? 'pool-loss' : name;
}

/**
 * How long before the disaster the mirror failover of `pchat-dc-loss-after-mirror-failover`
 * happened: short enough that log backups of both writers are still to be restored (the copy and
 * restore lags are 12 minutes each), long enough for the mirror to write two.
 */
export const MIRROR_FAILOVER_MINUTES = 10;

/** Healthy log shipping run before the failure: 60 min = 12 log backups at the default timing. */
export const WARM_UP_MINUTES = 60;

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(name);
}

/** Instances a scenario takes down, by estate id. */
export function unreachableInstances(model: LabModel, scenario: ScenarioName): string[] {
  const { estate } = model;
  if (baseScenario(scenario) === 'pchat-dc-loss') {
    const pool = estate.pools.find((p) => p.kind === 'persistent-chat' && p.stores?.mgc?.primary);
    const primaryId = pool?.stores?.mgc?.primary;
    const dc = primaryId ? model.instance(primaryId)?.datacenter : undefined;
    if (!pool || !primaryId) return [];
    const storeIds = new Set(Object.values(pool.stores ?? {}).flatMap((s) => Object.values(s ?? {})));
    return [...storeIds].filter((id) => id === primaryId || (dc !== undefined && model.instance(id)?.datacenter === dc));
  }
  if (baseScenario(scenario) === 'pool-loss') {
    const cms = estate.centralManagementStore?.toLowerCase();
    const pool = estate.pools.find((p) => p.kind === 'front-end' && p.backupPool && (scenario === 'pool-loss' || p.fqdn.toLowerCase() === cms));
    return pool ? model.frontEndBackEnds(pool).map((i) => i.id) : [];
  }
  return [];
}

/** Warms the model up, then applies the scenario's failure. */
export function applyScenario(model: LabModel, scenario: ScenarioName): void {
  if (scenario === 'pchat-dc-loss-after-mirror-failover') {
    model.advance(WARM_UP_MINUTES - MIRROR_FAILOVER_MINUTES);
    failOverToMirror(model);
    model.advance(MIRROR_FAILOVER_MINUTES);
  } else {
    model.advance(WARM_UP_MINUTES);
  }
  for (const id of unreachableInstances(model, scenario)) model.setReachable(id, false);
}

/** The (first) Persistent Chat pool's mgc fails over to its mirror, which then ships the log backups. */
function failOverToMirror(model: LabModel): void {
  const pool = model.estate.pools.find((p) => p.kind === 'persistent-chat' && p.stores?.mgc?.primary && p.stores.mgc.mirror);
  const roles = pool?.stores?.mgc;
  const link = model.logShipping.find((l) => l.database === 'mgc' && l.primary.id === roles?.primary);
  const mirror = roles?.mirror ? model.instance(roles.mirror) : undefined;
  if (!roles?.primary || !link || !mirror) throw new Error('scenario pchat-dc-loss-after-mirror-failover needs a Persistent Chat pool whose mgc has a primary, a mirror and log shipping');
  link.shipFromMirror(mirror);
  model.failOverMirroring(roles.primary, 'mgc');
}
