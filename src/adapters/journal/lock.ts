/**
 * The run lock: one file next to the journal, created atomically with its content (written to a
 * temporary file, then hard-linked into place, so nobody ever reads a half-written lock). A lock
 * whose process is gone on this host is stale and taken over; a lock held on another host, or by
 * a live process, refuses the run unless the admin breaks it.
 *
 * Takeover under contention: several processes may judge the same stale lock at once. Only the
 * one that creates the takeover claim for that exact lock content (`<lock>.<hash>.takeover`, `wx`)
 * may remove it, and it removes it only if the lock still holds that content — which nobody else
 * can change meanwhile, since a lock's content (with its unique run id) is never written twice and
 * only the claimant removes it. Then everyone races to create the lock afresh, and one wins.
 */
import { promises as fs } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly runId: string;
  readonly runbook: string;
  /** What the lock is on: `runbook <id>`, `runbook text <hash>`, or a recovery target. */
  readonly lock?: string;
}

export class JournalLockedError extends Error {
  override readonly name = 'JournalLockedError';

  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder | undefined,
    /** A takeover of this stale lock was begun by another process and is not finished. */
    readonly takeoverClaim?: string,
  ) {
    super(
      takeoverClaim
        ? `Another process is taking over the stale run lock ${lockFile} (its claim ${takeoverClaim} exists). ` +
            'Run again in a moment; if it persists and no run is in progress, break the lock (lync-runbook lock break RUNBOOK).'
        : holder
          ? `Another run of ${holder.runbook} is in progress (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt})${holder.lock && holder.lock !== `runbook ${holder.runbook}` ? ` and holds the lock on ${holder.lock}` : ''}. ` +
            `Wait for it, or, if that run is gone, break the lock (lync-runbook lock break RUNBOOK; lock file ${lockFile}).`
          : `The run lock ${lockFile} exists but cannot be read. If no run is in progress, break the lock (lync-runbook lock break RUNBOOK).`,
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

/** Whether the lock was left by a process that is gone on this host. */
const isStale = (holder: LockHolder | undefined, env: LockEnvironment): boolean => holder !== undefined && holder.host === env.host && !env.isAlive(holder.pid);

/** The claim file of a takeover of the lock holding `text`: one per lock content. */
const takeoverClaimFile = (lockFile: string, text: string): string => `${lockFile}.${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16)}.takeover`;

/**
 * Removes the lock holding `text`, if this process wins the claim to do so: false when another
 * process has the claim (it is taking the lock over). Removes nothing when the lock changed.
 */
async function removeJudged(lockFile: string, text: string): Promise<boolean> {
  const claim = takeoverClaimFile(lockFile, text);
  try {
    await (await fs.open(claim, 'wx')).close();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    if ((await readHolder(lockFile))?.text === text) await fs.rm(lockFile, { force: true });
  } finally {
    await fs.rm(claim, { force: true });
  }
  return true;
}

export type LockState = 'free' | 'held' | 'stale' | 'other-host' | 'unreadable';

/** A lock as `lync-runbook lock show` reports it; `text` is what `breakLock` must find to remove it. */
export interface LockInspection {
  readonly state: LockState;
  readonly holder?: LockHolder;
  readonly text?: string;
}

export async function inspectLock(lockFile: string, env: LockEnvironment): Promise<LockInspection> {
  const current = await readHolder(lockFile);
  if (!current) return { state: 'free' };
  const { text, holder } = current;
  if (!holder) return { state: 'unreadable', text };
  const state: LockState = holder.host !== env.host ? 'other-host' : env.isAlive(holder.pid) ? 'held' : 'stale';
  return { state, holder, text };
}

/**
 * Breaks the lock the admin was shown (`text`), clearing a takeover a crash left unfinished:
 * false when the lock changed meanwhile or another process is taking it over.
 */
export async function breakLock(lockFile: string, text: string): Promise<boolean> {
  if ((await readHolder(lockFile))?.text !== text) return false;
  await fs.rm(takeoverClaimFile(lockFile, text), { force: true });
  return removeJudged(lockFile, text);
}

/** Bounds the retries when the lock is released or taken over while we look at it. */
const MAX_ATTEMPTS = 5;

/** Takes the lock or throws `JournalLockedError`. */
export async function acquireLock(lockFile: string, holder: LockHolder, env: LockEnvironment, breakLock = false): Promise<void> {
  const content = JSON.stringify(holder);
  let claimed: string | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (await createExclusive(lockFile, content)) return;
    const current = await readHolder(lockFile);
    if (!current) continue; // released meanwhile
    if (!isStale(current.holder, env) && !breakLock) throw new JournalLockedError(lockFile, current.holder);
    // The admin breaking the lock also clears a takeover left unfinished by a crash.
    if (breakLock) await fs.rm(takeoverClaimFile(lockFile, current.text), { force: true });
    claimed = (await removeJudged(lockFile, current.text)) ? undefined : takeoverClaimFile(lockFile, current.text);
  }
  throw new JournalLockedError(lockFile, (await readHolder(lockFile))?.holder, claimed);
}

/** Removes the lock if it is still ours. */
export async function releaseLock(lockFile: string, runId: string): Promise<void> {
  const current = await readHolder(lockFile);
  if (current?.holder?.runId === runId) await fs.rm(lockFile, { force: true });
}
