/**
 * Recovery procedures as data (domain reference §1–§3): steps with their reason, target,
 * preconditions checked before, actions, verification after, and what to do on failure. The
 * checks are declarative: the engine evaluates them through its ports, the renderer prints them,
 * the rehearsal compares them with the lab.
 */
import type { BackupModule, PoolState } from '../commands/enums';
import type { PowerShellCommand } from '../commands/powershell';
import type { FileMove, SqlCommand } from '../commands/tsql';
import type { DatabaseName, FilePath, Fqdn, SqlInstanceName, UncPath, WindowsPath, XdsIdentity } from '../commands/values';
import type { PcDatabase, SourcePath, StoreRole } from '../estate/model';

export type ProcedureKind = 'persistent-chat-failover' | 'persistent-chat-failback' | 'conference-restore' | 'pool-failover' | 'pool-failback';
export const PROCEDURE_KINDS: readonly ProcedureKind[] = ['persistent-chat-failover', 'persistent-chat-failback', 'conference-restore', 'pool-failover', 'pool-failback'];

/** A store role of the pool, resolved to the estate's SQL instance. */
export interface SqlTarget {
  readonly kind: 'sql';
  readonly role: StoreRole;
  /** Whose store the role belongs to (`on=backup` = mgc, `on=backup:mgccomp`). */
  readonly store: PcDatabase;
  readonly instanceId: string;
  readonly server: Fqdn;
  readonly instanceName?: SqlInstanceName;
  readonly port?: number;
  readonly datacenter?: string;
}

export type StepTarget =
  | SqlTarget
  | { readonly kind: 'shell' }
  | { readonly kind: 'files'; readonly from: UncPath; readonly to: WindowsPath }
  | { readonly kind: 'operator' };

export type DatabaseStateDesc = 'ONLINE' | 'RESTORING' | 'RECOVERING' | 'RECOVERY_PENDING' | 'SUSPECT' | 'EMERGENCY' | 'OFFLINE';

/** Backup Service export states that mean "caught up" (§3.2). */
export const SYNCED_EXPORT_STATES = ['SteadyState', 'FinalState'] as const;

/**
 * A check, used both as a precondition and as a verification. `overridable` checks stop the run
 * with their `warning` unless the admin overrides them.
 */
export type Check =
  | { readonly kind: 'database-state'; readonly target: SqlTarget; readonly database: DatabaseName; readonly expect: DatabaseStateDesc }
  | { readonly kind: 'instance-reachable'; readonly target: SqlTarget }
  /** With `database`: also holds when the instance answers but that database is no longer ONLINE (a tail-log backup left it RESTORING). */
  | { readonly kind: 'instance-unreachable'; readonly target: SqlTarget; readonly database?: DatabaseName; readonly overridable: true; readonly warning: string }
  | { readonly kind: 'pool-paired'; readonly pool: Fqdn; readonly partner: Fqdn }
  | { readonly kind: 'pool-unreachable'; readonly pool: Fqdn; readonly overridable: true; readonly warning: string }
  /**
   * The Front End pool runs again: its own Backup Service answers Get-CsBackupServiceStatus
   * (Get-CsPool and Get-CsPoolBackupRelationship read the topology, which answers for a dead pool
   * too). `remedy` is what to do when it does not: the order of the procedures (§3.4: fail back first).
   */
  | { readonly kind: 'pool-answers'; readonly pool: Fqdn; readonly partner: Fqdn; readonly remedy: string }
  | { readonly kind: 'pool-state'; readonly pool: Fqdn; readonly identity: XdsIdentity; readonly expect: PoolState }
  /**
   * The Central Management Store answers: Get-CsManagementStoreReplicationStatus
   * -CentralManagementStoreStatus names an active master (reference §3.5 C1) — when `pool` is given,
   * the pool itself or one of its `servers`. `remedy` is what to do when it does not.
   */
  | { readonly kind: 'cms-active'; readonly pool?: Fqdn; readonly servers?: readonly Fqdn[]; readonly remedy: string }
  /** A Back End of `pool` is principal for the CMS database (Get-CsDatabaseMirrorState -DatabaseType CentralMgmt, §3.5 C3). */
  | { readonly kind: 'cms-database-principal'; readonly pool: Fqdn }
  | { readonly kind: 'log-shipping-removed'; readonly target: SqlTarget; readonly database: DatabaseName }
  | { readonly kind: 'log-shipping-configured'; readonly target: SqlTarget; readonly database: DatabaseName }
  /** msdb on `target` holds a log-shipping primary configuration for `database` (its backup job ships to the share). */
  | { readonly kind: 'log-shipping-primary'; readonly target: SqlTarget; readonly database: DatabaseName }
  /**
   * RESTORE FILELISTONLY of `path`, read on `target`: every file of the backup, moved by `moves`,
   * lands on the file `database` already has there. When not, the check names the MOVE clauses
   * that make it so (audit R7).
   */
  | { readonly kind: 'restore-files-fit'; readonly target: SqlTarget; readonly database: DatabaseName; readonly path: FilePath; readonly moves: readonly FileMove[] }
  /** `target`: the secondary whose redo LSN says which log backups are still needed. */
  | { readonly kind: 'log-backups-copied'; readonly target: SqlTarget; readonly database: DatabaseName; readonly from: UncPath; readonly to: WindowsPath }
  | { readonly kind: 'no-user-sessions'; readonly target: SqlTarget; readonly database: DatabaseName }
  | { readonly kind: 'mirroring-removed'; readonly target: SqlTarget; readonly database: DatabaseName }
  | { readonly kind: 'mirroring-established'; readonly target: SqlTarget; readonly database: DatabaseName; readonly partner: SqlTarget }
  | { readonly kind: 'backup-sync-state'; readonly pool: Fqdn; readonly module: BackupModule; readonly expect: typeof SYNCED_EXPORT_STATES }
  | { readonly kind: 'share-reachable'; readonly path: UncPath; readonly overridable: boolean; readonly warning: string }
  | { readonly kind: 'backup-file-exists'; readonly path: FilePath }
  | { readonly kind: 'step-done'; readonly stepId: string }
  /** What only a person can check (no cmdlet reports it). */
  | { readonly kind: 'operator-confirms'; readonly text: string };

/** The built-in actions of the runbook contract (`lync` fences). */
export type LyncActionName =
  | 'back-up-tail-log'
  | 'snapshot-log-shipping'
  | 'copy-log-backups'
  | 'apply-log-backups'
  | 'kill-sessions'
  | 'recover-database'
  | 'wait-backup-sync'
  | 'check-pool-state'
  | 'confirm';

export type ProcedureAction =
  | { readonly kind: 'sql'; readonly target: SqlTarget; readonly command: SqlCommand }
  | { readonly kind: 'powershell'; readonly command: PowerShellCommand }
  | {
      readonly kind: 'lync';
      readonly name: LyncActionName;
      /** key=value arguments in order; `on` is derived from `target`. */
      readonly args: readonly (readonly [string, string])[];
      readonly target?: SqlTarget;
      /** The positional text of `confirm`. */
      readonly text?: string;
    };

export interface ProcedureStep {
  /** Stable id: the runbook heading's explicit id. */
  readonly id: string;
  readonly title: string;
  /** Why the step exists, in a sentence or two. */
  readonly why: string;
  readonly target: StepTarget;
  readonly preconditions: readonly Check[];
  readonly actions: readonly ProcedureAction[];
  readonly verification: readonly Check[];
  /** Changes state that cannot simply be undone: the live run asks before it. */
  readonly destructive: boolean;
  readonly onFailure: string;
  /** Where the step comes from in the domain reference. */
  readonly reference: string;
  /**
   * Earlier steps a runbook may run after this one instead, because the documentation allows both
   * orders (failback: `-PoolState Normal` before or after re-activating the servers, §2.3). When a
   * runbook does, this step's preconditions that those steps verify are left to them.
   */
  readonly mayPrecede?: readonly string[];
}

export interface ProcedurePlan {
  readonly kind: ProcedureKind;
  readonly title: string;
  readonly summary: string;
  /** The pool the runbook acts on (front matter `pool`). */
  readonly pool: Fqdn;
  /** conference-restore: the pool that lost its data (front matter `lostPool`). */
  readonly lostPool?: Fqdn;
  /** Choices made for the admin that they should review (defaults taken, servers left out…). */
  readonly notes: readonly string[];
  readonly steps: readonly ProcedureStep[];
}

export interface ProcedureOptions {
  /** PC failover step 6: the UNC share Install-CsMirrorDatabase uses (default: the log-shipping share). */
  readonly mirrorFileShare?: string;
  /** PC failover step 7 / failback step 6: the servers to activate (default: the pool's servers in the data center of the new primary database). */
  readonly activeServers?: readonly string[];
  /** PC failback step 3: the full backup file name on the log-shipping share (default `mgc_failback.bak`). */
  readonly backupFileName?: string;
  /** Pool failover: the pool is down (`-DisasterMode`, default) or still running (planned failover). */
  readonly disasterMode?: boolean;
  /** wait-backup-sync timeout, as the runbook writes it (default `30m`). */
  readonly syncTimeout?: string;
}

export type ProcedureErrorCode =
  | 'pool-not-found'
  | 'wrong-pool-kind'
  | 'no-store'
  | 'unknown-sql-instance'
  | 'no-log-shipping'
  | 'not-paired'
  | 'no-active-servers'
  | 'invalid-value';

export class ProcedureError extends Error {
  override readonly name = 'ProcedureError';

  constructor(
    readonly code: ProcedureErrorCode,
    message: string,
    /** The estate node the error is about, so callers can name its line (`EstateSource.locate`). */
    readonly source?: SourcePath,
  ) {
    super(message);
  }
}
