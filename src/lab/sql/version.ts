/**
 * The one SQL Server version the lab's instances are: SQL Server 2012 SP4 (11.0.7001.0), the
 * version its TDS LOGINACK and PRELOGIN announce (`versionBytes` below). `@@VERSION`,
 * `SERVERPROPERTY('ProductVersion'|'ProductLevel'|'Edition')`, the software version in backup
 * headers and the RESTORE HEADERONLY result set (its columns depend on the major version) all
 * come from here, so they cannot disagree.
 */
export const LAB_SQL_VERSION = {
  major: 11,
  minor: 0,
  build: 7001,
  productVersion: '11.0.7001.0',
  productLevel: 'SP4',
  edition: 'Standard Edition (64-bit)',
  /** sys.databases.compatibility_level of a database created on this version. */
  compatibilityLevel: 110,
  /** RESTORE HEADERONLY DatabaseVersion (the on-disk format of this version). */
  databaseVersion: 706,
  text:
    'Microsoft SQL Server 2012 (SP4) (KB4018073) - 11.0.7001.0 (X64) \n\tAug 15 2017 10:23:29 \n\tCopyright (c) Microsoft Corporation\n\tStandard Edition (64-bit) on Windows NT 6.3 <X64> (Build 9600: ) (Hypervisor)\n',
} as const;

/** major, minor, build (big-endian): how TDS PRELOGIN and LOGINACK carry the server version. */
export function versionBytes(): Buffer {
  return Buffer.from([LAB_SQL_VERSION.major, LAB_SQL_VERSION.minor, LAB_SQL_VERSION.build >> 8, LAB_SQL_VERSION.build & 0xff]);
}
