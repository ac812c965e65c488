/**
 * Faults the rehearsal lab can inject, armed by name. The SQL side (this package) implements the
 * `sql-*`, `log-*`, `share-*` and `copy-*` faults; the PowerShell stand-in (src/lab/shell) the
 * `pwsh-*`, `cmdlet-*` and `backup-*` ones. Both observe one shared `FaultSet`.
 */
import { EventEmitter } from 'node:events';

export type FaultOwner = 'sql' | 'shell';

export interface FaultDefinition {
  readonly name: string;
  readonly owner: FaultOwner;
  /** What an armed fault does, as documented in docs/lab.md. */
  readonly behaviour: string;
}

export const FAULTS = [
  {
    name: 'sql-disconnect-during-restore',
    owner: 'sql',
    behaviour:
      'Every RESTORE (LOG or DATABASE) closes the TCP connection halfway through its progress messages; the restore is not applied (the database keeps its redo LSN), so re-running it after clearing the fault succeeds.',
  },
  {
    name: 'sql-login-fails',
    owner: 'sql',
    behaviour: "Every LOGIN7 on every instance fails with error 18456 class 14 (\"Login failed for user '<user>'.\"); existing connections keep working.",
  },
  {
    name: 'sql-no-tls12',
    owner: 'sql',
    behaviour:
      'Every instance offers TLS 1.0 and 1.1 only, as SQL Server 2008 R2, 2012 and 2014 builds without the TLS 1.2 update (KB 3135244): an encrypted connection from a client that requires TLS 1.2 (Node, tedious) fails in the handshake; unencrypted connections are unaffected.',
  },
  {
    name: 'log-gap',
    owner: 'sql',
    behaviour:
      'When armed, the oldest log backup not yet copied is deleted from the share (or, if every file was copied, the oldest unrestored one from the copy folder): applying the files after it fails with Msg 4305 (too recent). Clearing does not bring the file back.',
  },
  {
    name: 'log-corrupt',
    owner: 'sql',
    behaviour:
      'When armed, the header of the newest log backup not yet copied (else the newest unrestored one in the copy folder) is damaged: RESTORE HEADERONLY and RESTORE LOG on it fail with Msg 3241 then 3013, the restore job stops before it. Clearing does not repair the file.',
  },
  {
    name: 'share-unreachable',
    owner: 'sql',
    behaviour:
      'Every log-shipping share folder is taken offline (moved aside under <labRoot>/offline while armed, so it does not exist for any client): BACKUP/RESTORE on a UNC path fail with Msg 3201 "Operating system error 53(The network path was not found.)", the copy job copies nothing. Clearing puts the folders back.',
  },
  {
    name: 'copy-disk-full',
    owner: 'sql',
    behaviour:
      'Writes to a drive (non-UNC) path fail: the copy job copies nothing, BACKUP DATABASE to a drive path fails with Msg 3202 "… 112(There is not enough space on the disk.)", and Lab.fileFault(path, "write") returns an ENOSPC error for the rehearsal file adapter.',
  },
  { name: 'pwsh-crash', owner: 'shell', behaviour: 'The PowerShell stand-in process exits in the middle of the next command.' },
  { name: 'pwsh-hang', owner: 'shell', behaviour: 'The PowerShell stand-in stops answering: the next command never completes (the client must time out and restart the shell).' },
  { name: 'cmdlet-error', owner: 'shell', behaviour: 'The next Lync cmdlet writes a Windows PowerShell 5.1 style error to stderr instead of running.' },
  { name: 'backup-sync-error', owner: 'shell', behaviour: 'Invoke-CsBackupServiceSync fails and Get-CsBackupServiceStatus reports the modules in ErrorState.' },
] as const satisfies readonly FaultDefinition[];

export type FaultName = (typeof FAULTS)[number]['name'];

export function isFaultName(name: string): name is FaultName {
  return FAULTS.some((f) => f.name === name);
}

export interface FaultChange {
  readonly name: FaultName;
  readonly armed: boolean;
}

/** The armed faults of one lab. Emits `change` (a `FaultChange`) whenever a fault is armed or cleared. */
export class FaultSet extends EventEmitter<{ change: [FaultChange] }> {
  readonly #armed = new Set<FaultName>();

  constructor(initial: Iterable<string> = []) {
    super();
    for (const name of initial) this.arm(name);
  }

  /** Arms a fault; throws on an unknown name so a typo in `--fault` cannot pass silently. */
  arm(name: string): void {
    if (!isFaultName(name)) throw new Error(`unknown fault '${name}' (known: ${FAULTS.map((f) => f.name).join(', ')})`);
    if (this.#armed.has(name)) return;
    this.#armed.add(name);
    this.emit('change', { name, armed: true });
  }

  clear(name: FaultName): void {
    if (!this.#armed.delete(name)) return;
    this.emit('change', { name, armed: false });
  }

  clearAll(): void {
    for (const name of [...this.#armed]) this.clear(name);
  }

  has(name: FaultName): boolean {
    return this.#armed.has(name);
  }

  get armed(): readonly FaultName[] {
    return [...this.#armed];
  }
}
