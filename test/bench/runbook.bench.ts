/**
 * Runbook checking figures (issue 4): checking a 200-line and a 10,000-line runbook after an edit
 * to one block (p95), the edit → diagnostics round trip over JSON-RPC against the built server on
 * the 10,000-line file (p95), and the server's resident memory after opening it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { parseEstate } from '../../src/core/estate/load';
import { parseRunbook } from '../../src/core/runbook';
import { checkRunbook } from '../../src/core/rules';
import { startClient } from '../lsp/client';
import { powershellParser } from '../unit/runbook/grammar';
import type { BenchFigure } from './figures';

const ROOT = path.resolve(__dirname, '../..');
const SAMPLE = fs.readFileSync(path.join(ROOT, 'samples/litware/persistent-chat-failover.runbook.md'), 'utf8');
const ESTATE_YAML = fs.readFileSync(path.join(ROOT, 'samples/litware/lync-estate.yaml'), 'utf8');

/** The failover sample's steps repeated (with unique ids) until the runbook has `lines` lines. */
function runbookOf(lines: number): string {
  const [front, body] = [SAMPLE.slice(0, SAMPLE.indexOf('## ')), SAMPLE.slice(SAMPLE.indexOf('## '))];
  const out = [front];
  let count = front.split('\n').length;
  for (let i = 0; count < lines; i++) {
    const chunk = body.replace(/\{#([a-z-]+)\}/g, `{#$1-${i}}`);
    out.push(chunk);
    count += chunk.split('\n').length;
  }
  return out.join('').split('\n').slice(0, lines).join('\n');
}

const p95 = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.ceil(samples.length * 0.95) - 1]!;

/** The line of the last PowerShell cmdlet line: edits alternate its text so one block re-parses. */
const lastCommandLine = (text: string) => text.split('\n').map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('Set-CsPersistentChatState')).pop()![1];

async function checkFigure(lines: number, limit: number): Promise<BenchFigure> {
  const powershell = await powershellParser();
  const estate = parseEstate(ESTATE_YAML, 'lync-estate.yaml').estate!;
  const base = runbookOf(lines).split('\n');
  const at = lastCommandLine(base.join('\n'));
  const samples: number[] = [];
  // Short checks need many samples for a stable p95; the first runs warm the JIT and the caches.
  const [runs, warmup] = lines <= 1000 ? [400, 100] : [80, 20];
  for (let i = 0; i < runs; i++) {
    const edited = [...base];
    edited[at] = `${base[at]} -Force:$${i % 2 === 0}`;
    const text = edited.join('\n');
    const start = performance.now();
    checkRunbook(parseRunbook(text, { powershell }), { estate });
    if (i >= warmup) samples.push(performance.now() - start);
  }
  return { name: `check a ${lines.toLocaleString('en')}-line runbook after an edit (p95)`, value: p95(samples), unit: 'ms', limit };
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
    for (let i = 0; i < 50; i++) {
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
      { name: 'edit → diagnostics over JSON-RPC, 10,000-line runbook (p95)', value: p95(samples), unit: 'ms', limit: 80 },
      { name: 'server memory after opening the 10,000-line runbook', value: rssKb / 1024, unit: 'MB', limit: 150 },
    ];
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchFigure[]> {
  return [await checkFigure(200, 2), await checkFigure(10_000, 40), ...(await serverFigures())];
}
