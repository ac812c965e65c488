/** Rehearsal lab + real adapters + a file journal, for the engine's end-to-end tests. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileJournalStore } from '../../../src/adapters/journal';
import { startRehearsal, type Rehearsal } from '../../../src/cli/rehearse';
import type { ScenarioName } from '../../../src/lab/model';
import type { Lab } from '../../../src/lab';
import { rehearsalScenario } from '../../../src/lab/rehearsal';
import { parseEstate } from '../../../src/core/estate/load';
import type { Estate } from '../../../src/core/estate/model';
import { planRunbook, runRunbook, type RunEvent, type RunOptions, type RunPlan, type RunResult } from '../../../src/core/recovery';
import { parseRunbook } from '../../../src/core/runbook';
import { powershellParser } from '../../unit/runbook/grammar';

export const SAMPLES = path.resolve(__dirname, '../../../samples/litware');

const REPO = path.resolve(__dirname, '../../..');
export const SHARE = '\\\\atl-fs-001.litwareinc.com\\pchat-logs';
const COPY_FOLDER = 'D:\\LogShipping\\mgc';

/** `lync-runbook` as a child process. */
export interface Child {
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  /** Resolves when the output (so far and to come) matches. */
  printed(pattern: RegExp): Promise<void>;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv): Child {
  // Its own process group, so the kill also takes a shell stand-in it may have started.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: REPO, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const watchers: { pattern: RegExp; resolve: () => void }[] = [];
  const onData = (d: Buffer) => {
    text += d.toString();
    for (const w of watchers.filter((x) => x.pattern.test(text))) {
      watchers.splice(watchers.indexOf(w), 1);
      w.resolve();
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const printed = (pattern: RegExp) => (pattern.test(text) ? Promise.resolve() : new Promise<void>((resolve) => watchers.push({ pattern, resolve })));
  return { pid: child.pid!, exited, output: () => text, printed };
}

/** A settings file pointing `lync-runbook run` at the lab (journals under `work`), and its environment. */
export function cliSettings(lab: Lab, work: string): { settingsFile: string; env: NodeJS.ProcessEnv } {
  const server = lab.model.instance('dal-pcbak')!.server;
  const sql: Record<string, object> = { default: { user: lab.info.instances['dal-pcbak']!.user, host: '127.0.0.1', encrypt: true, caFile: lab.info.caFile, tlsServerName: 'localhost' } };
  for (const i of Object.values(lab.info.instances)) sql[i.id] = { port: i.port };
  const shell = lab.info.shell!;
  const settingsFile = path.join(work, 'settings.json');
  fs.writeFileSync(
    settingsFile,
    JSON.stringify({
      sql,
      // The CLI's live path imports a module by name: the lab's LyncLab is on its PSModulePath.
      shell: { executable: shell.executable, args: shell.args, module: 'LyncLab' },
      files: { pathMap: { [SHARE]: lab.pathFor(SHARE), [COPY_FOLDER]: lab.pathFor(COPY_FOLDER, server) } },
      journalDirectory: path.join(work, 'journals'),
    }),
  );
  // The lab's connection details travel in the environment node-powershell passes on.
  return { settingsFile, env: { ...process.env, ...shell.env, LYNC_RECOVERY_SQL_PASSWORD: lab.info.instances['dal-pcbak']!.password } };
}

export function litwareEstate(): Estate {
  const file = path.join(SAMPLES, 'lync-estate.yaml');
  return parseEstate(fs.readFileSync(file, 'utf8'), file).estate!;
}

export async function samplePlan(name: string, estate: Estate = litwareEstate(), runbookPath = path.join(SAMPLES, name)): Promise<RunPlan> {
  const text = fs.readFileSync(path.join(SAMPLES, name), 'utf8');
  return planRunbook(parseRunbook(text, { powershell: await powershellParser() }), estate, runbookPath);
}

export interface Harness {
  readonly rehearsal: Rehearsal;
  readonly journals: FileJournalStore;
  readonly journalDir: string;
  readonly events: RunEvent[];
  run(plan: RunPlan, extra?: Partial<RunOptions>): Promise<RunResult>;
  stop(): Promise<void>;
}

/** A fresh lab for `plan`'s kind; `run` journals into a temporary directory and auto-confirms. */
export async function harness(kind: RunPlan['kind'], options: { faults?: string[]; timing?: Record<string, number>; scenario?: ScenarioName } = {}, estate = litwareEstate()): Promise<Harness> {
  const rehearsal = await startRehearsal(estate, { scenario: options.scenario ?? rehearsalScenario(kind), progressDelayMs: 0, ...(options.faults ? { faults: options.faults } : {}), ...(options.timing ? { timing: options.timing } : {}) });
  const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-journal-'));
  const journals = new FileJournalStore({ directory: journalDir, secrets: rehearsal.wiring.secrets });
  const events: RunEvent[] = [];
  return {
    rehearsal,
    journals,
    journalDir,
    events,
    async run(plan, extra = {}) {
      const journal = await journals.open(plan.runbookPath);
      try {
        return await runRunbook(plan, {
          ports: rehearsal.wiring.ports,
          journal,
          mode: 'rehearsal',
          confirm: async () => true,
          onEvent: (e) => events.push(e),
          pollIntervalMs: 1000,
          // The Backup Service's clock jumps instead of the test waiting.
          wait: async (ms) => rehearsal.lync.clock.advance(ms),
          ...extra,
        });
      } finally {
        await journal.close();
      }
    },
    async stop() {
      await rehearsal.stop();
      fs.rmSync(journalDir, { recursive: true, force: true });
    },
  };
}

/** Log backups restored into `database` on an instance, by file name, from the lab's msdb. */
export function restoredLogs(rehearsal: Pick<Rehearsal, 'lab'>, instanceId: string, database: string): string[] {
  const msdb = rehearsal.lab.model.instance(instanceId)!.msdb;
  return msdb.restorehistory
    .filter((r) => r.restore_type === 'L' && r.destination_database_name.toLowerCase() === database)
    .map((r) => {
      const set = msdb.backupset.find((b) => b.backup_set_id === r.backup_set_id)!;
      const device = msdb.backupmediafamily.find((m) => m.media_set_id === set.media_set_id)!.physical_device_name;
      return device.split('\\').pop()!;
    });
}

/** Every log backup the primary wrote to the share. */
export function shareLogs(rehearsal: Rehearsal): string[] {
  return fs.readdirSync(rehearsal.lab.pathFor('\\\\atl-fs-001.litwareinc.com\\pchat-logs')).filter((n) => /^mgc_\d{14}\.trn$/.test(n)).sort();
}

export function journalText(h: Harness): string {
  return fs.readdirSync(h.journalDir).filter((f) => f.endsWith('.jsonl')).map((f) => fs.readFileSync(path.join(h.journalDir, f), 'utf8')).join('');
}

/** The journal's records (JSON lines, every journal of the harness), in order. */
export function journalRecords(h: Harness): Array<Record<string, unknown> & { type: string; stepId?: string; item?: string; outcome?: string; error?: string }> {
  return journalText(h)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown> & { type: string });
}

/** The lab's SQL password: it must never appear in a journal or a message. */
export function labPassword(h: Harness): string {
  return Object.values(h.rehearsal.lab.info.instances)[0]!.password;
}

/** For `run`'s `onEvent`: records every event, and arms `fault` in the lab when step `stepId` starts. */
export const armWhenStepStarts = (h: Harness, stepId: string, fault: string) => (e: RunEvent) => {
  h.events.push(e);
  if (e.type === 'step-started' && e.stepId === stepId) h.rehearsal.lab.faults.arm(fault);
};

/** A failed run's journal says what ran (each completed step, the failed action) and holds no password. */
export function assertJournalOfFailedRun(h: Harness, result: RunResult, options: { failedAction: boolean }): void {
  const records = journalRecords(h);
  for (const step of result.steps.filter((s) => s.outcome === 'completed')) {
    assert.ok(records.some((r) => r.type === 'action-finished' && r.stepId === step.stepId && r.outcome === 'ok'), `journal: ${step.stepId} completed`);
  }
  if (options.failedAction) assert.ok(records.some((r) => r.type === 'action-finished' && r.stepId === result.failure!.stepId && r.outcome === 'failed'), 'journal: the failed action');
  const finished = records.filter((r) => r.type === 'run-finished').at(-1)!;
  assert.equal(finished.outcome, 'failed');
  assert.equal(finished.error, result.failure!.message);
  const password = labPassword(h);
  for (const text of [journalText(h), result.failure!.message, result.failure!.hint ?? '']) assert.ok(!text.includes(password), 'the lab password was written down');
}

/** The Persistent Chat failover ran to its end: each of `logs` restored exactly once (restore history), mgc ONLINE, pool FailedOver. */
export function assertFailedOverOnce(h: Harness, logs: readonly string[]): void {
  const restored = restoredLogs(h.rehearsal, 'dal-pcbak', 'mgc').reduce((m, n) => m.set(n, (m.get(n) ?? 0) + 1), new Map<string, number>());
  assert.deepEqual([...restored.keys()].sort(), [...logs].sort());
  assert.ok([...restored.values()].every((n) => n === 1), JSON.stringify([...restored]));
  assert.equal(h.rehearsal.lab.model.instance('dal-pcbak')!.database('mgc')!.state, 'ONLINE');
  assert.equal(h.rehearsal.lync.pcPool('atl-gc-001.litwareinc.com')!.poolState, 'FailedOver');
  assert.ok(!journalText(h).includes(labPassword(h)), 'the lab password was written down');
}
