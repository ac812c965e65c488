/**
 * Runbook checking figures (issue 4): checking a 200-line and a 10,000-line runbook after an edit
 * to one block (p95), the edit → diagnostics round trip over JSON-RPC against the built server on
 * the 10,000-line file (p95), and the server's resident memory after opening it.
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
import { startClient } from '../lsp/client';
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

async function serverFigures(): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-bench-'));
  fs.writeFileSync(path.join(dir, 'lync-estate.yaml'), ESTATE_YAML);
  const text = runbookOf(10_000);
  const uri = pathToFileURL(path.join(dir, 'big.runbook.md')).toString();
  const client = await startClient();
  try {
    let version = 1;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'markdown', version, text } });
    await client.diagnostics(uri, (p) => p.version === version);
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${client.process.pid}/status`, 'utf8'))?.[1] ?? NaN);
    const line = lastCommandLine(text);
    const samples: number[] = [];
    for (let i = 0; i < 105; i++) {
      version++;
      const insert = i % 2 === 0 ? ' -Force' : '';
      const removeLength = i % 2 === 0 ? 0 : ' -Force'.length;
      const character = text.split('\n')[line]!.length;
      const start = performance.now();
      await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line, character }, end: { line, character: character + removeLength } }, text: insert }],
      });
      await client.diagnostics(uri, (p) => p.version === version);
      if (i >= 5) samples.push(performance.now() - start);
    }
    return [
      { name: `edit → diagnostics over JSON-RPC, 10,000-line runbook (p95; median ${ms(median(samples))})`, value: p95(samples), unit: 'ms', limit: 80 },
      { name: 'server memory after opening the 10,000-line runbook', value: rssKb / 1024, unit: 'MB', limit: 150 },
    ];
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchFigure[]> {
  const load = os.loadavg()[0]!.toFixed(1);
  const figures = [...(await checkFigures(200, 2)), ...(await checkFigures(10_000, 40)), ...(await serverFigures())];
  return [...figures, { name: `load average when the runbook figures started (${os.cpus().length} CPUs)`, value: Number(load), unit: '' }];
}
