/**
 * In-memory stand-ins for the rest of the lab, for the shell's tests: the Litware estate of
 * samples/litware/lync-estate.yaml, a SQL side with mirroring and database states, and a fault set.
 */
import type { LabSqlSide, MirroringStatus } from '../../../src/lab/shell/ports';

/** The sample estate, as the lab itself reads it (one home for the Litware data). */
export { litwareEstate } from '../engine/helpers';

/** SQL side of the pchat-dc-loss scenario after the backup `mgc` was recovered: Atlanta is down. */
export class FakeSql implements LabSqlSide {
  readonly down = new Set<string>();
  readonly databases = new Map<string, string>();
  readonly mirrors = new Map<string, string>();
  readonly calls: [string, string, string | null][] = [];

  db(instance: string, database: string, state: string): this {
    this.databases.set(`${instance}|${database}`, state);
    return this;
  }

  mirroringStatus(instanceId: string, database: string): MirroringStatus {
    for (const [k, mirror] of this.mirrors) {
      const [principal, db] = k.split('|');
      if (db !== database) continue;
      if (principal === instanceId) return { role: 'PRINCIPAL', state: 'SYNCHRONIZED', partner: mirror };
      if (mirror === instanceId) return { role: 'MIRROR', state: 'SYNCHRONIZED', partner: principal };
    }
    return { role: null, state: null, partner: null };
  }

  setMirroring(instanceId: string, database: string, mirrorInstanceId: string | null): void {
    this.calls.push([instanceId, database, mirrorInstanceId]);
    if (mirrorInstanceId) this.mirrors.set(`${instanceId}|${database}`, mirrorInstanceId);
    else this.mirrors.delete(`${instanceId}|${database}`);
  }

  databaseState(instanceId: string, database: string): string | undefined {
    return this.databases.get(`${instanceId}|${database}`);
  }

  instanceReachable(instanceId: string): boolean {
    return !this.down.has(instanceId);
  }
}

export class FakeFaults {
  readonly armed = new Set<string>();
  has(name: string): boolean {
    return this.armed.has(name);
  }
}
