/** The SQL side of the rehearsal lab: estate simulation (see docs/lab.md). */
export { type LabSqlSide, LabModel, type LabModelOptions } from './lab-model';
export type { LabRestoreEvent } from './operations';
export { type DatabaseState, type LabDatabase, LabInstance, type LabSession } from './instance';
export { DEFAULT_TIMING, LogShippingLink, type LogShippingTiming, logBackupName, logBackupTime } from './log-shipping';
export { formatLsn, type Lsn, parseLsn } from './lsn';
export { driveServerOf, labFileFault, labFileMapping, labPathFor, type LabPathOptions, parseWindowsPath, windowsJoin } from './paths';
export { applyScenario, baseScenario, isScenarioName, MIRROR_FAILOVER_MINUTES, SCENARIOS, type ScenarioName, unreachableInstances, WARM_UP_MINUTES } from './scenarios';
export { wireFaultEffects } from './fault-effects';
export { type BackupSetHeader, readBackupFile } from './backup-file';
