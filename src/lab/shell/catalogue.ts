/**
 * The Lync cmdlets the lab models, by lower-case name. Every one is in the cmdlet catalogue
 * (src/core/runbook/cmdlets.ts), from which the LyncLab module is generated; a catalogued
 * cmdlet the lab does not model answers with an error saying so.
 */
import { getBackupServiceStatus, getPoolBackupRelationship, invokeBackupServiceSync, invokePoolFailBack, invokePoolFailOver } from './cmdlets/backup';
import { getDatabaseMirrorState, installMirrorDatabase, uninstallMirrorDatabase } from './cmdlets/mirror';
import { getPersistentChatState, setPersistentChatActiveServer, setPersistentChatState } from './cmdlets/pchat';
import { getManagementStoreReplicationStatus, getPool, getService, getTopology, invokeManagementServerFailover, setEdgeServer } from './cmdlets/topology';
import type { LabCmdlet } from './commands';

export const LAB_CMDLETS: readonly LabCmdlet[] = [
  getPersistentChatState,
  setPersistentChatState,
  setPersistentChatActiveServer,
  installMirrorDatabase,
  uninstallMirrorDatabase,
  getDatabaseMirrorState,
  invokeBackupServiceSync,
  getBackupServiceStatus,
  getPoolBackupRelationship,
  invokePoolFailOver,
  invokePoolFailBack,
  getPool,
  getService,
  getTopology,
  getManagementStoreReplicationStatus,
  invokeManagementServerFailover,
  setEdgeServer,
];

export const labCmdlets = (): ReadonlyMap<string, LabCmdlet> => new Map(LAB_CMDLETS.map((c) => [c.name.toLowerCase(), c]));
