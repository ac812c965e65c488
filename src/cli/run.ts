/**
 * `lync-runbook run [--dry-run] [--yes] [--settings FILE] [--override CHECK --reason TEXT]... FILE`:
 * runs a runbook against the live estate, one verified step at a time. It lints first (the same
 * findings as `lint`: rules, estate problems, planner refusals) and refuses on any error that is
 * not overridden explicitly by its id with a reason; overrides are journaled. Every destructive action is shown (exact text, target) and
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
import { FileJournalStore, JournalLockedError } from '../adapters/journal';
import { JournalIntegrityError } from '../core/recovery/journal';
import { parseEstate } from '../core/estate/load';
import type { Estate, EstateLoadResult } from '../core/estate/model';
import { describeCheck } from '../core/procedures/render';
import { CANNOT_PLAN, findingPlace, formatDryRun, lockTargets, preflight, runRunbook, type CheckOverride, type ConfirmRequest, type RunEvent, type RunPlan, type RunResult } from '../core/recovery';
import { Redactor } from '../core/recovery/redact';
import { loadPowerShellParser, parseRunbook, type Runbook } from '../core/runbook';
import { showHidden } from '../core/text';
import { grammarFiles } from '../adapters/grammar';
import { passwordsIn } from '../adapters/shell';
import { readTextFileSync, TextFileError } from '../adapters/files/text-file';
import { MAX_ESTATE_BYTES, MAX_RUNBOOK_BYTES } from '../core/text-files';
import { liveWiring, type LiveSettings } from './wiring';
import { overridesAndRunbook, parseCommandLine } from './options';

export const RUN_USAGE = 'Usage: lync-runbook run [--dry-run] [--yes] [--settings FILE] [--override CHECK --reason TEXT]... FILE';

export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Asks a yes/no question; undefined when there is no terminal to ask on. */
  ask?(question: string): Promise<boolean>;
}

/**
 * `io` showing every hidden character of what it prints or asks escaped (ESC as `\x1b`, a
 * right-to-left override as `\u202e`): a runbook's text cannot rewrite a prompt, so what the
 * operator reads and approves is what is sent.
 */
export const visibleIo = (io: Io): Io => ({
  out: (line) => io.out(showHidden(line)),
  err: (line) => io.err(showHidden(line)),
  ...(io.ask ? { ask: (question: string) => io.ask!(showHidden(question)) } : {}),
});

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

/**
 * `io` with every line and question redacted: a runbook can make any password appear in output
 * (a row that returns it, an error that quotes it), and terminals are logged and pasted.
 */
export function redactedIo(io: Io, secrets: readonly string[]): Io {
  const redactor = new Redactor(secrets);
  const ask = io.ask;
  return {
    out: (line) => io.out(redactor.text(line)),
    err: (line) => io.err(redactor.text(line)),
    ...(ask ? { ask: (question: string) => ask(redactor.text(question)) } : {}),
  };
}

export interface LoadedRunbook {
  readonly file: string;
  readonly runbook: Runbook;
  readonly estate: Estate;
  readonly estateFile: string;
  /** The estate's load result: its problems and source positions, for the gate. */
  readonly estateLoad: EstateLoadResult;
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
  return { file: path.resolve(file), runbook, estate: loaded.estate, estateFile, estateLoad: loaded };
}

/**
 * Lints and plans (the gate of core/recovery/preflight.ts): the plan when nothing refuses the run,
 * else every refusal printed with its file and line, and undefined. Overrides used are printed.
 */
export function planOrReport(loaded: LoadedRunbook, io: Io, command: string, overrides: readonly CheckOverride[] = []): RunPlan | undefined {
  const gate = preflight(loaded.runbook, loaded.file, { file: loaded.estateFile, result: loaded.estateLoad }, overrides);
  for (const o of gate.unused) io.err(`lync-runbook ${command}: --override ${o.check}: no error of that id was found, so nothing is overridden by it.`);
  if (gate.plan) {
    for (const o of gate.plan.overrides ?? []) io.err(`lync-runbook ${command}: OVERRIDDEN ${o.check} (reason: ${o.reason}): ${o.message}`);
    return gate.plan;
  }
  const n = gate.refusals.length;
  io.err(`lync-runbook ${command}: ${loaded.file} is not run: ${n} error${n === 1 ? '' : 's'} (lync-runbook lint reports the same):`);
  for (const f of gate.refusals) io.err(`  ${findingPlace(f)}: ${f.message} [${f.rule}]`);
  io.err(`Fix them and run again. Only if you know what skipping a check costs: --override <id> --reason "why" for each (journaled, and shown in the recovery report); ${CANNOT_PLAN} cannot be overridden.`);
  return undefined;
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
      return `Step ${request.stepId} will send to ${request.target}:\n${(request.sends ?? request.text).split('\n').map((l) => `    ${l}`).join('\n')}\nRun it?`;
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

function parseArgs(argv: readonly string[]): { dryRun: boolean; yes: boolean; settings?: string; overrides: CheckOverride[]; file: string } | string {
  const parsed = parseCommandLine(argv, {
    'dry-run': { type: 'boolean', default: false },
    yes: { type: 'boolean', default: false },
    settings: { type: 'string' },
    override: { type: 'string', multiple: true },
    reason: { type: 'string', multiple: true },
  });
  if (typeof parsed === 'string') return parsed;
  const common = overridesAndRunbook(parsed);
  if (typeof common === 'string') return common;
  const { overrides, file } = common;
  const { settings } = parsed.values;
  return { dryRun: parsed.values['dry-run'], yes: parsed.values.yes, ...(settings ? { settings } : {}), overrides, file };
}

export function readSettings(file: string | undefined, env: NodeJS.ProcessEnv): LiveSettings | string {
  const chosen = file ?? env['LYNC_RECOVERY_SETTINGS'];
  if (!chosen) return {};
  try {
    return JSON.parse(fs.readFileSync(chosen, 'utf8')) as LiveSettings;
  } catch (e) {
    return `cannot read the settings ${chosen}: ${(e as Error).message}`;
  }
}

/** A journal that cannot be opened (locked, damaged): what and what to do; exit code 1. Else rethrows. */
export function reportJournalError(io: Io, command: string, e: unknown): number {
  if (e instanceof JournalLockedError) {
    io.err(`lync-runbook ${command}: ${e.message}`);
    return 1;
  }
  if (e instanceof JournalIntegrityError) {
    io.err(`lync-runbook ${command}: ${e.message}`);
    io.err(`What to do: ${e.hint}`);
    return 1;
  }
  throw e;
}

export const defaultJournalDirectory = (): string => path.join(os.homedir(), '.lync-recovery', 'journals');

export async function run(argv: readonly string[], terminal: Io = consoleIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const io = redactedIo(visibleIo(terminal), passwordsIn(env));
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
  const plan = planOrReport(loaded, io, 'run', args.overrides);
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
  let journal;
  try {
    journal = await journals.open(loaded.file, { targets: lockTargets(plan) });
  } catch (e) {
    await wiring.close();
    return reportJournalError(io, 'run', e);
  }
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
