/**
 * Runbook checking figures (issues 4 and 15): checking a 200-line and a 10,000-line runbook after
 * an edit to one block (p95); over JSON-RPC against the built server, for both sizes, the first
 * diagnostics after didOpen, the edit → diagnostics round trip (p95) and the server's peak memory.
 *
 * "After an edit" is what the language server does on a keystroke: parse with the previous
 * version's runbook (`previous`), then check. The same edits parsed from scratch (markdown-it on the
 * whole text; what the CLI does) are reported beside them, without a limit. Samples are spaced by a
 * 1 ms pause (a server is idle between keystrokes). Each figure shows its median too, and the load
 * average at the start: the machine may be shared.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { parseEstate } from '../../src/core/estate/load';
import { parseRunbook, type Runbook } from '../../src/core/runbook';
import { checkRunbook } from '../../src/core/rules';
import { processMemoryMb, startClient } from '../lsp/client';
import { runbookOf } from '../unit/runbook/generate';
import { powershellParser } from '../unit/runbook/grammar';
import type { BenchFigure } from './figures';

const ROOT = path.resolve(__dirname, '../..');
const ESTATE_YAML = fs.readFileSync(path.join(ROOT, 'samples/litware/lync-estate.yaml'), 'utf8');

const p95 = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.ceil(samples.length * 0.95) - 1]!;
const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[samples.length >> 1]!;
const ms = (n: number) => `${n.toFixed(2)} ms`;
const idle = () => new Promise((resolve) => setTimeout(resolve, 1));

/** The line of the last PowerShell cmdlet line: edits alternate its text so one block re-parses. */
const lastCommandLine = (text: string) => text.split('\n').map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('Set-CsPersistentChatState')).pop()![1];

async function checkFigures(lines: number, limit: number): Promise<BenchFigure[]> {
  const powershell = await powershellParser();
  const estate = parseEstate(ESTATE_YAML, 'lync-estate.yaml').estate!;
  const base = runbookOf(lines).split('\n');
  const at = lastCommandLine(base.join('\n'));
  // Short checks need many samples for a stable p95; the first runs warm the JIT and the caches.
  const [runs, warmup] = lines <= 1000 ? [2000, 400] : [300, 60];
  const measure = async (incremental: boolean): Promise<number[]> => {
    const samples: number[] = [];
    let previous: Runbook | undefined;
    for (let i = 0; i < runs; i++) {
      // A keystroke finds the server idle: pause between samples, as an editor does. A CPU-bound
      // loop would measure the scheduler's time slices on a shared machine more than the check.
      await idle();
      const edited = [...base];
      edited[at] = `${base[at]} -Force:$${i % 2 === 0}`;
      const text = edited.join('\n');
      const start = performance.now();
      const runbook = parseRunbook(text, { powershell, ...(incremental && previous ? { previous } : {}) });
      checkRunbook(runbook, { estate });
      if (i >= warmup) samples.push(performance.now() - start);
      previous = runbook;
    }
    return samples;
  };
  const edit = await measure(true);
  const scratch = await measure(false);
  const size = lines.toLocaleString('en');
  return [
    { name: `check a ${size}-line runbook after an edit (p95; median ${ms(median(edit))})`, value: p95(edit), unit: 'ms', limit },
    { name: `  the same, parsed from scratch (p95; median ${ms(median(scratch))})`, value: p95(scratch), unit: 'ms' },
  ];
}

/**
 * Over JSON-RPC against the built server: first diagnostics after didOpen (a fresh server each
 * time, started and initialised before the clock starts; median of 5), then the edit →
 * diagnostics round trip (p95) and the memory after opening and editing.
 */
async function serverFigures(lines: number, limits: { open: number; edit: number; peakMb?: number }): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-bench-'));
  fs.writeFileSync(path.join(dir, 'lync-estate.yaml'), ESTATE_YAML);
  const text = runbookOf(lines);
  const uri = pathToFileURL(path.join(dir, 'big.runbook.md')).toString();
  const size = lines.toLocaleString('en');
  try {
    const opens: number[] = [];
    for (let i = 0; i < 5; i++) {
      const client = await startClient();
      try {
        // The grammar loads while the server starts, as when the editor opens a runbook at once.
        const start = performance.now();
        await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'markdown', version: 1, text } });
        await client.diagnostics(uri, (p) => p.version === 1);
        opens.push(performance.now() - start);
      } finally {
        await client.stop();
      }
    }
    const client = await startClient();
    try {
      let version = 1;
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'markdown', version, text } });
      await client.diagnostics(uri, (p) => p.version === version);
      const line = lastCommandLine(text);
      const character = text.split('\n')[line]!.length;
      const samples: number[] = [];
      for (let i = 0; i < 105; i++) {
        version++;
        const insert = i % 2 === 0 ? ' -Force' : '';
        const removeLength = i % 2 === 0 ? 0 : ' -Force'.length;
        const start = performance.now();
        await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
          textDocument: { uri, version },
          contentChanges: [{ range: { start: { line, character }, end: { line, character: character + removeLength } }, text: insert }],
        });
        await client.diagnostics(uri, (p) => p.version === version);
        if (i >= 5) samples.push(performance.now() - start);
      }
      const memory = processMemoryMb(client.process.pid!);
      return [
        { name: `didOpen → first diagnostics over JSON-RPC, ${size}-line runbook (median of 5; fresh server)`, value: median(opens), unit: 'ms', limit: limits.open },
        { name: `edit → diagnostics over JSON-RPC, ${size}-line runbook (p95; median ${ms(median(samples))})`, value: p95(samples), unit: 'ms', limit: limits.edit },
        { name: `server peak memory (VmHWM), ${size}-line runbook opened and edited 105 times`, value: memory.peak, unit: 'MB', ...(limits.peakMb ? { limit: limits.peakMb } : {}) },
      ];
    } finally {
      await client.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchFigure[]> {
  const load = os.loadavg()[0]!.toFixed(1);
  const figures = [
    ...(await checkFigures(200, 2)),
    ...(await checkFigures(10_000, 40)),
    ...(await serverFigures(200, { open: 60, edit: 15 })),
    ...(await serverFigures(10_000, { open: 250, edit: 35, peakMb: 130 })),
  ];
  return [...figures, { name: `load average when the runbook figures started (${os.cpus().length} CPUs)`, value: Number(load), unit: '' }];
}
