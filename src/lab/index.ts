/**
 * The rehearsal lab's public entry, bundled on its own as dist/lab.js so the extension loads it
 * only when a rehearsal starts (it is never part of dist/extension.js).
 */
export { startLab, type Lab, type LabInfo, type LabInstanceInfo, type StartLabOptions } from './lab';
export { FAULTS, isFaultName, type FaultName } from './faults';
export { SCENARIOS } from './model';
export { driveServerOf, labFileFault, labFileMapping, labPathFor, parseWindowsPath, type LabPathOptions } from './model/paths';
export { REHEARSAL_POLL_MS, REHEARSAL_SETUP, rehearsalScenario, type PrepareRehearsalOptions, type RehearsalPreparation } from './rehearsal';
export type { LyncState, FePoolState, PcPoolState } from './lync/state';
