/**
 * `lync-runbook lint` loads only what linting uses (issue 15): not the SQL driver, PowerShell
 * sessions or the rehearsal lab, whose loading was most of a one-file lint. This file runs in a
 * process of its own (node --test) that imports only the CLI's entry, so the module cache after a
 * lint holds what the lint loaded. esbuild.mjs gives each subcommand a bundle along the same imports.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { main } from '../../../src/cli/main';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLE = path.join(ROOT, 'samples/litware/persistent-chat-failover.runbook.md');

test('lint loads neither mssql/tedious, node-powershell nor the lab', async () => {
  const log = console.log;
  console.log = () => undefined;
  try {
    assert.equal(await main(['lint', SAMPLE]), 0);
  } finally {
    console.log = log;
  }
  const modules = Object.keys(require.cache).map((m) => path.relative(ROOT, m).split(path.sep).join('/'));
  assert.ok(modules.includes('src/cli/lint.ts'), 'the probe did not see the lint module load');
  const unwanted = modules.filter((m) => /node_modules\/(mssql|tedious|node-powershell)\/|^src\/lab\/|^src\/adapters\/(sql|shell)\//.test(m));
  assert.deepEqual(unwanted, []);
});
