/**
 * The run lock: one file next to the journal, created atomically with its content (written to a
 * temporary file, then hard-linked into place, so nobody ever reads a half-written lock). A lock
 * whose process is gone on this host is stale and taken over; a lock held on another host, or by
 * a live process, refuses the run unless the admin breaks it.
 */
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly runId: string;
  readonly runbook: string;
}

export class JournalLockedError extends Error {
  override readonly name = 'JournalLockedError';

  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(
      holder
        ? `Another run of ${holder.runbook} is in progress (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}). ` +
            `Wait for it, or break the lock if that run is gone (${lockFile}).`
        : `The run lock ${lockFile} exists but cannot be read. Break the lock if no run is in progress.`,
    );
  }
}

export interface LockEnvironment {
  readonly host: string;
  readonly pid: number;
  readonly isAlive: (pid: number) => boolean;
}

/** `kill(pid, 0)` probes without signalling: ESRCH = gone, EPERM = alive but not ours. */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(lockFile: string): Promise<{ text: string; holder?: LockHolder } | undefined> {
  let text: string;
  try {
    text = await fs.readFile(lockFile, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    if (typeof h.pid === 'number' && typeof h.host === 'string') return { text, holder: h };
  } catch {
    // unreadable: reported as such
  }
  return { text };
}

async function createExclusive(lockFile: string, content: string): Promise<boolean> {
  const tmp = `${lockFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fh = await fs.open(tmp, 'wx');
  try {
    await fh.writeFile(content, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.link(tmp, lockFile);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw e;
    // No hard links on this file system (some shares): fall back to O_EXCL.
    try {
      await fs.writeFile(lockFile, content, { flag: 'wx' });
      return true;
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e2;
    }
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** Takes the lock or throws `JournalLockedError`. */
export async function acquireLock(lockFile: string, holder: LockHolder, env: LockEnvironment, breakLock = false): Promise<void> {
  const content = JSON.stringify(holder);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await createExclusive(lockFile, content)) return;
    const current = await readHolder(lockFile);
    if (!current) continue; // released meanwhile
    const stale = current.holder !== undefined && current.holder.host === env.host && !env.isAlive(current.holder.pid);
    if (!stale && !breakLock) throw new JournalLockedError(lockFile, current.holder);
    // Remove it only if it is still the lock we judged (another process may have replaced it).
    const again = await readHolder(lockFile);
    if (again?.text === current.text) await fs.rm(lockFile, { force: true });
  }
  throw new JournalLockedError(lockFile, (await readHolder(lockFile))?.holder);
}

/** Removes the lock if it is still ours. */
export async function releaseLock(lockFile: string, runId: string): Promise<void> {
  const current = await readHolder(lockFile);
  if (current?.holder?.runId === runId) await fs.rm(lockFile, { force: true });
}
