/**
 * The engine's ports for the current target: SQL and the shell from the TargetService's clients
 * (client lifetime: they are the same connections the live status uses), log-backup files over
 * the file system. In rehearsal the estate's Windows paths live under the lab's folder: the lab
 * this extension started maps them itself; a lab started elsewhere (`npm run lab`,
 * LYNC_RECOVERY_LAB) is mapped by its info's `root` with the lab's own mapping
 * (`labFileMapping`, docs/lab.md "Files: shares and drives").
 */
import * as path from 'node:path';
import type { FsLogBackupFilesOptions } from '../../adapters/files';
import type { Estate } from '../../core/estate/model';
import type { ShellSession } from '../../core/recovery/ports';
import type { RunPlan } from '../../core/recovery/plan';
import type { EnginePorts } from '../../core/recovery/run-types';
// The lab's path mapping only (a small pure module), never the lab itself: dist/lab.js stays apart.
import { labFileMapping } from '../../lab/model/paths';
import type { TargetClients } from '../connections/clients';
import type { Target } from '../connections/target';
import type { Logger } from '../log';

/** What a lab this extension started offers the run (src/lab `Lab.files` / `Lab.rehearsalCheckpoint`). */
export interface LabFiles {
  readonly root: string;
  /** `mapPath` and `fault` for the file adapter (the lab's own mapping, its live faults). */
  files(): Pick<FsLogBackupFilesOptions, 'mapPath' | 'fault'>;
  /** At a rehearsal checkpoint, does in the lab what the admin does by hand; says what, or undefined. */
  checkpoint?(plan: RunPlan, stepId: string): string | undefined;
}

function filesOptions(target: Target, estate: Estate, lab: LabFiles | undefined, log: Logger): FsLogBackupFilesOptions {
  const diagnostics = { debug: (m: string) => log.debug(m), warn: (m: string) => log.warn(m) };
  if (target.kind === 'live') return { log: diagnostics };
  const root = target.info.root;
  if (lab && root && path.resolve(lab.root) === path.resolve(root)) return { ...lab.files(), log: diagnostics };
  if (!root) throw new Error('the rehearsal lab\'s info has no "root" folder, so its log-shipping share cannot be found; restart the lab.');
  // A lab started elsewhere: the lab's own mapping by its info (root, faults armed at start).
  return { ...labFileMapping(root, estate, new Set(target.info.faults ?? [])), log: diagnostics };
}

/** A target without a shell (a lab started without its stand-in): every call says why. */
class NoShell implements ShellSession {
  run(): Promise<string> {
    return Promise.reject(new Error('this rehearsal lab was started without its Lync Management Shell stand-in; restart it with its shell.'));
  }

  runJson(): Promise<unknown[]> {
    return this.run().then(() => []);
  }

  async close(): Promise<void> {}
}

/** The ports for one run (the clients stay open: they belong to the target). */
export async function enginePorts(clients: TargetClients, estate: Estate, lab: LabFiles | undefined, log: Logger): Promise<EnginePorts> {
  const { FsLogBackupFiles } = await import('../../adapters/files');
  return {
    sql: clients.sql,
    shell: clients.shell ?? new NoShell(),
    files: new FsLogBackupFiles(filesOptions(clients.target, estate, lab, log)),
  };
}
