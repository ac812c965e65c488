/**
 * Where an action runs: a `sql`/`lync` target (`on=backup`, `on=backup:mgccomp`, `on=<instance id>`)
 * resolved to one SQL instance of the estate. Role targets go through the runbook's `pool:` and
 * that pool's `stores`; every value read from the estate is validated here, so a bad estate entry
 * fails when the plan is made, not half-way through a run.
 */
import { InvalidValueError } from '../commands/errors';
import { parseFqdn, parseSqlInstanceName, type Fqdn, type SqlInstanceName } from '../commands/values';
import type { Estate, PcDatabase, Pool, SqlInstance, StoreRole } from '../estate/model';
import type { TargetRef } from '../runbook/model';
import { findSqlInstance } from '../estate/queries';

export interface SqlEndpoint {
  /** The estate's SQL instance id: what the SQL gateway is asked for. */
  readonly instanceId: string;
  readonly server: Fqdn;
  readonly instanceName?: SqlInstanceName;
  readonly port?: number;
  readonly datacenter?: string;
  /** Set when the runbook named a store role rather than an instance id. */
  readonly role?: StoreRole;
  /** The Persistent Chat database whose store the role belongs to. */
  readonly store: PcDatabase;
}

/** `dal-pcbak (dal-pcbak-001.litwareinc.com\pchat)`: how messages and dry runs name a target. */
export function describeEndpoint(target: SqlEndpoint): string {
  const host = `${target.server}${target.instanceName ? `\\${target.instanceName}` : ''}${target.port !== undefined ? `,${target.port}` : ''}`;
  return `${target.role ? `${target.role} ` : ''}${target.instanceId} (${host})`;
}

/** Thrown for a target the estate cannot resolve; the message names the fix. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
}

function endpoint(instance: SqlInstance, store: PcDatabase, role?: StoreRole): SqlEndpoint {
  const where = `SQL instance ${instance.id} in the estate`;
  const valid = <T>(parse: (s: string) => T, value: string): T => {
    try {
      return parse(value);
    } catch (e) {
      if (e instanceof InvalidValueError) throw new TargetError(`${where}: ${e.message}`);
      throw e;
    }
  };
  return {
    instanceId: instance.id,
    server: valid(parseFqdn, instance.server),
    ...(instance.instance !== undefined ? { instanceName: valid(parseSqlInstanceName, instance.instance) } : {}),
    ...(instance.port !== undefined ? { port: instance.port } : {}),
    ...(instance.datacenter !== undefined ? { datacenter: instance.datacenter } : {}),
    ...(role ? { role } : {}),
    store,
  };
}

/** Resolves `on=` against the estate; `pool` is the runbook's front-matter pool, when it has one. */
export function resolveTarget(ref: TargetRef, estate: Estate, pool: Pool | undefined): SqlEndpoint {
  if (ref.instanceId !== undefined) {
    const instance = findSqlInstance(estate, ref.instanceId);
    if (!instance) {
      const known = estate.sqlInstances.map((i) => i.id).join(', ') || 'none';
      throw new TargetError(`on=${ref.raw} is neither a store role (primary, mirror, backup, backupMirror) nor a SQL instance id of the estate (instances: ${known}).`);
    }
    return endpoint(instance, ref.database);
  }
  const role = ref.role!;
  if (!pool) throw new TargetError(`on=${ref.raw} names a store role, but the runbook's front matter names no pool (add pool: <Persistent Chat pool FQDN>).`);
  if (pool.kind !== 'persistent-chat') throw new TargetError(`on=${ref.raw} names a store role, but ${pool.fqdn} is a ${pool.kind} pool: store roles belong to Persistent Chat pools. Name the SQL instance id instead.`);
  const id = pool.stores?.[ref.database]?.[role];
  if (id === undefined) throw new TargetError(`on=${ref.raw}: pool ${pool.fqdn} declares no ${role} SQL instance for ${ref.database} (stores.${ref.database}.${role} in the estate).`);
  const instance = findSqlInstance(estate, id);
  if (!instance) throw new TargetError(`on=${ref.raw}: pool ${pool.fqdn} names SQL instance "${id}" for stores.${ref.database}.${role}, which is not in sqlInstances.`);
  return endpoint(instance, ref.database, role);
}
