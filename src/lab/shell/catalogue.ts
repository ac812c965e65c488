/**
 * Every command the stand-in knows, by lower-case name. Anything else is answered with
 * PowerShell's CommandNotFoundException (e.g. Get-CsPersistentChatActiveServer, which does not
 * exist in the real module either).
 */
import { BUILTIN_COMMANDS } from './builtins';
import { getBackupServiceStatus, getPoolBackupRelationship, invokeBackupServiceSync, invokePoolFailBack, invokePoolFailOver } from './cmdlets/backup';
import { getDatabaseMirrorState, installMirrorDatabase, uninstallMirrorDatabase } from './cmdlets/mirror';
import { getPersistentChatState, setPersistentChatActiveServer, setPersistentChatState } from './cmdlets/pchat';
import { getManagementStoreReplicationStatus, getPool, getService, getTopology } from './cmdlets/topology';
import type { Command } from './commands';

export const LYNC_CMDLETS: readonly Command[] = [
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
];

export function commandCatalogue(): ReadonlyMap<string, Command> {
  return new Map([...BUILTIN_COMMANDS, ...LYNC_CMDLETS].map((c) => [c.name.toLowerCase(), c]));
}
