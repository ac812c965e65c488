/**
 * What the PowerShell side of the lab needs from the rest of the lab. The SQL side
 * (src/lab/model) implements `LabSqlSide`; the lab's `FaultSet` (src/lab/faults.ts) satisfies
 * `FaultFlags`. Declared here so the shell can be built and tested with in-memory fakes.
 */

export interface MirroringStatus {
  role: 'PRINCIPAL' | 'MIRROR' | null;
  /** `sys.database_mirroring.mirroring_state_desc`, e.g. `SYNCHRONIZED`; null when not mirrored. */
  state: string | null;
  /** SQL instance id of the partner; null when not mirrored. */
  partner: string | null;
}

export interface LabSqlSide {
  mirroringStatus(instanceId: string, database: string): MirroringStatus;
  setMirroring(instanceId: string, database: string, mirrorInstanceId: string | null): void;
  /** `sys.databases.state_desc` (`ONLINE`, `RESTORING`, …); undefined when the database does not exist. */
  databaseState(instanceId: string, database: string): string | undefined;
  instanceReachable(instanceId: string): boolean;
}

/** The part of the lab's FaultSet the shell reads. */
export interface FaultFlags {
  has(name: string): boolean;
}

/** Faults the PowerShell side implements (docs/lab-cmdlets.md, "Faults"). */
export const SHELL_FAULTS = ['pwsh-crash', 'pwsh-hang', 'cmdlet-error', 'backup-sync-error'] as const;
export type ShellFault = (typeof SHELL_FAULTS)[number];
