/** Safe builders of PowerShell and T-SQL text: validated values in, quoted command text out. */
export * from './errors';
export * from './values';
export * from './enums';
export * as tsql from './tsql';
export * as ps from './powershell';
export { psString, type PowerShellCommand } from './powershell';
export { sqlString, sqlIdentifier, toScript, type SqlCommand, type SqlParam, type SqlParamType } from './tsql';
export * from './psjson';
