/**
 * `lync-runbook lint` from process start to exit (issue 15), beside its peers measured in the same
 * run: ESLint on a small file with a one-rule config, and markdownlint-cli2 on a small Markdown
 * file (both in devDependencies). Runs interleave (lint, ESLint, markdownlint, lint, …) so a busy
 * moment of a shared machine falls on all three; figures are medians. The production bundles are
 * built first, as the VSIX ships them. Peak memory is the child's maximum RSS as GNU time reports
 * it (`/usr/bin/time -f %M`, in KB).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchFigure } from './figures';

const ROOT = path.resolve(__dirname, '../..');
const SAMPLES = path.join(ROOT, 'samples/litware');
const RUNBOOK = 'persistent-chat-failover.runbook.md';
const RUNS = 11;
const GNU_TIME = '/usr/bin/time';

const median = (samples: readonly number[]) => [...samples].sort((a, b) => a - b)[samples.length >> 1]!;

interface Outcome {
  readonly ms: number;
  /** Peak resident memory in MB, when GNU time is there to report it. */
  readonly peakMb?: number;
}

/** Runs `node args…` in `cwd` to its exit; a status other than `expect` is a broken bench. */
function timed(args: readonly string[], cwd: string, expect = 0): Outcome {
  const withTime = fs.existsSync(GNU_TIME);
  const [command, argv] = withTime ? [GNU_TIME, ['-f', '%M', process.execPath, ...args]] : [process.execPath, [...args]];
  const start = performance.now();
  const r = spawnSync(command, argv, { cwd, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== expect) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const kb = withTime ? Number(r.stderr.trim().split('\n').pop()) : NaN;
  return { ms, ...(Number.isFinite(kb) ? { peakMb: kb / 1024 } : {}) };
}

export async function run(): Promise<BenchFigure[]> {
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT, stdio: 'ignore' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-bench-cli-'));
  try {
    fs.copyFileSync(path.join(SAMPLES, 'lync-estate.yaml'), path.join(dir, 'lync-estate.yaml'));
    fs.copyFileSync(path.join(SAMPLES, RUNBOOK), path.join(dir, RUNBOOK));
    const hundred = Array.from({ length: 100 }, (_, i) => `copy-${i}.runbook.md`);
    for (const name of hundred) fs.copyFileSync(path.join(SAMPLES, RUNBOOK), path.join(dir, name));
    // The peers' minimal projects: one small file each, a one-rule ESLint config.
    fs.writeFileSync(path.join(dir, 'eslint.config.mjs'), "export default [{ files: ['**/*.js'], rules: { 'no-unused-vars': 'error' } }];\n");
    fs.writeFileSync(path.join(dir, 'small.js'), 'const a = 1;\nexport const b = a + 1;\n');
    fs.writeFileSync(path.join(dir, 'small.md'), '# Small\n\nOne paragraph.\n');
    const cli = path.join(ROOT, 'dist/cli.js');
    const eslint = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');
    const markdownlint = path.join(ROOT, 'node_modules/markdownlint-cli2/markdownlint-cli2-bin.mjs');

    const lint: Outcome[] = [];
    const eslintRuns: Outcome[] = [];
    const markdownlintRuns: Outcome[] = [];
    for (let i = 0; i < RUNS; i++) {
      lint.push(timed([cli, 'lint', RUNBOOK], dir));
      eslintRuns.push(timed([eslint, 'small.js'], dir));
      markdownlintRuns.push(timed([markdownlint, 'small.md'], dir));
    }
    const hundredRuns = Array.from({ length: 5 }, () => timed([cli, 'lint', ...hundred], dir));

    const lintMs = median(lint.map((o) => o.ms));
    const eslintMs = median(eslintRuns.map((o) => o.ms));
    const markdownlintMs = median(markdownlintRuns.map((o) => o.ms));
    const peaks = [...lint, ...hundredRuns].map((o) => o.peakMb).filter((mb): mb is number => mb !== undefined);
    return [
      { name: `lync-runbook lint, one sample runbook, start to exit (median of ${RUNS})`, value: lintMs, unit: 'ms' },
      { name: '  ESLint, one small file, minimal config, same runs', value: eslintMs, unit: 'ms' },
      { name: '  markdownlint-cli2, one small file, same runs', value: markdownlintMs, unit: 'ms' },
      { name: '  lint ÷ ESLint', value: lintMs / eslintMs, unit: '×', limit: 0.5 },
      { name: '  lint ÷ markdownlint-cli2', value: lintMs / markdownlintMs, unit: '×' },
      { name: 'lync-runbook lint, 100 runbooks in one call (median of 5)', value: median(hundredRuns.map((o) => o.ms)), unit: 'ms', limit: 1500 },
      ...(peaks.length ? [{ name: 'lint peak memory (max RSS, one runbook and 100)', value: Math.max(...peaks), unit: 'MB', limit: 100 }] : []),
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
