/** The log-backup file adapter: `LogBackupFiles` over the file system (local and UNC paths). */
export { FsLogBackupFiles, type FsLogBackupFilesOptions, type FileOperation } from './log-backup-files';
