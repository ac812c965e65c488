/**
 * A sample of the language-server fuzz (test/fuzz/server.ts; `npm run fuzz` runs 50 sequences of
 * 200 edits and 1,000 keystrokes): seeded edit sequences with hover, completion and symbol requests
 * raise no server error, and the diagnostics after the last edit equal those of the final text
 * opened fresh. Then 300 keystrokes in a 200-line PowerShell block, RSS read after the 100th
 * (the parse caches, bounded at ~20 MB, are full by then) and the 300th: the leak this guards
 * against grew the server ~0.8 MB per keystroke (~160 MB here); 20 MB is the bar. The
 * issue's own figure (after 10 and after 1,000) is printed by `npm run fuzz`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RSS_GROWTH_LIMIT_MB } from '../fuzz/run';
import { fuzzServer } from '../fuzz/server';

test('seeded LSP edit sequences: no error, incremental verdict = fresh verdict, memory flat once the caches are full', async () => {
  const s = await fuzzServer({ seed: 18, sequences: 4, editsPerSequence: 60, keystrokes: 300, baselineAt: 100, slowMs: 10_000 });
  const growth = s.rssAfterAllMb! - s.rssBaselineMb!;
  console.log(`lsp fuzz sample: ${s.edits} edits, ${s.requests} requests, ${s.errors.length} errors, slowest ${s.slowestMs} ms, RSS ${s.rssBaselineMb!.toFixed(1)} → ${s.rssAfterAllMb!.toFixed(1)} MB, peak ${s.peakRssMb} MB`);
  assert.deepEqual(s.errors, []);
  assert.deepEqual(s.slow, []);
  assert.ok(growth <= RSS_GROWTH_LIMIT_MB, `server RSS grew ${growth.toFixed(1)} MB from keystroke 100 to 300`);
});
