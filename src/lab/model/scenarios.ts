/**
 * Scenarios: what state the estate is in when the rehearsal starts. Every scenario first runs
 * `WARM_UP_MINUTES` of healthy log shipping, so the share, the copy folder and msdb hold history.
 * - `steady`: nothing failed.
 * - `pchat-dc-loss`: the primary data center of the (first) Persistent Chat pool went dark: its
 *   primary and mirror store instances refuse connections; the backup's mgc is RESTORING behind the
 *   newest log backup; log backups sit on the share not yet copied and in the copy folder not yet
 *   restored. The copy and restore jobs on the backup keep running if the clock is advanced (they
 *   live in the surviving data center); the backup job stops with the primary.
 * - `pool-loss`: the (first) Front End pool with a backup pool failed: its back-end instance(s)
 *   refuse connections; the partner pool holds the data.
 * The Lync side of a scenario (pool state, servers down, Backup Service) is src/lab/lync's.
 */
import type { LabModel } from './lab-model';

export const SCENARIOS = ['steady', 'pchat-dc-loss', 'pool-loss'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** Healthy log shipping run before the failure: 60 min = 12 log backups at the default timing. */
export const WARM_UP_MINUTES = 60;

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(name);
}

/** Instances a scenario takes down, by estate id. */
export function unreachableInstances(model: LabModel, scenario: ScenarioName): string[] {
  const { estate } = model;
  if (scenario === 'pchat-dc-loss') {
    const pool = estate.pools.find((p) => p.kind === 'persistent-chat' && p.stores?.mgc?.primary);
    const primaryId = pool?.stores?.mgc?.primary;
    const dc = primaryId ? model.instance(primaryId)?.datacenter : undefined;
    if (!pool || !primaryId) return [];
    const storeIds = new Set(Object.values(pool.stores ?? {}).flatMap((s) => Object.values(s ?? {})));
    return [...storeIds].filter((id) => id === primaryId || (dc !== undefined && model.instance(id)?.datacenter === dc));
  }
  if (scenario === 'pool-loss') {
    const pool = estate.pools.find((p) => p.kind === 'front-end' && p.backupPool);
    return pool ? model.frontEndBackEnds(pool).map((i) => i.id) : [];
  }
  return [];
}

/** Warms the model up, then applies the scenario's failure. */
export function applyScenario(model: LabModel, scenario: ScenarioName): void {
  model.advance(WARM_UP_MINUTES);
  for (const id of unreachableInstances(model, scenario)) model.setReachable(id, false);
}
