/**
 * Type names of the Lync Management Shell's objects as the lab returns them, and the module
 * enums their enum properties use. Type names come from the cmdlet reference (domain reference
 * §4); where it does not name a type, the name is the lab's guess, listed as such in
 * docs/lab-cmdlets.md.
 */

/** Enum types of the LyncLab module (module.ts: the catalogue's ENUMS plus the output-only ones). */
export const POOL_STATE = 'PoolState';
/** Numbers are the lab's (declaration order): the real enum values are not documented. Convert to text in PowerShell. */
export const EXPORT_STATUS = 'ExportStatus';
export const IMPORT_STATUS = 'ImportStatus';
