export { FileJournalStore, parseJournalText, readJournalFile, type FileJournalOptions } from './file-journal';
export { breakLock, JournalLockedError, processIsAlive, type LockHolder, type LockInspection, type LockState } from './lock';
export { actionKey, journalFileName, outputDigest, runbookId } from './keys';
