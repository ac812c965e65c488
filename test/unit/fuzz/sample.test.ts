/**
 * A sample of the fuzz run (test/fuzz, `npm run fuzz` runs 2,000 documents): mutated runbooks and
 * estates never crash the checker nor hang it, and the run prints what it measured.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzz } from '../../fuzz/run';

test('40 mutated runbooks and estates: no crash, none hangs', async () => {
  const summary = await fuzz(18, 40);
  console.log(`fuzz sample: ${summary.documents} documents, ${summary.crashes.length} crashes, ${summary.slow.length} slow, slowest ${summary.slowestMs} ms, peak RSS ${summary.peakRssMb} MB`);
  assert.deepEqual(summary.crashes, []);
  // The full run holds every document to 2 s; on a shared test machine a sample only proves none hangs.
  assert.ok(summary.slowestMs < 10_000, `slowest document: ${summary.slowestMs} ms`);
});
