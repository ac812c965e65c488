/**
 * The journal and its locks from a terminal, as the run's hints ask of the admin:
 *   lync-runbook mark done|skip STEP --reason TEXT [--settings FILE] FILE
 *     records that a step was done by hand, or is to be left out, with why (journaled with the
 *     user; the next run skips the step);
 *   lync-runbook lock show|break [--yes] [--settings FILE] FILE
 *     shows every lock a run of the runbook takes (its own, its text's, one per recovery target)
 *     and who holds each; `break` removes the ones whose run is gone, after asking.
 * The journal folder is the settings file's `journalDirectory`, as for `run`.
 */
import os from 'node:os';
import { breakLock, FileJournalStore, type LockInspection } from '../adapters/journal';
import { lockTargets, markStep } from '../core/recovery';
import { consoleIo, defaultJournalDirectory, loadRunbook, planOrReport, readSettings, reportJournalError, type Io } from './run';

export const MARK_USAGE = 'Usage: lync-runbook mark done|skip STEP --reason TEXT [--settings FILE] FILE';
export const LOCK_USAGE = 'Usage: lync-runbook lock show|break [--yes] [--settings FILE] FILE';

interface Args {
  readonly verb: string;
  readonly positional: readonly string[];
  readonly reason?: string;
  readonly settings?: string;
  readonly yes: boolean;
}

function parseArgs(argv: readonly string[], options: readonly string[]): Args | string {
  const [verb, ...rest] = argv;
  if (verb === undefined) return 'no action given';
  const positional: string[] = [];
  const values: Record<string, string> = {};
  let yes = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--yes' && options.includes(a)) yes = true;
    else if (options.includes(a)) {
      const value = rest[++i];
      if (value === undefined) return `${a} needs a value`;
      values[a] = value;
    } else if (a.startsWith('--')) return `unknown option '${a}'`;
    else positional.push(a);
  }
  return { verb, positional, yes, ...(values['--reason'] !== undefined ? { reason: values['--reason'] } : {}), ...(values['--settings'] !== undefined ? { settings: values['--settings'] } : {}) };
}

function journalStore(settingsFile: string | undefined, env: NodeJS.ProcessEnv): FileJournalStore | string {
  const settings = readSettings(settingsFile, env);
  if (typeof settings === 'string') return settings;
  return new FileJournalStore({ directory: settings.journalDirectory ?? defaultJournalDirectory() });
}

export async function mark(argv: readonly string[], io: Io = consoleIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const args = parseArgs(argv, ['--reason', '--settings']);
  const usage = (problem: string) => {
    io.err(`lync-runbook mark: ${problem}\n${MARK_USAGE}`);
    return 2;
  };
  if (typeof args === 'string') return usage(args);
  if (args.verb !== 'done' && args.verb !== 'skip') return usage(`'${args.verb}' is not done or skip`);
  if (args.positional.length !== 2) return usage('give the step id and the runbook file');
  if (!args.reason?.trim()) return usage('--reason is required: the journal keeps why the step was not run');
  const [stepId, file] = args.positional as [string, string];
  const loaded = await loadRunbook(file);
  if (typeof loaded === 'string') return usage(loaded);
  const plan = planOrReport(loaded, io, 'mark');
  if (!plan) return 1;
  if (!plan.steps.some((s) => s.id === stepId)) {
    io.err(`lync-runbook mark: ${loaded.file} has no step "${stepId}" (steps: ${plan.steps.map((s) => s.id).join(', ')}).`);
    return 1;
  }
  const store = journalStore(args.settings, env);
  if (typeof store === 'string') return usage(store);
  let journal;
  try {
    journal = await store.open(loaded.file);
  } catch (e) {
    return reportJournalError(io, 'mark', e);
  }
  const markAs = args.verb === 'done' ? 'done' : 'skipped';
  try {
    await journal.append({ type: 'run-started', runbook: loaded.file, mode: 'live', user: os.userInfo().username });
    await markStep(plan, journal, stepId, markAs, args.reason.trim());
    await journal.append({ type: 'run-finished', outcome: 'completed' });
  } catch (e) {
    return reportJournalError(io, 'mark', e);
  } finally {
    await journal.close();
  }
  io.out(`Step ${stepId} marked ${markAs} (${args.reason.trim()}) in ${journal.file}: the next run skips it.`);
  return 0;
}

const describeLock = (lock: LockInspection & { readonly what: string }): string => {
  const h = lock.holder;
  const by = h ? ` — run ${h.runId} of ${h.runbook}, pid ${h.pid} on ${h.host}, since ${h.startedAt}` : '';
  switch (lock.state) {
    case 'free':
      return `free        ${lock.what}`;
    case 'held':
      return `held        ${lock.what}${by} (that process is running)`;
    case 'stale':
      return `stale       ${lock.what}${by} (that process is gone)`;
    case 'other-host':
      return `other host  ${lock.what}${by} (whether it still runs cannot be seen from here)`;
    case 'unreadable':
      return `unreadable  ${lock.what}`;
  }
};

export async function lock(argv: readonly string[], io: Io = consoleIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const args = parseArgs(argv, ['--yes', '--settings']);
  const usage = (problem: string) => {
    io.err(`lync-runbook lock: ${problem}\n${LOCK_USAGE}`);
    return 2;
  };
  if (typeof args === 'string') return usage(args);
  if (args.verb !== 'show' && args.verb !== 'break') return usage(`'${args.verb}' is not show or break`);
  if (args.positional.length !== 1) return usage('give one runbook file');
  const loaded = await loadRunbook(args.positional[0]!);
  if (typeof loaded === 'string') return usage(loaded);
  const plan = planOrReport(loaded, io, 'lock');
  if (!plan) return 1;
  const store = journalStore(args.settings, env);
  if (typeof store === 'string') return usage(store);
  const locks = await store.inspectLocks(loaded.file, lockTargets(plan));
  for (const l of locks) io.out(describeLock(l));
  if (args.verb === 'show') return 0;

  const taken = locks.filter((l) => l.state !== 'free');
  if (taken.length === 0) {
    io.out('No lock to break.');
    return 0;
  }
  const running = taken.filter((l) => l.state === 'held');
  if (running.length > 0) {
    io.err(`lync-runbook lock: not breaking locks of a run whose process is running here (pid ${[...new Set(running.map((l) => l.holder!.pid))].join(', ')}): stop that run first.`);
    return 1;
  }
  const question = `Break ${taken.length} lock(s)? Only if no run of ${loaded.file} (or of a copy, or on these targets) is in progress anywhere: two runs at once can send the same command twice.`;
  if (!args.yes) {
    if (!io.ask) {
      io.err('lync-runbook lock break: asks before breaking and needs a terminal; --yes breaks without asking.');
      return 2;
    }
    if (!(await io.ask(question))) {
      io.out('Nothing broken.');
      return 1;
    }
  }
  let failed = 0;
  for (const l of taken) {
    if (await breakLock(l.lockFile, l.text!)) io.out(`broken: ${l.what}`);
    else {
      failed++;
      io.err(`lync-runbook lock: ${l.what} changed while breaking it (another run took it): left as it is; run lock show again.`);
    }
  }
  return failed === 0 ? 0 : 1;
}
