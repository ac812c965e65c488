/**
 * .NET types of the Lync Management Shell as the stand-in models them: enums (whose numbers
 * ConvertTo-Json prints; their values are the product's own lists, src/core/commands/enums.ts)
 * and the object shapes cmdlets return. Type names come from the cmdlet
 * reference (domain reference §4); where it does not name a type, the name is the lab's guess,
 * listed as such in docs/lab-cmdlets.md.
 */
import { BACKUP_CATEGORIES_LYNC_2013, DATABASE_TYPES_LYNC_2013, EXPORT_STATUSES, IMPORT_STATUSES, POOL_STATES } from '../../../core/commands/enums';
import { EnumType, PsObject, type PsValue } from '../values';

export const POOL_STATE = new EnumType('Microsoft.Rtc.Management.WritableConfig.Settings.PersistentChat.PoolState', POOL_STATES);

/** Lync Server 2013's DatabaseNameType values (Lync 2013 cmdlet archive). */
export const DATABASE_TYPE = new EnumType('Microsoft.Rtc.Management.Deployment.DatabaseNameType', DATABASE_TYPES_LYNC_2013);

export const BACKUP_CATEGORY = new EnumType('Microsoft.Rtc.Management.Hadr.BackupService.BackupCategory', BACKUP_CATEGORIES_LYNC_2013);

/** Numbers are the lab's (declaration order): the real enum values are not documented. Convert to text in PowerShell. */
export const EXPORT_STATUS = new EnumType('Microsoft.Rtc.Management.Hadr.BackupService.ExportStatus', EXPORT_STATUSES);
export const IMPORT_STATUS = new EnumType('Microsoft.Rtc.Management.Hadr.BackupService.ImportStatus', IMPORT_STATUSES);

export const XDS_IDENTITY = 'Microsoft.Rtc.Management.Xds.XdsIdentity';
export const XDS_GLOBAL_RELATIVE_IDENTITY = 'Microsoft.Rtc.Management.Xds.XdsGlobalRelativeIdentity';

/** A typed object whose ToString() is `toStringValue` (what deep ConvertTo-Json levels show). */
export function lyncObject(typeName: string, props: [string, PsValue][], toStringValue: string = typeName): PsObject {
  return new PsObject(typeName, props, toStringValue);
}

/** Namespaces of the cmdlet classes (appended to FullyQualifiedErrorIds). */
export const NS = {
  persistentChat: 'Microsoft.Rtc.Management.PersistentChat.Cmdlets',
  deployment: 'Microsoft.Rtc.Management.Deployment',
  hadr: 'Microsoft.Rtc.Management.Hadr',
  deploy: 'Microsoft.Rtc.Management.Deploy.Cmdlets',
} as const;
