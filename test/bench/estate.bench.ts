/**
 * Loading and checking a large estate: 500 pools, 5,000 servers, 1,000 SQL instances; and editing
 * it in the language server over JSON-RPC, with a runbook that names it open (issue 15).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { checkEstate } from '../../src/core/estate/checks';
import { parseEstate } from '../../src/core/estate/load';
import { readYamlDocument } from '../../src/core/estate/yaml-document-reader';
import { childrenOf, estateNodes } from '../../src/extension/estateTree/model';
import { generateEstateYaml, LARGE_ESTATE } from './estate-fixture';
import { medianMs, type BenchFigure } from './figures';
import { startClient } from '../lsp/client';

const EDITS = 65;
const WARMUP = 5;

/** Keystrokes in the `site:` of a pool in the middle of the file, each timed to its diagnostics (p95). */
async function serverEditP95(text: string): Promise<{ p95: number; median: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-bench-estate-'));
  const estateFile = path.join(dir, 'lync-estate.yaml');
  fs.writeFileSync(estateFile, text);
  const runbook = fs.readFileSync(path.resolve(__dirname, '../../samples/litware/persistent-chat-failover.runbook.md'), 'utf8');
  const uri = pathToFileURL(estateFile).toString();
  const runbookUri = pathToFileURL(path.join(dir, 'failover.runbook.md')).toString();
  const client = await startClient();
  try {
    let version = 1;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: runbookUri, languageId: 'markdown', version: 1, text: runbook } });
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version, text } });
    await client.diagnostics(uri, (p) => p.version === version);
    const lines = text.split('\n');
    const siteLines = lines.flatMap((l, i) => (l.startsWith('    site: ') ? [i] : []));
    const line = siteLines[siteLines.length >> 1]!;
    const character = lines[line]!.length;
    const samples: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      version++;
      const typed = i % 2 === 0;
      const start = performance.now();
      await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line, character }, end: { line, character: character + (typed ? 0 : 1) } }, text: typed ? 'x' : '' }],
      });
      await client.diagnostics(uri, (p) => p.version === version);
      if (i >= WARMUP) samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    return { p95: samples[Math.ceil(samples.length * 0.95) - 1]!, median: samples[samples.length >> 1]! };
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchFigure[]> {
  const text = generateEstateYaml();
  const loadAndCheck = () => {
    const { estate, source, problems } = parseEstate(text, 'lync-estate.yaml');
    if (!estate || problems.length > 0 || checkEstate(estate, source).length > 0) throw new Error('the bench estate should load and check clean');
  };
  const loaded = parseEstate(text, 'lync-estate.yaml');
  // What the Estate view computes when it first shows: the sites, then every site's pools.
  const firstTwoLevels = () => estateNodes(loaded.estate!).flatMap(childrenOf);
  const edit = await serverEditP95(text);
  const what = `${LARGE_ESTATE.pools} pools, ${LARGE_ESTATE.servers.toLocaleString('en-US')} servers`;
  return [
    { name: `estate size (${what})`, value: Math.round(text.length / 1024), unit: 'KiB' },
    { name: 'parseEstate + checkEstate, median', value: medianMs(loadAndCheck), unit: 'ms', limit: 150 },
    { name: 'Estate view: first two tree levels, median', value: medianMs(firstTwoLevels), unit: 'ms', limit: 20 },
    // What a file outside the fast reader's subset (anchors, block scalars…) costs to read.
    { name: 'same text through the yaml Document API, median', value: medianMs(() => readYamlDocument(text), { runs: 5, warmup: 2 }), unit: 'ms' },
    { name: `language server: estate edit → its diagnostics over JSON-RPC (p95; median ${edit.median.toFixed(1)} ms)`, value: edit.p95, unit: 'ms', limit: 30 },
  ];
}
