/**
 * The recovery engine end to end (issue 5): a rehearsed Persistent Chat failover with 288
 * unapplied log backups (a day of 5-minute backups) through the real adapters, ≤ 20 s; and the
 * engine's own time per applied log — the apply step's wall time minus the time spent inside the
 * ports (adapters + lab) — ≤ 5 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FileJournalStore } from '../../src/adapters/journal';
import { startRehearsal } from '../../src/cli/rehearse';
import { parseEstate } from '../../src/core/estate/load';
import { planRunbook, runRunbook, type EnginePorts, type RunEvent } from '../../src/core/recovery';
import { loadPowerShellParser, parseRunbook } from '../../src/core/runbook';
import { grammarFiles } from '../../src/adapters/grammar';
import type { BenchFigure } from './figures';

const SAMPLES = path.resolve(__dirname, '../../samples/litware');
const LOGS = 288;
const EVERY_MINUTES = 5;

/** Wraps every port method to add the time spent inside it to `spent.ms`. */
function timed(ports: EnginePorts, spent: { ms: number }): EnginePorts {
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, key, receiver) {
        const value = Reflect.get(t, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const start = performance.now();
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(t, args);
          } finally {
            spent.ms += performance.now() - start;
          }
        };
      },
    });
  return { sql: wrap(ports.sql), shell: wrap(ports.shell), files: wrap(ports.files) };
}

export async function run(): Promise<BenchFigure[]> {
  const estateFile = path.join(SAMPLES, 'lync-estate.yaml');
  const estate = parseEstate(fs.readFileSync(estateFile, 'utf8'), estateFile).estate!;
  const runbookFile = path.join(SAMPLES, 'persistent-chat-failover.runbook.md');
  const runbook = parseRunbook(fs.readFileSync(runbookFile, 'utf8'), { powershell: await loadPowerShellParser(grammarFiles) });
  const plan = planRunbook(runbook, estate, runbookFile);

  // A healthy day of log shipping whose restore job never caught up, then the Atlanta data center goes dark.
  const rehearsal = await startRehearsal(estate, { scenario: 'steady', progressDelayMs: 0, timing: { backupEveryMinutes: EVERY_MINUTES, copyLagMinutes: 12, restoreLagMinutes: 100_000 } });
  const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-bench-'));
  try {
    rehearsal.lab.advance(LOGS * EVERY_MINUTES - 60);
    for (const id of ['atl-pcsql', 'atl-pcsqlm']) rehearsal.lab.model.setReachable(id, false);

    const spent = { ms: 0 };
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
    console.log(`engine: PC failover with ${applied} unapplied log backups in ${(total / 1000).toFixed(1)} s; engine overhead ${overhead.toFixed(2)} ms per log`);
    return [
      { name: `engine: rehearsed PC failover, ${applied} log backups`, value: Math.round(total / 100) / 10, unit: 's', limit: 20 },
      { name: 'engine: overhead per applied log', value: Math.round(overhead * 100) / 100, unit: 'ms', limit: 5 },
    ];
  } finally {
    await rehearsal.stop();
    fs.rmSync(journalDir, { recursive: true, force: true });
  }
}
