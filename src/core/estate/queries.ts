/**
 * The one home for estate look-ups. FQDNs and ids match without regard to letter case
 * (`fqdnKey`, `idKey`), whichever front end asks: rules, planner, procedures, live status, editor.
 */
import { fqdnKey, idKey, type Datacenter, type Estate, type PcDatabase, type Pool, type PoolKind, type SqlInstance, type StoreRole } from './model';

/** Maps from names to entities, built once per estate. Where a name repeats, the first entity wins. */
export interface EstateIndex {
  /** By `fqdnKey(pool.fqdn)`. */
  readonly poolsByFqdn: ReadonlyMap<string, Pool>;
  /** The pool of each server, by `fqdnKey(server.fqdn)`. */
  readonly poolsByServer: ReadonlyMap<string, Pool>;
  /** By `idKey(instance.id)`: look up with `sqlInstance(id)`. */
  readonly sqlInstancesByKey: ReadonlyMap<string, SqlInstance>;
  /** By `idKey(datacenter.id)`: look up with `datacenter(id)`. */
  readonly datacentersByKey: ReadonlyMap<string, Datacenter>;
  sqlInstance(id: string): SqlInstance | undefined;
  datacenter(id: string): Datacenter | undefined;
}

/** Pools listed under one Lync site, in file order. Pools without a site form a group of their own. */
export interface EstateSite {
  readonly name: string | undefined;
  readonly pools: readonly Pool[];
}

const indexes = new WeakMap<Estate, EstateIndex>();

/** The index of `estate`, built on first use and kept while the estate lives. */
export function estateIndex(estate: Estate): EstateIndex {
  let index = indexes.get(estate);
  if (!index) {
    index = buildIndex(estate);
    indexes.set(estate, index);
  }
  return index;
}

function buildIndex(estate: Estate): EstateIndex {
  const poolsByFqdn = new Map<string, Pool>();
  const poolsByServer = new Map<string, Pool>();
  for (const pool of estate.pools) {
    setFirst(poolsByFqdn, fqdnKey(pool.fqdn), pool);
    for (const server of pool.servers) setFirst(poolsByServer, fqdnKey(server.fqdn), pool);
  }
  const sqlInstancesByKey = new Map<string, SqlInstance>();
  for (const sql of estate.sqlInstances) setFirst(sqlInstancesByKey, idKey(sql.id), sql);
  const datacentersByKey = new Map<string, Datacenter>();
  for (const datacenter of estate.datacenters) setFirst(datacentersByKey, idKey(datacenter.id), datacenter);
  return {
    poolsByFqdn,
    poolsByServer,
    sqlInstancesByKey,
    datacentersByKey,
    sqlInstance: (id) => sqlInstancesByKey.get(idKey(id)),
    datacenter: (id) => datacentersByKey.get(idKey(id)),
  };
}

function setFirst<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (!map.has(key)) map.set(key, value);
}

export function findPool(estate: Estate, fqdn: string): Pool | undefined {
  return estateIndex(estate).poolsByFqdn.get(fqdnKey(fqdn));
}

/** The pool that lists `fqdn` among its servers. */
export function poolOfServer(estate: Estate, fqdn: string): Pool | undefined {
  return estateIndex(estate).poolsByServer.get(fqdnKey(fqdn));
}

export function findSqlInstance(estate: Estate, id: string): SqlInstance | undefined {
  return estateIndex(estate).sqlInstance(id);
}

export function findDatacenter(estate: Estate, id: string): Datacenter | undefined {
  return estateIndex(estate).datacenter(id);
}

/** Whether two ids name the same entity (letter case aside). */
export function sameId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && idKey(a) === idKey(b);
}

/** Whether two FQDNs name the same host (letter case aside). */
export function sameFqdn(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && fqdnKey(a) === fqdnKey(b);
}

/** Whether `fqdn` is one of `pool`'s servers. */
export function isServerOf(pool: Pool, fqdn: string): boolean {
  const key = fqdnKey(fqdn);
  return pool.servers.some((s) => fqdnKey(s.fqdn) === key);
}

/** The pool named by `pool.backupPool`, when the estate has it. */
export function pairedPool(estate: Estate, pool: Pool): Pool | undefined {
  return pool.backupPool === undefined ? undefined : findPool(estate, pool.backupPool);
}

/** The SQL instance that plays `role` for `database` of a Persistent Chat pool. */
export function storeInstance(estate: Estate, pool: Pool, database: PcDatabase, role: StoreRole): SqlInstance | undefined {
  const id = pool.stores?.[database]?.[role];
  return id === undefined ? undefined : findSqlInstance(estate, id);
}

/** The data center of a server of `pool`: its own, else the pool's; undefined if it is not in the pool. */
export function datacenterOfServer(pool: Pool, fqdn: string): string | undefined {
  const key = fqdnKey(fqdn);
  const server = pool.servers.find((s) => fqdnKey(s.fqdn) === key);
  return server && (server.datacenter ?? pool.datacenter);
}

export function poolsOfKind(estate: Estate, kind: PoolKind): Pool[] {
  return estate.pools.filter((pool) => pool.kind === kind);
}

/** Sites in the order they first appear, each with its pools in file order. */
export function sitesOf(estate: Estate): EstateSite[] {
  const sites = new Map<string | undefined, Pool[]>();
  for (const pool of estate.pools) {
    const pools = sites.get(pool.site);
    if (pools) pools.push(pool);
    else sites.set(pool.site, [pool]);
  }
  return [...sites].map(([name, pools]) => ({ name, pools }));
}
