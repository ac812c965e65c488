/**
 * The estate look-ups the rules need, over an estate that may be missing (a runbook without one).
 * They delegate to `estate/queries`, the one home of the letter-case rule.
 */
import type { Estate, PcDatabase, Pool, PoolKind, SqlInstance, StoreRole } from '../estate/model';
import * as queries from '../estate/queries';

const same = queries.sameFqdn;

export const findPool = (estate: Estate | undefined, fqdn: string | undefined): Pool | undefined =>
  estate && fqdn !== undefined ? queries.findPool(estate, fqdn) : undefined;

export const poolsOfKind = (estate: Estate | undefined, kind: PoolKind): readonly Pool[] => estate?.pools.filter((p) => p.kind === kind) ?? [];

export const findInstance = (estate: Estate | undefined, id: string | undefined): SqlInstance | undefined =>
  estate && id !== undefined ? queries.findSqlInstance(estate, id) : undefined;

/** The SQL instance playing `role` for `database` of a Persistent Chat pool. */
export const storeInstance = (estate: Estate | undefined, pool: Pool | undefined, database: PcDatabase, role: StoreRole): SqlInstance | undefined =>
  findInstance(estate, pool?.stores?.[database]?.[role]);

/** The role an instance plays for a pool's database, if any. */
export function roleOfInstance(pool: Pool | undefined, database: PcDatabase, instanceId: string): StoreRole | undefined {
  const store = pool?.stores?.[database];
  if (!store) return undefined;
  return (Object.keys(store) as StoreRole[]).find((role) => queries.sameId(store[role], instanceId));
}

/** Which server FQDN is whose: a pool member, a SQL server or a pool itself. */
export const isKnownFqdn = (estate: Estate | undefined, fqdn: string): boolean =>
  !!estate &&
  (estate.pools.some((p) => same(p.fqdn, fqdn) || p.servers.some((s) => same(s.fqdn, fqdn)) || hostOfUnc(p.logShipping?.share) === fqdn.toLowerCase()) ||
    estate.sqlInstances.some((s) => same(s.server, fqdn)));

/** `\\host\share` → host (lower case). */
const hostOfUnc = (unc: string | undefined): string | undefined => /^\\\\([^\\]+)/.exec(unc ?? '')?.[1]?.toLowerCase();

/** Data center of a pool member: its own, else the pool's. */
export const serverDatacenter = queries.datacenterOfServer;

export const isMember = queries.isServerOf;

export { same as sameFqdn };

/** Edit distance, to suggest the nearest name. */
export function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length]!;
}

export function nearest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(name, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}
