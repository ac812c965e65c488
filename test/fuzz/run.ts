/**
 * Runs mutated runbooks and estates (generate.ts) through what `lint` does — parse, check, and the
 * estate a runbook names — and prints documents, crashes, slow documents and peak memory; then
 * edit sequences and 1,000 keystrokes through the built language server (server.ts).
 *   npm run fuzz [-- --seed N --count N --sequences N]   (default: seed 4242, 2,000 documents, 50 sequences of 200 edits)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { grammarFiles } from '../../src/adapters/grammar';
import { checkEstate } from '../../src/core/estate/checks';
import { parseEstate } from '../../src/core/estate/load';
import { loadPowerShellParser, parseRunbook, type PowerShellParser } from '../../src/core/runbook';
import { checkRunbook } from '../../src/core/rules';
import { EstateStore } from '../../src/server/estates';
import { fuzzDocument } from './generate';
import { fuzzServer } from './server';

/** The bar: no document may take longer. */
export const SLOW_MS = 2000;
/** The bar: the server's RSS after 1,000 keystrokes in a 200-line block, over its RSS after 10. */
export const RSS_GROWTH_LIMIT_MB = 20;

export interface FuzzSummary {
  readonly documents: number;
  readonly crashes: readonly string[];
  readonly slow: readonly string[];
  readonly peakRssMb: number;
  readonly slowestMs: number;
}

export async function fuzz(seed: number, count: number, log: (line: string) => void = () => undefined): Promise<FuzzSummary> {
  const powershell: PowerShellParser = await loadPowerShellParser(grammarFiles);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-fuzz-'));
  fs.copyFileSync(path.resolve(__dirname, '../../samples/litware/lync-estate.yaml'), path.join(dir, 'lync-estate.yaml'));
  const crashes: string[] = [];
  const slow: string[] = [];
  let peak = process.memoryUsage().rss;
  let slowestMs = 0;
  try {
    for (let i = 0; i < count; i++) {
      const doc = fuzzDocument(seed, i);
      const started = performance.now();
      try {
        if (doc.kind === 'runbook') {
          const runbook = parseRunbook(doc.text, { powershell });
          const named = runbook.frontMatter?.entries.find((e) => e.key === 'estate')?.value;
          checkRunbook(runbook, named ? new EstateStore().input(path.resolve(dir, named)) : {});
        } else {
          const loaded = parseEstate(doc.text, 'lync-estate.yaml');
          if (loaded.estate) checkEstate(loaded.estate, loaded.source);
        }
      } catch (error) {
        crashes.push(`${doc.name}: ${error instanceof Error ? error.message : String(error)}`);
        log(`CRASH ${doc.name}: ${String(error)}`);
      }
      const ms = performance.now() - started;
      slowestMs = Math.max(slowestMs, ms);
      if (ms > SLOW_MS) {
        slow.push(`${doc.name}: ${ms.toFixed(0)} ms`);
        log(`SLOW ${doc.name}: ${ms.toFixed(0)} ms`);
      }
      peak = Math.max(peak, process.memoryUsage().rss);
      if ((i + 1) % 100 === 0) log(`${i + 1}/${count} documents, peak RSS ${(peak / 1048576).toFixed(0)} MB`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { documents: count, crashes, slow, peakRssMb: Math.round(peak / 1048576), slowestMs: Math.round(slowestMs) };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const seed = option('--seed', 4242);
  const count = option('--count', 2000);
  const sequences = option('--sequences', 50);
  void (async () => {
    const s = await fuzz(seed, count, (l) => console.log(l));
    console.log(`fuzz seed ${seed}: ${s.documents} documents, ${s.crashes.length} crashes, ${s.slow.length} over ${SLOW_MS} ms (slowest ${s.slowestMs} ms), peak RSS ${s.peakRssMb} MB`);
    const lsp = await fuzzServer({ seed, sequences, editsPerSequence: 200, keystrokes: 1000, slowMs: SLOW_MS }, (l) => console.log(l));
    for (const e of lsp.errors) console.log(`ERROR ${e}`);
    const growth = lsp.rssAfterAllMb! - lsp.rssBaselineMb!;
    console.log(`language server seed ${seed}: ${lsp.edits} edits and ${lsp.requests} requests, ${lsp.errors.length} errors, ${lsp.slow.length} over ${SLOW_MS} ms (slowest ${lsp.slowestMs} ms), peak RSS ${lsp.peakRssMb} MB`);
    console.log(`  RSS after keystroke 10 in a 200-line block ${lsp.rssBaselineMb!.toFixed(1)} MB, after 1,000 ${lsp.rssAfterAllMb!.toFixed(1)} MB: ${growth.toFixed(1)} MB (limit ${RSS_GROWTH_LIMIT_MB} MB)`);
    process.exitCode = s.crashes.length || s.slow.length || lsp.errors.length || lsp.slow.length || growth > RSS_GROWTH_LIMIT_MB ? 1 : 0;
  })();
}
