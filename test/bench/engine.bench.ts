/**
 * The recovery engine end to end (issues 5, 12, 15): a rehearsed Persistent Chat failover with 288
 * unapplied log backups (a day of 5-minute backups) through the real adapters, ≤ 8 s; the engine's
 * own time per applied log — the apply step's wall time minus the time spent inside the ports
 * (adapters + lab) — ≤ 2 ms; and the lab's answer time as the product meets it: the median SQL
 * round trip (gateway, mssql, TDS over TLS, lab engine) of every SQL call of the rehearsal, ≤ 3 ms.
 * Each figure is the median of RUNS rehearsals, each on a fresh lab.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FileJournalStore } from '../../src/adapters/journal';
import { startRehearsal } from '../../src/cli/rehearse';
import { parseEstate } from '../../src/core/estate/load';
import type { Estate } from '../../src/core/estate/model';
import { planRunbook, runRunbook, type EnginePorts, type RunEvent, type RunPlan } from '../../src/core/recovery';
import { loadPowerShellParser, parseRunbook } from '../../src/core/runbook';
import { grammarFiles } from '../../src/adapters/grammar';
import type { BenchFigure } from './figures';

const SAMPLES = path.resolve(__dirname, '../../samples/litware');
const LOGS = 288;
const EVERY_MINUTES = 5;
const RUNS = 3;

/** Time spent inside the ports, in all and per SQL call. */
interface Spent {
  ms: number;
  readonly sqlCalls: number[];
}

function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** Wraps every port method to add the time spent inside it to `spent.ms` (and each SQL call's to `spent.sqlCalls`). */
function timed(ports: EnginePorts, spent: Spent): EnginePorts {
  const wrap = <T extends object>(target: T, calls?: number[]): T =>
    new Proxy(target, {
      get(t, key, receiver) {
        const value = Reflect.get(t, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const start = performance.now();
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(t, args);
          } finally {
            const ms = performance.now() - start;
            spent.ms += ms;
            calls?.push(ms);
          }
        };
      },
    });
  return { sql: wrap(ports.sql, spent.sqlCalls), shell: wrap(ports.shell), files: wrap(ports.files) };
}

interface Rehearsed {
  readonly totalMs: number;
  readonly overheadMs: number;
  readonly applied: number;
  readonly sqlCalls: readonly number[];
}

async function rehearse(estate: Estate, plan: RunPlan, runbookFile: string): Promise<Rehearsed> {
  // A healthy day of log shipping whose restore job never caught up, then the Atlanta data center goes dark.
  const rehearsal = await startRehearsal(estate, { scenario: 'steady', progressDelayMs: 0, timing: { backupEveryMinutes: EVERY_MINUTES, copyLagMinutes: 12, restoreLagMinutes: 100_000 } });
  const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-bench-'));
  try {
    rehearsal.lab.advance(LOGS * EVERY_MINUTES - 60);
    for (const id of ['atl-pcsql', 'atl-pcsqlm']) rehearsal.lab.model.setReachable(id, false);

    const spent: Spent = { ms: 0, sqlCalls: [] };
    let applyStart = 0;
    let applyEnd = 0;
    let applyPortMs = 0;
    let applied = 0;
    const onEvent = (e: RunEvent) => {
      if (e.type === 'step-started' && e.stepId === 'apply-logs') [applyStart, applyPortMs] = [performance.now(), spent.ms];
      if (e.type === 'step-finished' && e.stepId === 'apply-logs') [applyEnd, applyPortMs] = [performance.now(), spent.ms - applyPortMs];
      if (e.type === 'output' && e.line.endsWith('applied WITH NORECOVERY')) applied++;
    };
    const journal = await new FileJournalStore({ directory: journalDir }).open(runbookFile);
    const start = performance.now();
    const result = await runRunbook(plan, { ports: timed(rehearsal.wiring.ports, spent), journal, mode: 'rehearsal', confirm: async () => true, onEvent, wait: async (ms) => rehearsal.lync.clock.advance(ms) });
    const total = performance.now() - start;
    await journal.close();
    if (result.outcome !== 'completed') throw new Error(`the rehearsal failed: ${result.failure?.message}`);
    if (applied < LOGS) throw new Error(`expected at least ${LOGS} log backups applied, got ${applied}`);
    const overhead = (applyEnd - applyStart - applyPortMs) / applied;
    console.log(
      `engine: PC failover with ${applied} unapplied log backups in ${(total / 1000).toFixed(1)} s; engine overhead ${overhead.toFixed(2)} ms per log; ` +
        `${spent.sqlCalls.length} SQL calls, median ${median(spent.sqlCalls).toFixed(2)} ms`,
    );
    return { totalMs: total, overheadMs: overhead, applied, sqlCalls: spent.sqlCalls };
  } finally {
    await rehearsal.stop();
    fs.rmSync(journalDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchFigure[]> {
  const estateFile = path.join(SAMPLES, 'lync-estate.yaml');
  const estate = parseEstate(fs.readFileSync(estateFile, 'utf8'), estateFile).estate!;
  const runbookFile = path.join(SAMPLES, 'persistent-chat-failover.runbook.md');
  const runbook = parseRunbook(fs.readFileSync(runbookFile, 'utf8'), { powershell: await loadPowerShellParser(grammarFiles) });
  const plan = planRunbook(runbook, estate, runbookFile);
  const runs: Rehearsed[] = [];
  for (let k = 0; k < RUNS; k++) runs.push(await rehearse(estate, plan, runbookFile));
  const applied = Math.min(...runs.map((r) => r.applied));
  return [
    { name: `engine: rehearsed PC failover, ${applied} log backups (median of ${RUNS})`, value: Math.round(median(runs.map((r) => r.totalMs)) / 100) / 10, unit: 's', limit: 8 },
    { name: `engine: overhead per applied log (median of ${RUNS})`, value: Math.round(median(runs.map((r) => r.overheadMs)) * 100) / 100, unit: 'ms', limit: 2 },
    { name: 'lab: SQL round trip during the rehearsals (median of every call)', value: Math.round(median(runs.flatMap((r) => r.sqlCalls)) * 100) / 100, unit: 'ms', limit: 3 },
  ];
}
