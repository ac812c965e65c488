/**
 * The rehearsal lab (issue 3): start with the sample estate ≤ 1 s; a RESTORE LOG round trip through
 * mssql ≤ 5 ms median (progress delay 0); 1,000 queries over 10 pooled connections with no error;
 * an idle lab's memory ≤ 80 MB (RSS growth of this process across the lab's start, after GC when
 * node runs with --expose-gc). Issue 11: a Lync cmdlet through node-powershell, real PowerShell and
 * the LyncLab module ≤ 20 ms median (the product's wrapped JSON call, on a started shell).
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import sql from 'mssql';
import { PowerShellSession } from '../../src/adapters/shell';
import * as ps from '../../src/core/commands/powershell';
import { parseXdsIdentity } from '../../src/core/commands/values';
import { parseEstate } from '../../src/core/estate/load';
import type { Estate } from '../../src/core/estate/model';
import { type Lab, startLab } from '../../src/lab/lab';
import type { BenchFigure } from './figures';

const ESTATE_FILE = new URL('../../samples/litware/lync-estate.yaml', import.meta.url);
const RESTORES = 41;
const CMDLET_CALLS = 41;
const QUERIES = 1000;

function estate(): Estate {
  const loaded = parseEstate(fs.readFileSync(ESTATE_FILE, 'utf8'), ESTATE_FILE.pathname);
  if (!loaded.estate) throw new Error('the sample estate does not load');
  return loaded.estate;
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function pool(lab: Lab, id: string, max: number): sql.ConnectionPool {
  const i = lab.info.instances[id]!;
  return new sql.ConnectionPool({ server: 'localhost', port: i.port, user: i.user, password: i.password, options: { encrypt: false, trustServerCertificate: false }, pool: { max, min: 0 } });
}

async function startTimes(e: Estate): Promise<number> {
  const times: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    const lab = await startLab({ estate: e, scenario: 'pchat-dc-loss' });
    times.push(performance.now() - t0);
    await lab.stop();
  }
  return median(times);
}

/** Median RESTORE LOG round trip: the restore job is held back so many logs wait in the copy folder. */
async function restoreRoundTrip(e: Estate): Promise<number> {
  const lab = await startLab({ estate: e, scenario: 'steady', shell: false, progressDelayMs: 0, timing: { restoreLagMinutes: 100_000 } });
  try {
    lab.advance(RESTORES * 5);
    const link = lab.model.logShipping[0]!;
    const files = link.logBackupsIn(link.copyDir).slice(0, RESTORES);
    const p = await pool(lab, 'dal-pcbak', 1).connect();
    const times: number[] = [];
    for (const name of files) {
      const t0 = performance.now();
      await p.request().batch(`RESTORE LOG mgc FROM DISK = N'${link.copyFolder}\\${name}' WITH NORECOVERY`);
      times.push(performance.now() - t0);
    }
    await p.close();
    return median(times.slice(5));
  } finally {
    await lab.stop();
  }
}

async function pooledQueries(e: Estate): Promise<{ ms: number; errors: number }> {
  const lab = await startLab({ estate: e, scenario: 'pchat-dc-loss', shell: false });
  try {
    const p = await pool(lab, 'dal-pcbak', 10).connect();
    let errors = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: QUERIES }, (_, k) =>
        p.request().input('db', sql.NVarChar(128), k % 2 ? 'mgc' : 'msdb').query('SELECT name, state_desc, recovery_model_desc FROM sys.databases WHERE name = @db').catch(() => void errors++),
      ),
    );
    const ms = performance.now() - t0;
    await p.close();
    return { ms, errors };
  } finally {
    await lab.stop();
  }
}

/** Median of the product's `runJson(Get-CsPersistentChatState …)` on one started lab shell, and that shell's start. */
async function cmdletRoundTrip(e: Estate): Promise<{ median: number; startMs: number }> {
  const lab = await startLab({ estate: e, scenario: 'pchat-dc-loss' });
  const { executable, args, env, prelude } = lab.info.shell!;
  const session = new PowerShellSession({ executable, args, env, prelude });
  const command = ps.getPersistentChatState(parseXdsIdentity('service:atl-gc-001.litwareinc.com'));
  try {
    const t0 = performance.now();
    await session.runJson(command);
    const startMs = performance.now() - t0;
    const times: number[] = [];
    for (let k = 0; k < CMDLET_CALLS; k++) {
      const t = performance.now();
      await session.runJson(command);
      times.push(performance.now() - t);
    }
    return { median: median(times.slice(5)), startMs };
  } finally {
    await session.close();
    await lab.stop();
  }
}

async function idleMemoryMb(e: Estate): Promise<number> {
  gc();
  const before = process.memoryUsage().rss;
  const lab = await startLab({ estate: e, scenario: 'pchat-dc-loss' });
  gc();
  const after = process.memoryUsage().rss;
  await lab.stop();
  return (after - before) / 1024 / 1024;
}

export async function run(): Promise<BenchFigure[]> {
  const e = estate();
  const memory = await idleMemoryMb(e);
  const start = await startTimes(e);
  const restore = await restoreRoundTrip(e);
  const queries = await pooledQueries(e);
  const cmdlet = await cmdletRoundTrip(e);
  return [
    { name: 'lab start, sample estate (median of 3)', value: start, unit: 'ms', limit: 1000 },
    { name: 'RESTORE LOG round trip via mssql (median)', value: restore, unit: 'ms', limit: 5 },
    { name: `${QUERIES} queries over 10 pooled connections: errors`, value: queries.errors, unit: 'errors', limit: 0 },
    { name: `${QUERIES} queries over 10 pooled connections: time`, value: queries.ms, unit: 'ms' },
    { name: 'idle lab memory (RSS growth)', value: memory, unit: 'MB', limit: 80 },
    { name: 'Lync cmdlet round trip via node-powershell + PowerShell + LyncLab (median)', value: cmdlet.median, unit: 'ms', limit: 20 },
    { name: 'lab PowerShell start + LyncLab import + first cmdlet', value: cmdlet.startMs, unit: 'ms' },
  ];
}
