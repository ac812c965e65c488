export { FileJournalStore, parseJournalText, readJournalFile, type FileJournalOptions } from './file-journal';
export { JournalLockedError, processIsAlive, type LockHolder } from './lock';
export { actionKey, journalFileName, outputDigest, runbookId } from './keys';
