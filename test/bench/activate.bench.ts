/**
 * activate() ≤ 15 ms (issue 15), measured without a VS Code window: the built extension is loaded
 * in a fresh Node process with a do-nothing `vscode` stub (activate/host.ts), so the figure is
 * the extension's own work at activation; the extension-host test prints the same fields under a
 * real VS Code. Median of 7 fresh processes; CPU time beside it (not inflated by a busy machine).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { BenchFigure } from './figures';

const ROOT = path.resolve(__dirname, '../..');
const RUNS = 7;
const median = (samples: readonly number[]) => [...samples].sort((a, b) => a - b)[samples.length >> 1]!;

export async function run(): Promise<BenchFigure[]> {
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT, stdio: 'ignore' });
  const runs = Array.from({ length: RUNS }, () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'activate/host.ts')], { cwd: ROOT, encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').pop()!) as { activationMs: number; activationCpuMs: number; bundleEvaluationMs?: number; loadMs: number };
  });
  return [
    { name: `activate(), production bundle, vscode stubbed (median of ${RUNS} processes; CPU ${median(runs.map((r) => r.activationCpuMs)).toFixed(1)} ms)`, value: median(runs.map((r) => r.activationMs)), unit: 'ms', limit: 15 },
    { name: '  loading dist/extension.js before it (read, compile, module code)', value: median(runs.map((r) => r.loadMs)), unit: 'ms' },
  ];
}
