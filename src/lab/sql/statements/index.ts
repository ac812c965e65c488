/**
 * The statements the lab understands, tried in this order at the start of each statement.
 * To add one: write a Recognizer, list it here, add its test in test/unit/lab/ and its entry in
 * docs/lab-statements.md.
 */
import { compileSelect } from '../select';
import { alterDatabasePartnerOff } from './alter-database';
import { backupDatabase, backupLog, restoreDatabase, restoreFileListOnly, restoreHeaderOnly, restoreLog } from './backup-restore';
import { execStatement } from './exec';
import { killStatement } from './kill';
import type { Recognizer } from './recognizer';
import { setStatement, transactionStatement, useStatement } from './session';
import { createTempTable, dropTable, insertExec } from './temp-table';

export const selectStatement: Recognizer = { id: 'select', matches: (p) => p.atWord('SELECT'), compile: compileSelect };

export const RECOGNIZERS: readonly Recognizer[] = [
  selectStatement,
  execStatement,
  killStatement,
  useStatement,
  setStatement,
  transactionStatement,
  restoreHeaderOnly,
  restoreFileListOnly,
  restoreLog,
  restoreDatabase,
  backupDatabase,
  backupLog,
  alterDatabasePartnerOff,
  createTempTable,
  insertExec,
  dropTable,
];

export type { Recognizer };
