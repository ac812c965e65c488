/**
 * A SQL Server error as the lab raises it: number, class (severity), state and the message text
 * of the real server, so clients see what they would see on a real instance.
 */
export interface SqlMessage {
  readonly number: number;
  readonly state: number;
  readonly class: number;
  readonly message: string;
}

export class SqlError extends Error {
  readonly number: number;
  readonly state: number;
  readonly class: number;
  /** Messages sent after this one (e.g. Msg 3013 "RESTORE LOG is terminating abnormally."). */
  readonly followUps: readonly SqlMessage[];

  constructor(m: SqlMessage, followUps: readonly SqlMessage[] = []) {
    super(m.message);
    this.name = 'SqlError';
    this.number = m.number;
    this.state = m.state;
    this.class = m.class;
    this.followUps = followUps;
  }

  get messages(): SqlMessage[] {
    return [{ number: this.number, state: this.state, class: this.class, message: this.message }, ...this.followUps];
  }
}

/** Message constructors for the errors the lab raises, texts as in the SQL Server error catalogue. */
export const msg = {
  syntax: (near: string): SqlMessage => ({ number: 102, class: 15, state: 1, message: `Incorrect syntax near '${near}'.` }),
  syntaxKeyword: (kw: string): SqlMessage => ({ number: 156, class: 15, state: 1, message: `Incorrect syntax near the keyword '${kw}'.` }),
  unclosedQuote: (text: string): SqlMessage => ({ number: 105, class: 15, state: 1, message: `Unclosed quotation mark after the character string '${text}'.` }),
  invalidObject: (name: string): SqlMessage => ({ number: 208, class: 16, state: 1, message: `Invalid object name '${name}'.` }),
  invalidColumn: (name: string): SqlMessage => ({ number: 207, class: 16, state: 1, message: `Invalid column name '${name}'.` }),
  ambiguousColumn: (name: string): SqlMessage => ({ number: 209, class: 16, state: 1, message: `Ambiguous column name '${name}'.` }),
  unboundIdentifier: (name: string): SqlMessage => ({ number: 4104, class: 16, state: 1, message: `The multi-part identifier "${name}" could not be bound.` }),
  unknownFunction: (name: string): SqlMessage => ({ number: 195, class: 15, state: 10, message: `'${name}' is not a recognized built-in function name.` }),
  undeclaredVariable: (name: string): SqlMessage => ({ number: 137, class: 15, state: 2, message: `Must declare the scalar variable "${name}".` }),
  conversionFailed: (value: string, from: string, to: string): SqlMessage => ({ number: 245, class: 16, state: 1, message: `Conversion failed when converting the ${from} value '${value}' to data type ${to}.` }),
  procNotFound: (name: string): SqlMessage => ({ number: 2812, class: 16, state: 62, message: `Could not find stored procedure '${name}'.` }),
  procMissingParam: (proc: string, param: string): SqlMessage => ({ number: 201, class: 16, state: 4, message: `Procedure or function '${proc}' expects parameter '${param}', which was not supplied.` }),
  procTooManyArgs: (proc: string): SqlMessage => ({ number: 8144, class: 16, state: 2, message: `Procedure or function ${proc} has too many arguments specified.` }),
  procUnknownParam: (param: string, proc: string): SqlMessage => ({ number: 8145, class: 16, state: 2, message: `${param} is not a parameter for procedure ${proc}.` }),
  dbNotExist: (db: string): SqlMessage => ({ number: 911, class: 16, state: 1, message: `Database '${db}' does not exist. Make sure that the name is entered correctly.` }),
  dbRestoring: (db: string): SqlMessage => ({ number: 927, class: 14, state: 2, message: `Database '${db}' cannot be opened. It is in the middle of a restore.` }),
  userMustBeInMaster: (): SqlMessage => ({ number: 5001, class: 16, state: 1, message: 'User must be in the master database.' }),
  notLogShippingSecondary: (db: string): SqlMessage => ({ number: 32014, class: 16, state: 1, message: `Database ${db} does not exist as log shipping secondary.` }),
  notMirrored: (db: string): SqlMessage => ({ number: 1416, class: 16, state: 31, message: `Database "${db}" is not configured for database mirroring.` }),
  killOwn: (): SqlMessage => ({ number: 6104, class: 16, state: 1, message: 'Cannot use KILL to kill your own process.' }),
  killInactive: (spid: number): SqlMessage => ({ number: 6106, class: 16, state: 2, message: `Process ID ${spid} is not an active process ID.` }),
  killSystem: (): SqlMessage => ({ number: 6107, class: 14, state: 1, message: 'Only user processes can be killed.' }),
  killRange: (spid: number): SqlMessage => ({ number: 6101, class: 16, state: 1, message: `Process ID ${spid} is not a valid process ID. Choose a number between 1 and 32767.` }),
  loginFailed: (user: string): SqlMessage => ({ number: 18456, class: 14, state: 1, message: `Login failed for user '${user}'.` }),
  terminating: (operation: string): SqlMessage => ({ number: 3013, class: 16, state: 1, message: `${operation} is terminating abnormally.` }),
  cannotOpenDevice: (device: string, osError: string): SqlMessage => ({ number: 3201, class: 16, state: 2, message: `Cannot open backup device '${device}'. Operating system error ${osError}.` }),
  writeFailed: (device: string, osError: string): SqlMessage => ({ number: 3202, class: 16, state: 1, message: `Write on "${device}" failed: ${osError}` }),
  mediaDamaged: (device: string): SqlMessage => ({ number: 3241, class: 16, state: 0, message: `The media family on device '${device}' is incorrectly formed. SQL Server cannot process this media family.` }),
  noFileInSet: (file: number, device: string): SqlMessage => ({ number: 4038, class: 16, state: 1, message: `Cannot find file ID ${file} on device '${device}'.` }),
  logTooRecent: (first: string, needed: string): SqlMessage => ({ number: 4305, class: 16, state: 1, message: `The log in this backup set begins at LSN ${first}, which is too recent to apply to the database. An earlier log backup that includes LSN ${needed} can be restored.` }),
  logTooEarly: (last: string, needed: string): SqlMessage => ({ number: 4326, class: 16, state: 1, message: `The log in this backup set terminates at LSN ${last}, which is too early to apply to the database. A more recent log backup that includes LSN ${needed} can be restored.` }),
  wrongFork: (): SqlMessage => ({ number: 4330, class: 16, state: 1, message: 'This backup set cannot be applied because it is on a recovery path that is inconsistent with the database. The recovery path is the sequence of data and log backups that have brought the database to a particular recovery point. Find a compatible backup to restore, or restore the rest of the database to match a recovery point within this backup set, which will restore the database to a different point in time. For more information about recovery paths, see SQL Server Books Online.' }),
  noFilesToRollForward: (): SqlMessage => ({ number: 3117, class: 16, state: 1, message: 'The log or differential backup cannot be restored because no files are ready to rollforward.' }),
  otherDatabase: (db: string): SqlMessage => ({ number: 3154, class: 16, state: 4, message: `The backup set holds a backup of a database other than the existing '${db}' database.` }),
  tailNotBackedUp: (db: string): SqlMessage => ({ number: 3159, class: 16, state: 1, message: `The tail of the log for the database "${db}" has not been backed up. Use BACKUP LOG WITH NORECOVERY to back up the log if it contains work you do not want to lose. Use the WITH REPLACE or WITH STOPAT clause of the RESTORE statement to just overwrite the contents of the log.` }),
  wrongBackupKind: (device: string, createdBy: string): SqlMessage => ({ number: 3135, class: 16, state: 2, message: `The backup set in file '${device}' was created by ${createdBy} and cannot be used for this restore operation.` }),
  exclusiveAccess: (): SqlMessage => ({ number: 3101, class: 16, state: 1, message: 'Exclusive access could not be obtained because the database is in use.' }),
  inUseBySession: (operation: string, db: string): SqlMessage => ({ number: 3102, class: 16, state: 1, message: `${operation} cannot process database '${db}' because it is in use by this session. It is recommended that the master database be used when performing this operation.` }),
  mirrored: (db: string): SqlMessage => ({ number: 3104, class: 16, state: 1, message: `RESTORE cannot operate on database '${db}' because it is configured for database mirroring or has joined an availability group. If you intend to restore the database, use ALTER DATABASE to remove mirroring or to remove the database from its availability group.` }),
  logBackupSimple: (): SqlMessage => ({ number: 4208, class: 16, state: 1, message: 'The statement BACKUP LOG is not allowed while the recovery model is SIMPLE. Use BACKUP DATABASE or change the recovery model using ALTER DATABASE.' }),
  directoryLookup: (file: string): SqlMessage => ({ number: 5133, class: 16, state: 1, message: `Directory lookup for the file "${file}" failed with the operating system error 3(The system cannot find the path specified.).` }),
  fileInUse: (file: string, db: string): SqlMessage => ({ number: 1834, class: 16, state: 1, message: `The file '${file}' cannot be overwritten.  It is being used by database '${db}'.` }),
  cannotRestoreFile: (logical: string, file: string): SqlMessage => ({ number: 3156, class: 16, state: 3, message: `File '${logical}' cannot be restored to '${file}'. Use WITH MOVE to identify a valid location for the file.` }),
  restorePlanning: (): SqlMessage => ({ number: 3119, class: 16, state: 1, message: 'Problems were identified while planning for the RESTORE statement. Previous messages provide details.' }),
  notLogicalFile: (logical: string, db: string): SqlMessage => ({ number: 3234, class: 16, state: 2, message: `Logical file '${logical}' is not part of database '${db}'. Use RESTORE FILELISTONLY to list the logical file names.` }),
  info: (number: number, message: string): SqlMessage => ({ number, class: 0, state: 1, message }),
} as const;

/** Shorthand: an error followed by "<operation> is terminating abnormally." (Msg 3013). */
export function backupRestoreError(m: SqlMessage, operation: string): SqlError {
  return new SqlError(m, [msg.terminating(operation)]);
}
