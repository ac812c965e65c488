/** Small constructors shared by the procedures, so each step reads as data. */
import type { PowerShellCommand } from '../commands/powershell';
import type { SqlCommand } from '../commands/tsql';
import type { DatabaseName } from '../commands/values';
import type { Check, DatabaseStateDesc, LyncActionName, ProcedureAction, SqlTarget } from './types';

export const sql = (target: SqlTarget, command: SqlCommand): ProcedureAction => ({ kind: 'sql', target, command });
export const powershell = (command: PowerShellCommand): ProcedureAction => ({ kind: 'powershell', command });
export const lync = (name: LyncActionName, args: [string, string][], target?: SqlTarget): ProcedureAction => ({
  kind: 'lync',
  name,
  args,
  ...(target ? { target } : {}),
});
export const confirm = (text: string): ProcedureAction => ({ kind: 'lync', name: 'confirm', args: [], text });

export const databaseState = (target: SqlTarget, database: DatabaseName, expect: DatabaseStateDesc): Check => ({ kind: 'database-state', target, database, expect });
export const stepDone = (stepId: string): Check => ({ kind: 'step-done', stepId });
export const operatorConfirms = (text: string): Check => ({ kind: 'operator-confirms', text });
