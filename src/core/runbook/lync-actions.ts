/**
 * The built-in `lync` actions (docs/runbook-format.md): names, keys, what they do. The one source
 * for the parser's checks, completion and hover.
 */

export interface LyncKeySpec {
  readonly name: string;
  readonly required: boolean;
  readonly help: string;
  readonly values?: readonly string[];
}

export interface LyncActionSpec {
  readonly name: string;
  readonly help: string;
  readonly keys: readonly LyncKeySpec[];
  /** `confirm "text"`: takes one quoted text instead of keys. */
  readonly takesText?: boolean;
  /** Runs against SQL: needs a target (`on=` on the line or on the fence). */
  readonly sql?: boolean;
}

const database: LyncKeySpec = { name: 'database', required: true, help: 'The Persistent Chat database: `mgc` (or `mgccomp`).', values: ['mgc', 'mgccomp'] };
const on: LyncKeySpec = { name: 'on', required: false, help: 'SQL target: `primary`, `mirror`, `backup`, `backupMirror` (`backup:mgccomp` for mgccomp) or an estate SQL instance id. Defaults to the fence\'s `on=`.' };

export const LYNC_ACTIONS: readonly LyncActionSpec[] = [
  {
    name: 'back-up-tail-log',
    sql: true,
    keys: [database, on],
    help: 'On the primary, if it still answers: `BACKUP LOG … WITH NORECOVERY` to the log-shipping share (`<db>_tail.trn`), so the copy and apply steps carry its last transactions and the primary database is left RESTORING. If it does not answer, says there is no tail to take.',
  },
  { name: 'snapshot-log-shipping', sql: true, keys: [database, on], help: 'Records the log-shipping metadata (folders, last copied/restored file, jobs) in the journal before it is deleted.' },
  { name: 'copy-log-backups', keys: [database], help: 'Copies every log backup newer than the last copied file from the share to the copy folder; verifies sizes; never overwrites a differing file.' },
  { name: 'apply-log-backups', sql: true, keys: [database, on], help: 'Reads the headers, orders by LSN, checks the chain against the redo LSN and applies each unapplied file WITH NORECOVERY; stops on a gap naming the missing LSN range; resumable.' },
  { name: 'kill-sessions', sql: true, keys: [database, on], help: 'Lists the sessions in the database and ends them (never its own, never system sessions).' },
  { name: 'recover-database', sql: true, keys: [database, on], help: '`RESTORE DATABASE … WITH RECOVERY` and verifies the database is ONLINE.' },
  {
    name: 'wait-backup-sync',
    keys: [
      { name: 'pool', required: true, help: 'The pool whose Backup Service status is polled (the one the sync ran on).' },
      { name: 'module', required: true, help: 'Backup module, e.g. ConfServices.DataConf.', values: ['ConfServices.DataConf', 'UserServices.PresenceFocus', 'CentralMgmt.CMSMaster'] },
      { name: 'timeout', required: false, help: 'How long to wait, e.g. `30m`, `2h`.' },
    ],
    help: 'Polls Get-CsBackupServiceStatus until the module is SteadyState/FinalState; shows progress; cancellable.',
  },
  {
    name: 'check-pool-state',
    keys: [
      { name: 'pool', required: true, help: 'Persistent Chat pool FQDN.' },
      { name: 'state', required: true, help: 'Expected PoolState.', values: ['Normal', 'FailedOver'] },
    ],
    help: 'Verifies the Persistent Chat pool state.',
  },
  { name: 'confirm', takesText: true, keys: [], help: 'An operator checkpoint: the run pauses until the admin confirms.' },
];

const BY_NAME = new Map(LYNC_ACTIONS.map((a) => [a.name, a]));
export const findLyncAction = (name: string): LyncActionSpec | undefined => BY_NAME.get(name.toLowerCase());
