/**
 * The estate: data centers, SQL instances and pools of a Lync / Skype for Business deployment,
 * as described by `lync-estate.yaml` (docs/estate-format.md). Plain data; every entity keeps the
 * source path it came from so problems can point at a line and column through `EstateSource`.
 */
import type { Problem, Range, Severity } from '../text';

export const ESTATE_VERSION = 1;

export type PoolKind = 'front-end' | 'persistent-chat';
export const POOL_KINDS: readonly PoolKind[] = ['front-end', 'persistent-chat'];

/** Roles a SQL instance plays for a Persistent Chat database (domain reference §1.2). */
export type StoreRole = 'primary' | 'mirror' | 'backup' | 'backupMirror';
export const STORE_ROLES: readonly StoreRole[] = ['primary', 'mirror', 'backup', 'backupMirror'];

/** The Persistent Chat databases: content (`mgc`) and compliance (`mgccomp`). */
export type PcDatabase = 'mgc' | 'mgccomp';
export const PC_DATABASES: readonly PcDatabase[] = ['mgc', 'mgccomp'];

/**
 * The server product the estate runs: Lync Server 2013 or Skype for Business Server 2015. Some
 * cmdlet parameters and enumeration values exist in one only (cmdlet reference, "applicable:").
 */
export type LyncProduct = 'lync2013' | 'sfb2015';
export const LYNC_PRODUCTS: readonly LyncProduct[] = ['lync2013', 'sfb2015'];
export const PRODUCT_NAMES: Readonly<Record<LyncProduct, string>> = { lync2013: 'Lync Server 2013', sfb2015: 'Skype for Business Server 2015' };

/** Path of a node inside the estate document, e.g. `['pools', 2, 'stores', 'mgc', 'backup']`. */
export type SourcePath = readonly (string | number)[];

export interface Datacenter {
  readonly id: string;
  readonly name: string;
  readonly path: SourcePath;
}

export interface SqlInstance {
  /** How runbooks and pools refer to this instance. */
  readonly id: string;
  /** Host FQDN of the SQL Server. */
  readonly server: string;
  /** Named instance; absent for the default instance. */
  readonly instance?: string;
  readonly datacenter?: string;
  readonly port?: number;
  /**
   * The SQL Server release the instance runs, when the estate says: what it supports differs
   * (catalog columns, RESTORE HEADERONLY columns, TLS 1.2 only with an update).
   */
  readonly sqlVersion?: SqlVersion;
  readonly path: SourcePath;
}

/** SQL Server releases a Lync Server 2013 / Skype for Business Server 2015 back end runs on (2008 R2 and later). */
export const SQL_VERSIONS = ['2008R2', '2012', '2014'] as const;
export type SqlVersion = (typeof SQL_VERSIONS)[number];

/** The release as Microsoft names it: `2008R2` → 'SQL Server 2008 R2'. */
export const sqlVersionLabel = (version: SqlVersion): string => `SQL Server ${version.replace('R2', ' R2')}`;

export interface PoolServer {
  readonly fqdn: string;
  /** Physical data center. Required in a stretched pool: the topology cannot tell it. */
  readonly datacenter?: string;
  readonly path: SourcePath;
}

/** SQL instance ids by role, for one Persistent Chat database. */
export type StoreAssignment = Readonly<Partial<Record<StoreRole, string>>>;

export interface LogShipping {
  /** UNC share where the primary writes log backups. */
  readonly share: string;
  /** Folder on the backup server the copy job copies into. */
  readonly copyFolder: string;
}

export interface Pool {
  readonly fqdn: string;
  readonly kind: PoolKind;
  /** Logical Lync site (display name). */
  readonly site?: string;
  /** Data center of the whole pool (Front End pools); stretched pools set it per server. */
  readonly datacenter?: string;
  readonly servers: readonly PoolServer[];
  /** Front End pools: the paired pool (Backup Service, pool failover). */
  readonly backupPool?: string;
  /**
   * Front End pools: the SQL instance of the pool's Back End (where its copy of the Central
   * Management Store database lives), and its mirror: the target of Invoke-CsManagementServerFailover.
   */
  readonly backEnd?: string;
  readonly backEndMirror?: string;
  /** Front End pools: the Edge pools that use this pool as their next hop (reference §3.4 step 0). */
  readonly edgeNextHopFor?: readonly string[];
  /** Persistent Chat pools: which SQL instance plays which role for mgc / mgccomp. */
  readonly stores?: Readonly<Partial<Record<PcDatabase, StoreAssignment>>>;
  readonly logShipping?: LogShipping;
  /** Identity of the active-server collection (`global` on Lync 2013). */
  readonly activeServerCollection?: string;
  /** Persistent Chat servers declared active (at most 4). */
  readonly activeServers?: readonly string[];
  readonly path: SourcePath;
}

export interface Estate {
  readonly version: number;
  readonly name: string;
  /** Absent when the estate does not say; version-dependent checks then accept either product. */
  readonly product?: LyncProduct;
  readonly datacenters: readonly Datacenter[];
  readonly sqlInstances: readonly SqlInstance[];
  readonly pools: readonly Pool[];
  /**
   * The Front End pool that hosts the Central Management Store (`Invoke-CsManagementServerFailover
   * -WhatIf` names it, reference §3.5 C0). Recorded while healthy: after a disaster nothing answers.
   */
  readonly centralManagementStore?: string;
}

/** Where an estate came from, to turn a `SourcePath` into a range of the file. */
export interface EstateSource {
  /** The file, as given to the loader (path or URI string). */
  readonly file: string;
  /** Range of the node at `path`, or of its nearest existing ancestor. */
  locate(path: SourcePath): Range;
}

/** What loading an estate file gives: the estate when it is usable, and every problem found. */
export interface EstateLoadResult {
  /** Absent when the file cannot be read as an estate at all (syntax error, wrong version, not a mapping). */
  readonly estate?: Estate;
  readonly source: EstateSource;
  readonly problems: readonly Problem[];
}

/** A loader rule or estate check, as listed in docs/estate-checks.md. */
export interface EstateRuleInfo {
  /** Stable id, the `rule` of the problems it reports. */
  readonly id: string;
  readonly severity: Severity;
  readonly description: string;
}

/** FQDNs compare without regard to case (DNS); the model keeps them as written. */
export function fqdnKey(fqdn: string): string {
  return fqdn.toLowerCase();
}

/**
 * SQL instance and data-center ids compare without regard to case too, so that `on=DAL-PCBAK` means
 * the same instance to the linter, the planner, live status and the editor (one rule everywhere);
 * two ids that differ only in case are a duplicate (`estate/duplicate-id`).
 */
export function idKey(id: string): string {
  return id.toLowerCase();
}
