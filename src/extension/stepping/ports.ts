/**
 * The engine's ports for the current target: SQL and the shell from the TargetService's clients
 * (client lifetime: they are the same connections the live status uses), log-backup files over
 * the file system. In rehearsal the estate's Windows paths live under the lab's folder: the lab
 * this extension started maps them itself; a lab started elsewhere (`npm run lab`,
 * LYNC_RECOVERY_LAB) is mapped by its info's `root`, the way the lab lays its folders out
 * (docs/lab.md "Folders").
 */
import * as path from 'node:path';
import type { FsLogBackupFilesOptions } from '../../adapters/files';
import type { Estate } from '../../core/estate/model';
import type { ShellSession } from '../../core/recovery/ports';
import type { EnginePorts } from '../../core/recovery/run-types';
import type { TargetClients } from '../connections/clients';
import type { Target } from '../connections/target';
import type { Logger } from '../log';

/** What a running lab object offers for files (src/lab `Lab.pathFor` / `Lab.fileFault`). */
export interface LabFiles {
  readonly root: string;
  pathFor(windowsPath: string, server?: string): string;
  fileFault(windowsPath: string, op: 'read' | 'write'): Error | undefined;
}

/** The server a drive path (the copy folder) is local to: the Persistent Chat backup store's. */
function copyFolderServer(estate: Estate): string | undefined {
  const pc = estate.pools.find((p) => p.kind === 'persistent-chat' && p.stores?.mgc?.backup);
  return estate.sqlInstances.find((i) => i.id === pc?.stores?.mgc?.backup)?.server;
}

/** `\\host\share\rest` → `<root>/shares/host/share/rest`; `D:\rest` → `<root>/drives/<server>/D/rest` (lower-cased segments). */
export function labPath(root: string, windowsPath: string, server: string | undefined): string {
  const p = windowsPath.trim().replace(/\//g, '\\');
  const parts = (rest: string | undefined) => (rest ?? '').split('\\').filter((s) => s !== '' && s !== '.').map((s) => s.toLowerCase());
  const unc = /^\\\\([^\\]+)\\([^\\]+)(?:\\(.*))?$/.exec(p);
  if (unc) return path.join(root, 'shares', unc[1]!.toLowerCase(), unc[2]!.toLowerCase(), ...parts(unc[3]).filter((s) => s !== '..'));
  const drive = /^([A-Za-z]):(?:\\(.*))?$/.exec(p);
  if (!drive) throw new Error(`not an absolute Windows path: '${windowsPath}'`);
  if (!server) throw new Error(`the drive path '${windowsPath}' needs the server it is local to`);
  return path.join(root, 'drives', server.toLowerCase(), drive[1]!.toUpperCase(), ...parts(drive[2]).filter((s) => s !== '..'));
}

function filesOptions(target: Target, estate: Estate, lab: LabFiles | undefined, log: Logger): FsLogBackupFilesOptions {
  const diagnostics = { debug: (m: string) => log.debug(m), warn: (m: string) => log.warn(m) };
  if (target.kind === 'live') return { log: diagnostics };
  const server = copyFolderServer(estate);
  const root = target.info.root;
  if (lab && root && path.resolve(lab.root) === path.resolve(root)) {
    return { mapPath: (p) => (p.startsWith('\\\\') ? lab.pathFor(p) : lab.pathFor(p, server)), fault: (p, op) => lab.fileFault(p, op), log: diagnostics };
  }
  if (!root) throw new Error('the rehearsal lab\'s info has no "root" folder, so its log-shipping share cannot be found; restart the lab.');
  const faults = new Set(target.info.faults ?? []);
  return {
    mapPath: (p) => labPath(root, p, server),
    fault: (p, op) => {
      const unc = p.trim().startsWith('\\\\');
      if (unc && faults.has('share-unreachable')) return Object.assign(new Error(`The network path was not found: ${p}`), { code: 'ENOENT' });
      if (!unc && op === 'write' && faults.has('copy-disk-full')) return Object.assign(new Error(`There is not enough space on the disk: ${p}`), { code: 'ENOSPC' });
      return undefined;
    },
    log: diagnostics,
  };
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
