/**
 * The language server under seeded edit sequences over JSON-RPC (issue 18): every sequence's
 * edits are sent as an editor sends them, with hover, completion and symbol requests in between;
 * the diagnostics after the last edit must equal those of the final text opened fresh (incremental
 * parsing may not change the verdict). Then keystrokes in a 200-line PowerShell block: the
 * server's resident memory after the 10th and after the last (a leak showed as ~0.8 MB each).
 * Needs the built server (dist/server.js).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CompletionRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  HoverRequest,
  LogMessageNotification,
  MessageType,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { processMemoryMb, startClient, type TestClient } from '../lsp/client';
import { fuzzEdits, runbookWithBlock, type FuzzEdit } from './generate';

export interface ServerFuzzOptions {
  readonly seed: number;
  readonly sequences: number;
  readonly editsPerSequence: number;
  /** Keystrokes typed in the 200-line block (0: no memory figure). */
  readonly keystrokes: number;
  /** After which keystroke the baseline RSS is read (the figure: 10). */
  readonly baselineAt?: number;
  /** A round trip (edit or request → answer) longer than this is reported as slow. */
  readonly slowMs: number;
}

export interface ServerFuzzSummary {
  readonly edits: number;
  readonly requests: number;
  /** Server errors, failed requests and verdicts that differ from a fresh open. */
  readonly errors: readonly string[];
  readonly slow: readonly string[];
  readonly slowestMs: number;
  /** RSS after the `baselineAt`-th keystroke. */
  readonly rssBaselineMb?: number;
  readonly rssAfterAllMb?: number;
  readonly peakRssMb: number;
}

const verdict = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code} ${d.message}`).sort();

export async function fuzzServer(options: ServerFuzzOptions, log: (line: string) => void = () => undefined): Promise<ServerFuzzSummary> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-fuzz-lsp-'));
  fs.copyFileSync(path.resolve(__dirname, '../../samples/litware/lync-estate.yaml'), path.join(dir, 'lync-estate.yaml'));
  const client = await startClient();
  const errors: string[] = [];
  const slow: string[] = [];
  let slowestMs = 0;
  let edits = 0;
  let requests = 0;
  client.connection.onNotification(LogMessageNotification.type, (m) => {
    if (m.type === MessageType.Error) errors.push(`server: ${m.message}`);
  });
  let stopping = false;
  client.process.once('exit', (code) => stopping || errors.push(`the server exited (code ${code})`));
  const timed = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    const ms = performance.now() - start;
    slowestMs = Math.max(slowestMs, ms);
    if (ms > options.slowMs) {
      slow.push(`${what}: ${ms.toFixed(0)} ms`);
      log(`SLOW ${what}: ${ms.toFixed(0)} ms`);
    }
    return result;
  };
  const open = async (uri: string, text: string) => {
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    return client.diagnostics(uri, (p) => p.version === 1);
  };
  const change = (uri: string, version: number, e: FuzzEdit) => {
    edits++;
    return client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [e] });
  };
  const close = (uri: string) => client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  try {
    for (let s = 0; s < options.sequences; s++) {
      const sequence = fuzzEdits(options.seed, s, options.editsPerSequence);
      const uri = pathToFileURL(path.join(dir, `fuzz-${s}.runbook.md`)).toString();
      await timed(`${sequence.name} open`, () => open(uri, sequence.text));
      let version = 1;
      for (const [i, e] of sequence.edits.entries()) {
        const v = ++version;
        await change(uri, v, e);
        // Bursts of ten keystrokes, then wait for the diagnostics of the last and ask what an editor asks.
        if (i % 10 !== 9 && i !== sequence.edits.length - 1) continue;
        await timed(`${sequence.name} edit ${i + 1}`, () => client.diagnostics(uri, (p) => p.version === v));
        const position = e.range.start;
        const asked: [string, () => Promise<unknown>][] = [
          ['hover', () => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position })],
          ['completion', () => client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position })],
          ['symbols', () => client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })],
        ];
        for (const [name, request] of asked) {
          requests++;
          await timed(`${sequence.name} ${name} after edit ${i + 1}`, request).catch((err: unknown) => errors.push(`${sequence.name}: ${name} after edit ${i + 1} failed: ${String(err)}`));
        }
      }
      const incremental = await client.diagnostics(uri, (p) => p.version === version);
      const freshUri = pathToFileURL(path.join(dir, `fresh-${s}.runbook.md`)).toString();
      const fresh = await open(freshUri, sequence.final);
      if (JSON.stringify(verdict(incremental.diagnostics)) !== JSON.stringify(verdict(fresh.diagnostics))) errors.push(`${sequence.name}: after ${sequence.edits.length} edits the diagnostics differ from the final text opened fresh`);
      await close(uri);
      await close(freshUri);
      log(`${s + 1}/${options.sequences} sequences, ${edits} edits, ${errors.length} errors`);
    }
    const memory = options.keystrokes > 0 ? await typeInBlock(client, dir, options.keystrokes, options.baselineAt ?? 10, log) : {};
    return { edits, requests, errors, slow, slowestMs: Math.round(slowestMs), ...memory, peakRssMb: Math.round(processMemoryMb(client.process.pid!).peak) };
  } finally {
    stopping = true;
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Types `keystrokes` characters into the middle of a 200-line PowerShell block, each to its diagnostics. */
async function typeInBlock(client: TestClient, dir: string, keystrokes: number, baselineAt: number, log: (line: string) => void): Promise<{ rssBaselineMb: number; rssAfterAllMb: number }> {
  const { text, line } = runbookWithBlock(200);
  const uri = pathToFileURL(path.join(dir, 'typing.runbook.md')).toString();
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'markdown', version: 1, text } });
  const typed = ' -Verbose:$true # and more';
  let character = text.split('\n')[line]!.length;
  let rssBaselineMb = NaN;
  for (let k = 1; k <= keystrokes; k++) {
    // Type the phrase, then delete it again key by key, so the block keeps its size.
    const phase = (k - 1) % (2 * typed.length);
    const typing = phase < typed.length;
    const edit: FuzzEdit = typing
      ? { range: { start: { line, character }, end: { line, character } }, text: typed[phase]! }
      : { range: { start: { line, character: character - 1 }, end: { line, character } }, text: '' };
    character += typing ? 1 : -1;
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: k + 1 }, contentChanges: [edit] });
    await client.diagnostics(uri, (p) => p.version === k + 1);
    if (k === baselineAt) rssBaselineMb = processMemoryMb(client.process.pid!).rss;
    if (k % 100 === 0) log(`${k}/${keystrokes} keystrokes, server RSS ${processMemoryMb(client.process.pid!).rss.toFixed(0)} MB`);
  }
  const rssAfterAllMb = processMemoryMb(client.process.pid!).rss;
  await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  return { rssBaselineMb, rssAfterAllMb };
}
