/** Planning a log chain of 10,000 headers (issue 5: ≤ 100 ms). Median of several runs, after a warm-up. */
import { performance } from 'node:perf_hooks';
import { planLogChain, type LogBackupHeader } from '../../src/core/recovery/lsn';

const FORK = '6f9619ff-8b86-d011-b42d-00c04fc964ff';
const COUNT = 10_000;
const RUNS = 7;

function headers(): LogBackupHeader[] {
  const base = 34000000041600000n;
  const list: LogBackupHeader[] = [];
  for (let k = 0; k < COUNT; k++) {
    list.push({
      file: `D:\\LogShipping\\mgc\\mgc_${String(k).padStart(6, '0')}.trn`,
      databaseName: 'mgc',
      serverName: 'ATL-PCSQL-001\\PCHAT',
      firstLsn: (base + BigInt(k) * 1_000_003n).toString(),
      lastLsn: (base + BigInt(k + 1) * 1_000_003n).toString(),
      databaseBackupLsn: base.toString(),
      firstRecoveryForkId: FORK,
      backupType: 2,
      backupFinishDate: new Date(Date.UTC(2024, 0, 1) + k * 300_000).toISOString(),
    });
  }
  // Deterministic shuffle: the planner must not rely on input order.
  let seed = 42;
  for (let k = list.length - 1; k > 0; k--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (k + 1);
    [list[k], list[j]] = [list[j]!, list[k]!];
  }
  return list;
}

export async function run(): Promise<{ name: string; value: number; unit: string; limit?: number }[]> {
  const input = { headers: headers(), redoLsn: '34000000041600000', redoForkId: FORK, database: 'mgc', writers: ['atl-pcsql-001.litwareinc.com\\pchat'] };
  planLogChain(input);
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    const plan = planLogChain(input);
    times.push(performance.now() - t);
    if (plan.toApply.length !== COUNT) throw new Error(`expected ${COUNT} files to apply, got ${plan.toApply.length}`);
  }
  times.sort((a, b) => a - b);
  const median = Math.round(times[Math.floor(RUNS / 2)]! * 10) / 10;
  console.log(`lsn: planning ${COUNT} log headers takes ${median} ms (median of ${RUNS})`);
  return [{ name: 'lsn: plan 10,000 log headers', value: median, unit: 'ms', limit: 100 }];
}
