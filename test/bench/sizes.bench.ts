/**
 * What the extension ships: the production bundles and the VSIX (`npm run package` builds both;
 * this bench runs it so the figures are never stale).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { BenchFigure } from './figures';

const root = path.resolve(__dirname, '..', '..');
const kib = (file: string) => Math.round(fs.statSync(path.join(root, file)).size / 1024);

export async function run(): Promise<BenchFigure[]> {
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', 'package'], { cwd: root, stdio: 'ignore' });
  const bundles = ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/cli-lint.js', 'dist/lab.js'].filter((f) => fs.existsSync(path.join(root, f)));
  return [
    ...bundles.map((file) => ({ name: `size of ${file} (production)`, value: kib(file), unit: 'KiB' })),
    { name: 'size of the VSIX', value: kib('dist/lync-recovery.vsix'), unit: 'KiB' },
  ];
}
