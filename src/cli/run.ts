/**
 * `lync-runbook run [--dry-run] [--yes] [--settings FILE] FILE`: runs a runbook against the live
 * estate, one verified step at a time. Every destructive action is shown (exact text, target) and
 * asked for on the terminal; `--dry-run` prints what would be sent, where, and sends nothing;
 * `--yes` (never the default; for unattended runs) confirms destructive actions and checkpoints
 * without asking and prints each one, never re-sends an interrupted action and never overrides. Also the
 * helpers `rehearse` shares: loading a runbook with its estate, rendering events and results.
 *
 * Exit codes: 0 completed, 1 failed / declined / cannot be planned, 2 bad usage or unreadable input.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline/promises';
import { FileJournalStore } from '../adapters/journal';
import { parseEstate } from '../core/estate/load';
import type { Estate } from '../core/estate/model';
import { describeCheck } from '../core/procedures/render';
import { formatDryRun, planRunbook, PlanError, runRunbook, type ConfirmRequest, type RunEvent, type RunPlan, type RunResult } from '../core/recovery';
import { loadPowerShellParser, parseRunbook, type Runbook } from '../core/runbook';
import { grammarFiles } from '../adapters/grammar';
import { readTextFileSync, TextFileError } from '../adapters/files/text-file';
import { MAX_ESTATE_BYTES, MAX_RUNBOOK_BYTES } from '../core/text-files';
import { liveWiring, type LiveSettings } from './wiring';

export const RUN_USAGE = 'Usage: lync-runbook run [--dry-run] [--yes] [--settings FILE] FILE';

export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Asks a yes/no question; undefined when there is no terminal to ask on. */
  ask?(question: string): Promise<boolean>;
}

export const consoleIo: Io = {
  out: (l) => console.log(l),
  err: (l) => console.error(l),
  ...(process.stdin.isTTY
    ? {
        ask: async (question: string) => {
          const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
          try {
            return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
          } finally {
            rl.close();
          }
        },
      }
    : {}),
};

export interface LoadedRunbook {
  readonly file: string;
  readonly runbook: Runbook;
  readonly estate: Estate;
  readonly estateFile: string;
}

/** Reads a runbook and the estate its front matter names; a string is the reason it cannot. */
export async function loadRunbook(file: string): Promise<LoadedRunbook | string> {
  let text: string;
  try {
    text = readTextFileSync(file, { what: 'runbook', maxBytes: MAX_RUNBOOK_BYTES });
  } catch (e) {
    return e instanceof TextFileError ? e.message : `cannot read ${file}: ${String(e)}`;
  }
  const runbook = parseRunbook(text, { powershell: await loadPowerShellParser(grammarFiles) });
  const named = runbook.frontMatter?.entries.find((e) => e.key === 'estate')?.value;
  if (!named) return `${file} names no estate: add estate: ./lync-estate.yaml to its front matter`;
  const estateFile = path.resolve(path.dirname(file), named);
  let estateText: string;
  try {
    estateText = readTextFileSync(estateFile, { what: 'estate', maxBytes: MAX_ESTATE_BYTES });
  } catch (e) {
    return e instanceof TextFileError ? e.message : `cannot read the estate ${estateFile}: ${String(e)}`;
  }
  const loaded = parseEstate(estateText, estateFile);
  if (!loaded.estate) return `the estate ${estateFile} cannot be loaded: ${loaded.problems.map((p) => `line ${p.range.start.line + 1}: ${p.message}`).join('; ')}`;
  return { file: path.resolve(file), runbook, estate: loaded.estate, estateFile };
}

/** Plans, or prints why it cannot and returns undefined. */
export function planOrReport(loaded: LoadedRunbook, io: Io, command: string): RunPlan | undefined {
  try {
    return planRunbook(loaded.runbook, loaded.estate, loaded.file);
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    io.err(`lync-runbook ${command}: ${loaded.file}: the runbook cannot be run:`);
    for (const p of e.problems) io.err(`  ${p.line > 0 ? `${path.basename(loaded.file)}:${p.line}: ` : ''}${p.message}`);
    return undefined;
  }
}

/** The heartbeat of a command the shell has not answered yet (the time limit then says what happens). */
export const stillWaiting = (waitedMs: number): string => `   … still waiting for PowerShell to answer (${Math.round(waitedMs / 1000)} s)`;

/** One line (or a few) per event, for terminals. */
export function renderEvent(event: RunEvent): string | undefined {
  switch (event.type) {
    case 'step-started':
      return `\n== ${event.title} {#${event.stepId}}`;
    case 'step-skipped':
      return `\n== {#${event.stepId}} skipped: ${event.reason}`;
    case 'check':
      return `   ${event.ok ? 'ok  ' : 'FAIL'} ${event.phase === 'before' ? 'before' : 'after'}: ${describeCheck(event.check)} — ${event.detail}`;
    case 'action-started':
      return `   → line ${event.line} on ${event.target}${event.resumed ? ' (resuming after an interruption)' : ''}: ${event.text.split('\n')[0]}`;
    case 'action-skipped':
      return `   · ${event.text.split('\n')[0]}: ${event.reason}`;
    case 'action-finished':
      return event.ok ? undefined : `   ✗ ${event.error ?? 'failed'}`;
    case 'output':
      return `     ${event.line}`;
    case 'progress':
      // RESTORE reports every 5 percent: a terminal shows every quarter.
      return event.percent === undefined || event.percent % 25 === 0 ? `     … ${event.message}` : undefined;
    case 'warning':
      return `   ! ${event.message}`;
    case 'step-finished':
      return undefined;
  }
}

/** The step table and, on failure, what happened and what to do. */
export function printResult(io: Io, result: RunResult): void {
  const width = Math.max(4, ...result.steps.map((s) => s.stepId.length));
  io.out('');
  io.out(`${'step'.padEnd(width)}  outcome`);
  for (const s of result.steps) io.out(`${s.stepId.padEnd(width)}  ${s.outcome}${s.outcome === 'skipped' && s.reason ? ` (${s.reason})` : ''}`);
  if (result.failure) {
    io.out('');
    io.out(`${result.outcome === 'cancelled' ? 'Cancelled' : 'Stopped'}: ${result.failure.message}`);
    if (result.failure.hint) io.out(`What to do: ${result.failure.hint}`);
  }
}

export function describeConfirm(request: ConfirmRequest): string {
  switch (request.kind) {
    case 'destructive':
      return `Step ${request.stepId} will send to ${request.target}:\n${request.text.split('\n').map((l) => `    ${l}`).join('\n')}\nRun it?`;
    case 'checkpoint':
      return `Step ${request.stepId}: ${request.text}\nConfirm?`;
    case 'interrupted':
      return `Step ${request.stepId} was interrupted while sending to ${request.target}:\n    ${request.text}\n${request.detail ? `${request.detail}\n` : ''}Nothing shows whether it completed. Send it again?`;
  }
}

/** How an automatic confirmation is printed (rehearsals, `run --yes`). */
export function describeAutoConfirm(request: ConfirmRequest): string {
  return `confirmed automatically — ${request.kind === 'checkpoint' ? request.text : `${request.text.split('\n')[0]} on ${request.target}`}`;
}

function parseArgs(argv: readonly string[]): { dryRun: boolean; yes: boolean; settings?: string; file: string } | string {
  let dryRun = false;
  let yes = false;
  let settings: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--dry-run') dryRun = true;
    else if (a === '--yes') yes = true;
    else if (a === '--settings') {
      settings = argv[++i];
      if (settings === undefined) return '--settings needs a file';
    } else if (a.startsWith('--')) return `unknown option '${a}'`;
    else files.push(a);
  }
  if (files.length !== 1) return files.length === 0 ? 'no runbook file given' : 'give one runbook file';
  return { dryRun, yes, ...(settings ? { settings } : {}), file: files[0]! };
}

function readSettings(file: string | undefined, env: NodeJS.ProcessEnv): LiveSettings | string {
  const chosen = file ?? env['LYNC_RECOVERY_SETTINGS'];
  if (!chosen) return {};
  try {
    return JSON.parse(fs.readFileSync(chosen, 'utf8')) as LiveSettings;
  } catch (e) {
    return `cannot read the settings ${chosen}: ${(e as Error).message}`;
  }
}

export const defaultJournalDirectory = (): string => path.join(os.homedir(), '.lync-recovery', 'journals');

export async function run(argv: readonly string[], io: Io = consoleIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.err(`lync-runbook run: ${args}\n${RUN_USAGE}`);
    return 2;
  }
  const loaded = await loadRunbook(args.file);
  if (typeof loaded === 'string') {
    io.err(`lync-runbook run: ${loaded}`);
    return 2;
  }
  const plan = planOrReport(loaded, io, 'run');
  if (!plan) return 1;
  if (args.dryRun) {
    io.out(formatDryRun(plan));
    return 0;
  }
  const settings = readSettings(args.settings, env);
  if (typeof settings === 'string') {
    io.err(`lync-runbook run: ${settings}`);
    return 2;
  }
  const ask = io.ask;
  if (!ask && !args.yes) {
    io.err('lync-runbook run: a live run asks before each destructive action and needs a terminal; use --dry-run to see the plan, or --yes to confirm every destructive action and checkpoint without asking.');
    return 2;
  }
  // --yes: destructive actions and checkpoints are confirmed and printed; an interrupted action is
  // never sent again blindly, and overridable preconditions are never overridden.
  const confirm = args.yes
    ? async (request: ConfirmRequest) => {
        if (request.kind === 'interrupted') {
          io.out(`   --yes: not sending again without a person to check — ${describeConfirm(request).split('\n').join(' ')} Run without --yes to decide.`);
          return false;
        }
        io.out(`   --yes: ${describeAutoConfirm(request)}`);
        return true;
      }
    : (request: ConfirmRequest) => ask!(describeConfirm(request));
  const override = args.yes || !ask ? undefined : ({ warning }: { warning: string }) => ask(`WARNING: ${warning}\nOverride and continue?`);
  const wiring = liveWiring(loaded.estate, settings, env, (ms) => io.err(stillWaiting(ms)));
  const journals = new FileJournalStore({ directory: settings.journalDirectory ?? defaultJournalDirectory(), secrets: wiring.secrets });
  const journal = await journals.open(loaded.file);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  io.out(`LIVE RUN of ${plan.title} — journal ${journal.file}${args.yes ? ' — --yes: every destructive action and checkpoint is confirmed without asking' : ''}`);
  let result: RunResult;
  try {
    result = await runRunbook(plan, {
      ports: wiring.ports,
      journal,
      mode: 'live',
      signal: abort.signal,
      user: os.userInfo().username,
      confirm,
      ...(override ? { override } : {}),
      onEvent: (event) => {
        const line = renderEvent(event);
        if (line !== undefined) io.out(line);
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    await journal.close();
    await wiring.close();
  }
  printResult(io, result);
  return result.outcome === 'completed' ? 0 : 1;
}
