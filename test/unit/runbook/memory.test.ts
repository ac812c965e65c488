/**
 * No memory growth across edits: typing in a 200-line PowerShell block cost ~0.8 MB per keystroke
 * (75 MB → 898 MB after 1,000 keystrokes in the language server), because every version of the
 * block stayed cached. The heap after 1,000 keystrokes stays within 20 MB of the heap after 10.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parseEstate } from '../../../src/core/estate/load';
import { BoundedCache } from '../../../src/core/runbook/bounded-cache';
import { parseRunbook, type Runbook } from '../../../src/core/runbook';
import { checkRunbook } from '../../../src/core/rules';
import { powershellParser } from './grammar';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const SAMPLES = path.resolve(__dirname, '../../../samples/litware');

test('the cache drops the least recently used entries past its character budget', () => {
  const cache = new BoundedCache<number>(10);
  cache.set('aaaa', 1);
  cache.set('bbbb', 2);
  assert.equal(cache.get('aaaa'), 1); // now the most recently used
  cache.set('cccc', 3);
  assert.deepEqual([cache.get('aaaa'), cache.get('bbbb'), cache.get('cccc')], [1, undefined, 3]);
  assert.equal(cache.chars, 8);
  cache.set('x'.repeat(20), 4); // larger than the budget: kept alone, as the newest
  assert.deepEqual([cache.get('aaaa'), cache.get('x'.repeat(20))], [undefined, 4]);
});

test('1,000 keystrokes in a 200-line PowerShell block: the heap stays within 20 MB of where it was after 10', async () => {
  const powershell = await powershellParser();
  const estate = parseEstate(fs.readFileSync(path.join(SAMPLES, 'lync-estate.yaml'), 'utf8'), 'lync-estate.yaml').estate!;
  const block = Array.from({ length: 200 }, (_, i) => `Set-CsPersistentChatState -Identity "service:atl-pchat-001.litwareinc.com" -PoolState FailedOver # ${i}`).join('\n');
  const base = fs.readFileSync(path.join(SAMPLES, 'persistent-chat-failover.runbook.md'), 'utf8').replace(/^## /m, () => `## Long block {#long}\n\n\`\`\`powershell\n${block}\n\`\`\`\n\n## `);
  const at = base.indexOf('# 100\n') + 5;
  let previous: Runbook | undefined;
  let typed = '';
  const keystroke = (i: number) => {
    // Typing a comment at the end of line 100, one character at a time, as the editor sends it.
    typed += String.fromCharCode(97 + (i % 26));
    const text = base.slice(0, at) + typed + base.slice(at);
    previous = parseRunbook(text, { powershell, ...(previous ? { previous } : {}) });
    checkRunbook(previous, { estate });
  };
  const heap = () => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  for (let i = 0; i < 10; i++) keystroke(i);
  const after10 = heap();
  for (let i = 10; i < 1000; i++) keystroke(i);
  const after1000 = heap();
  const grewMb = (after1000 - after10) / 1048576;
  console.log(`heap after 10 keystrokes ${(after10 / 1048576).toFixed(1)} MB, after 1,000 ${(after1000 / 1048576).toFixed(1)} MB`);
  assert.ok(grewMb < 20, `the heap grew ${grewMb.toFixed(1)} MB`);
});
