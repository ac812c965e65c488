/**
 * Turning estate entries into validated targets and values, with errors that say what is missing
 * and where to add it. Every value read from the estate goes through the command value parsers
 * here, so a bad estate entry fails when the plan is made, not half-way through a run.
 */
import { InvalidValueError } from '../commands/errors';
import { parseFqdn, parseSqlInstanceName, type Fqdn, type SqlInstanceName } from '../commands/values';
import type { Estate, PcDatabase, Pool, PoolKind, SourcePath, StoreRole } from '../estate/model';
import { ProcedureError, type SqlTarget } from './types';
import * as queries from '../estate/queries';

/** Runs a parser on an estate value; a refusal becomes a ProcedureError naming the place (and its node, when it has one). */
export function estateValue<T>(parse: (s: string) => T, value: string, where: string, source?: SourcePath): T {
  try {
    return parse(value);
  } catch (e) {
    if (e instanceof InvalidValueError) throw new ProcedureError('invalid-value', `${where}: ${e.message}`, source);
    throw e;
  }
}

export function findPool(estate: Estate, fqdn: string): Pool {
  const pool = queries.findPool(estate, fqdn);
  if (!pool) {
    const known = estate.pools.map((p) => p.fqdn).join(', ') || 'none';
    throw new ProcedureError('pool-not-found', `Pool ${fqdn} is not in the estate ${estate.name} (pools: ${known}).`);
  }
  return pool;
}

export function requireKind(pool: Pool, kind: PoolKind, procedure: string): void {
  if (pool.kind !== kind) {
    throw new ProcedureError('wrong-pool-kind', `${procedure} needs a ${kind} pool; ${pool.fqdn} is a ${pool.kind} pool.`, [...pool.path, 'kind']);
  }
}

export function poolFqdn(pool: Pool): Fqdn {
  return estateValue(parseFqdn, pool.fqdn, `pool ${pool.fqdn}`, [...pool.path, 'fqdn']);
}

/** The SQL instance playing `role` for `store` of a Persistent Chat pool, or undefined when not declared. */
export function optionalSqlTarget(estate: Estate, pool: Pool, store: PcDatabase, role: StoreRole): SqlTarget | undefined {
  const id = pool.stores?.[store]?.[role];
  if (id === undefined) return undefined;
  const instance = queries.findSqlInstance(estate, id);
  if (!instance) {
    throw new ProcedureError('unknown-sql-instance', `Pool ${pool.fqdn}: stores.${store}.${role} names SQL instance "${id}", which is not in sqlInstances.`, [...pool.path, 'stores', store, role]);
  }
  const where = `SQL instance ${id}`;
  return {
    kind: 'sql',
    role,
    store,
    instanceId: id,
    server: estateValue(parseFqdn, instance.server, where, [...instance.path, 'server']),
    ...(instance.instance !== undefined ? { instanceName: estateValue(parseSqlInstanceName, instance.instance, where, [...instance.path, 'instance']) } : {}),
    ...(instance.port !== undefined ? { port: instance.port } : {}),
    ...(instance.datacenter !== undefined ? { datacenter: instance.datacenter } : {}),
  };
}

/** A Front End pool's Back End SQL instance (`backEnd` or `backEndMirror`), or undefined when not declared. */
export function backEnd(estate: Estate, pool: Pool, key: 'backEnd' | 'backEndMirror'): { readonly server: Fqdn; readonly instanceName?: SqlInstanceName } | undefined {
  const id = pool[key];
  if (id === undefined) return undefined;
  const instance = queries.findSqlInstance(estate, id);
  if (!instance) throw new ProcedureError('unknown-sql-instance', `Pool ${pool.fqdn}: ${key} names SQL instance "${id}", which is not in sqlInstances.`, [...pool.path, key]);
  const where = `SQL instance ${id}`;
  return {
    server: estateValue(parseFqdn, instance.server, where, [...instance.path, 'server']),
    ...(instance.instance !== undefined ? { instanceName: estateValue(parseSqlInstanceName, instance.instance, where, [...instance.path, 'instance']) } : {}),
  };
}

export function sqlTarget(estate: Estate, pool: Pool, store: PcDatabase, role: StoreRole): SqlTarget {
  const target = optionalSqlTarget(estate, pool, store, role);
  if (!target) {
    throw new ProcedureError('no-store', `Pool ${pool.fqdn} declares no ${role} SQL instance for ${store} (stores.${store}.${role} in the estate).`, [...pool.path, 'stores']);
  }
  return target;
}

/** The paired Front End pool, checked both ways (pairing is 1:1 and symmetrical, §3.3). */
export function pairedPool(estate: Estate, pool: Pool): Pool {
  if (!pool.backupPool) {
    throw new ProcedureError('not-paired', `Pool ${pool.fqdn} has no backup pool (backupPool in the estate); the Backup Service and pool failover need a paired pool.`, [...pool.path, 'fqdn']);
  }
  const partner = queries.findPool(estate, pool.backupPool);
  if (!partner) throw new ProcedureError('not-paired', `Pool ${pool.fqdn} is paired with ${pool.backupPool}, which is not in the estate.`, [...pool.path, 'backupPool']);
  if (partner.kind !== 'front-end') throw new ProcedureError('not-paired', `Pool ${pool.fqdn} is paired with ${partner.fqdn}, a ${partner.kind} pool; pairs are Front End pools.`, [...pool.path, 'backupPool']);
  if (!queries.sameFqdn(partner.backupPool, pool.fqdn)) {
    throw new ProcedureError('not-paired', `Pool ${pool.fqdn} names ${partner.fqdn} as its backup pool, but ${partner.fqdn} is paired with ${partner.backupPool ?? 'no pool'}.`, [...partner.path, 'fqdn']);
  }
  return partner;
}

/** Data center of a server of a pool: its own, else the pool's. */
export function serverDatacenter(pool: Pool, server: string): string | undefined {
  return queries.datacenterOfServer(pool, server) ?? pool.datacenter;
}

/** How a runbook names a SQL target: `backup`, or `backup:mgccomp` for the compliance store. */
export function onClause(target: SqlTarget): string {
  return target.store === 'mgc' ? target.role : `${target.role}:${target.store}`;
}

/** `server\instance` (or just the server), for messages. */
export function instanceLabel(target: SqlTarget): string {
  return `${target.instanceId} (${target.server}${target.instanceName ? `\\${target.instanceName}` : ''})`;
}
