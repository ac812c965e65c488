// Runs the node:test suites (TypeScript through tsx) found under the given folders, or given as files.
//   node scripts/run-node-tests.mjs [--results FILE] DIR|FILE...
// Prints the spec report; with --results writes {passed, failed, skipped} as JSON.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
let resultsFile;
const dirs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--results') resultsFile = args[++i];
  else dirs.push(args[i]);
}

const files = [];
const walk = (dir) => {
  if (!fs.existsSync(dir)) return;
  if (fs.statSync(dir).isFile()) return void (dir.endsWith('.test.ts') && files.push(dir));
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p);
    else if (entry.name.endsWith('.test.ts')) files.push(p);
  }
};
dirs.forEach(walk);
files.sort();
if (files.length === 0) {
  console.error(`no *.test.ts under ${dirs.join(', ')}`);
  process.exit(1);
}

const tap = path.join(os.tmpdir(), `lync-node-tests-${process.pid}.tap`);
const child = spawn(process.execPath, [
  '--import', 'tsx', '--test', '--test-concurrency=2',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tap}`,
  ...files,
], { stdio: 'inherit' });
const code = await new Promise((resolve) => child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0))));

const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
fs.rmSync(tap, { force: true });
const count = (name) => Number((new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text) ?? [])[1] ?? 0);
const results = { passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
if (code !== 0 && results.failed === 0) results.failed = 1; // a crash outside any test still fails
if (resultsFile) {
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  fs.writeFileSync(resultsFile, JSON.stringify(results));
}
process.exit(code);
