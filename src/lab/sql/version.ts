/**
 * The SQL Server releases a lab instance can be: 2008 R2 SP3 (10.50), 2012 SP4 (11.0) and 2014
 * SP3 (12.0), chosen per instance by the estate's `sqlVersion` (2012 when it says nothing). The
 * TDS LOGINACK and PRELOGIN, `@@VERSION`, `SERVERPROPERTY('ProductVersion'|'ProductLevel'|
 * 'Edition')`, `sys.databases.compatibility_level`, the catalog columns that depend on the
 * release, the software version in backup headers and the RESTORE HEADERONLY result set all come
 * from the instance's profile here, so they cannot disagree.
 *
 * Build numbers and @@VERSION texts are those of the last service pack of each release
 * (KB 2979597 for 2008 R2 SP3 10.50.6000.34; KB 4018073 for 2012 SP4 11.0.7001.0; KB 4022619
 * for 2014 SP3 12.0.6024.0); the @@VERSION build dates and the Windows line are the lab's
 * (assumption). TDS versions: [MS-TDS] 2.2.7.14 LOGINACK — SQL Server 2008 (and 2008 R2) answer
 * TDS 7.3B (0x730B0003), 2012 and later TDS 7.4 (0x74000004).
 */
import type { SqlVersion } from '../../core/estate/model';

export interface SqlVersionProfile {
  readonly name: SqlVersion;
  readonly major: number;
  readonly minor: number;
  readonly build: number;
  readonly productVersion: string;
  readonly productLevel: string;
  readonly edition: string;
  /** sys.databases.compatibility_level of a database created on this version. */
  readonly compatibilityLevel: number;
  /** RESTORE HEADERONLY DatabaseVersion (the on-disk format of this version). */
  readonly databaseVersion: number;
  /** The TDS version LOGINACK announces. */
  readonly tdsVersion: number;
  /** `@@VERSION`. */
  readonly text: string;
}

const EDITION = 'Standard Edition (64-bit)';

export const SQL_VERSION_PROFILES: Readonly<Record<SqlVersion, SqlVersionProfile>> = {
  '2008R2': {
    name: '2008R2', major: 10, minor: 50, build: 6000, productVersion: '10.50.6000.34', productLevel: 'SP3', edition: EDITION,
    // DatabaseVersion 661: the on-disk version of a SQL Server 2008 R2 database (assumption: the lab does not model the 665 of 15,000-partition databases).
    compatibilityLevel: 100, databaseVersion: 661, tdsVersion: 0x730b0003,
    text:
      'Microsoft SQL Server 2008 R2 (SP3) - 10.50.6000.34 (X64) \n\tAug 19 2014 12:21:34 \n\tCopyright (c) Microsoft Corporation\n\tStandard Edition (64-bit) on Windows NT 6.1 <X64> (Build 7601: Service Pack 1) (Hypervisor)\n',
  },
  '2012': {
    name: '2012', major: 11, minor: 0, build: 7001, productVersion: '11.0.7001.0', productLevel: 'SP4', edition: EDITION,
    compatibilityLevel: 110, databaseVersion: 706, tdsVersion: 0x74000004,
    text:
      'Microsoft SQL Server 2012 (SP4) (KB4018073) - 11.0.7001.0 (X64) \n\tAug 15 2017 10:23:29 \n\tCopyright (c) Microsoft Corporation\n\tStandard Edition (64-bit) on Windows NT 6.3 <X64> (Build 9600: ) (Hypervisor)\n',
  },
  '2014': {
    name: '2014', major: 12, minor: 0, build: 6024, productVersion: '12.0.6024.0', productLevel: 'SP3', edition: EDITION,
    compatibilityLevel: 120, databaseVersion: 782, tdsVersion: 0x74000004,
    text:
      'Microsoft SQL Server 2014 (SP3) (KB4022619) - 12.0.6024.0 (X64) \n\tSep  7 2018 01:37:51 \n\tCopyright (c) Microsoft Corporation\n\tStandard Edition (64-bit) on Windows NT 6.3 <X64> (Build 9600: ) (Hypervisor)\n',
  },
};

/** What an instance runs when the estate does not say. */
export const DEFAULT_SQL_VERSION: SqlVersion = '2012';

export function sqlVersionProfile(version: SqlVersion | undefined): SqlVersionProfile {
  return SQL_VERSION_PROFILES[version ?? DEFAULT_SQL_VERSION];
}

/** major, minor, build (big-endian): how TDS PRELOGIN and LOGINACK carry the server version. */
export function versionBytes(v: SqlVersionProfile): Buffer {
  return Buffer.from([v.major, v.minor, v.build >> 8, v.build & 0xff]);
}
