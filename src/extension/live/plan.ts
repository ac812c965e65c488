/**
 * What to read for the live status of an estate, and which rows each reading shows on. Pure.
 *
 * - each SQL instance named by a Persistent Chat store: reachability and version, then for each
 *   database (`mgc`, `mgccomp`) it holds in any role: `state_desc`, mirroring, and — where it is
 *   the backup (log-shipping secondary) — the log-shipping snapshot and the redo point;
 * - each Persistent Chat pool: its `PoolState`;
 * - each Front End pool: its Backup Service modules.
 */
import { fqdnKey, PC_DATABASES, STORE_ROLES, type Estate, type PcDatabase, type PoolKind, type StoreRole } from '../../core/estate/model';

export interface SqlProbe {
  readonly instanceId: string;
  readonly databases: readonly { readonly db: PcDatabase; readonly roles: readonly StoreRole[] }[];
}

export interface PoolProbe {
  readonly fqdn: string;
  readonly kind: PoolKind;
}

export interface LivePlan {
  readonly sql: readonly SqlProbe[];
  readonly pools: readonly PoolProbe[];
}

/** What one refresh covers: instance ids and pool FQDNs (absent = all). */
export interface RefreshScope {
  readonly sql?: readonly string[];
  readonly pools?: readonly string[];
}

/** Which live readings a tree row shows; set by the estate tree's model. */
export type LiveRef =
  /** `primaryIds`: the instances holding its databases in the primary role (what a failover replaces). */
  | { readonly kind: 'pool'; readonly fqdn: string; readonly poolKind: PoolKind; readonly sqlInstanceIds: readonly string[]; readonly primaryIds?: readonly string[] }
  | { readonly kind: 'store'; readonly instanceId: string; readonly db: PcDatabase; readonly role: StoreRole; readonly poolFqdn: string }
  /** A site row: what is down among its pools, rolled up. */
  | { readonly kind: 'site'; readonly pools: readonly Extract<LiveRef, { kind: 'pool' }>[] };

export const sqlKey = (instanceId: string): string => `sql:${instanceId}`;
export const poolKey = (fqdn: string): string => `pool:${fqdnKey(fqdn)}`;

export function livePlan(estate: Estate): LivePlan {
  const byInstance = new Map<string, Map<PcDatabase, Set<StoreRole>>>();
  const known = new Set(estate.sqlInstances.map((i) => i.id));
  for (const pool of estate.pools) {
    for (const db of PC_DATABASES) {
      const assignment = pool.stores?.[db];
      if (!assignment) continue;
      for (const role of STORE_ROLES) {
        const id = assignment[role];
        if (id === undefined || !known.has(id)) continue;
        const dbs = byInstance.get(id) ?? new Map<PcDatabase, Set<StoreRole>>();
        byInstance.set(id, dbs);
        const roles = dbs.get(db) ?? new Set<StoreRole>();
        dbs.set(db, roles);
        roles.add(role);
      }
    }
  }
  const seen = new Set<string>();
  const pools: PoolProbe[] = [];
  for (const pool of estate.pools) {
    const key = fqdnKey(pool.fqdn);
    if (seen.has(key)) continue;
    seen.add(key);
    pools.push({ fqdn: pool.fqdn, kind: pool.kind });
  }
  return {
    // Estate order, so reports read like the estate file.
    sql: estate.sqlInstances
      .filter((i) => byInstance.has(i.id))
      .map((i) => ({
        instanceId: i.id,
        databases: PC_DATABASES.filter((db) => byInstance.get(i.id)!.has(db)).map((db) => ({
          db,
          roles: STORE_ROLES.filter((r) => byInstance.get(i.id)!.get(db)!.has(r)),
        })),
      })),
    pools,
  };
}

/** The part of the plan a scope covers. */
export function planScope(plan: LivePlan, scope: RefreshScope | undefined): LivePlan {
  if (!scope) return plan;
  const sql = scope.sql ? new Set(scope.sql) : undefined;
  const pools = scope.pools ? new Set(scope.pools.map(fqdnKey)) : undefined;
  return {
    sql: sql ? plan.sql.filter((p) => sql.has(p.instanceId)) : [],
    pools: pools ? plan.pools.filter((p) => pools.has(fqdnKey(p.fqdn))) : [],
  };
}

/** What refreshing one row reads: a pool reads its own state and its stores' instances; a store row its instance. */
export function scopeOfRef(ref: LiveRef): RefreshScope {
  switch (ref.kind) {
    case 'pool':
      return { pools: [ref.fqdn], sql: ref.sqlInstanceIds };
    case 'store':
      return { sql: [ref.instanceId] };
    case 'site':
      return { pools: ref.pools.map((p) => p.fqdn), sql: [...new Set(ref.pools.flatMap((p) => p.sqlInstanceIds))] };
  }
}

/** The reading keys a row shows; a pool row and a site row also roll up their instances'. */
export function keysOfRef(ref: LiveRef): string[] {
  switch (ref.kind) {
    case 'pool':
      return [poolKey(ref.fqdn), ...ref.sqlInstanceIds.map(sqlKey)];
    case 'store':
      return [sqlKey(ref.instanceId)];
    case 'site':
      return [...new Set(ref.pools.flatMap((p) => keysOfRef(p)))];
  }
}
