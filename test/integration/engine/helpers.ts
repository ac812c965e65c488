/** Rehearsal lab + real adapters + a file journal, for the engine's end-to-end tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileJournalStore } from '../../../src/adapters/journal';
import { startRehearsal, scenarioFor, type Rehearsal } from '../../../src/cli/rehearse';
import { parseEstate } from '../../../src/core/estate/load';
import type { Estate } from '../../../src/core/estate/model';
import { planRunbook, runRunbook, type RunEvent, type RunOptions, type RunPlan, type RunResult } from '../../../src/core/recovery';
import { parseRunbook } from '../../../src/core/runbook';
import { powershellParser } from '../../unit/runbook/grammar';

export const SAMPLES = path.resolve(__dirname, '../../../samples/litware');

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
export async function harness(kind: RunPlan['kind'], options: { faults?: string[]; timing?: Record<string, number> } = {}, estate = litwareEstate()): Promise<Harness> {
  const rehearsal = await startRehearsal(estate, { scenario: scenarioFor(kind), progressDelayMs: 0, ...(options.faults ? { faults: options.faults } : {}), ...(options.timing ? { timing: options.timing } : {}) });
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
export function restoredLogs(rehearsal: Rehearsal, instanceId: string, database: string): string[] {
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
