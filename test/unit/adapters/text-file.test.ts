/**
 * Runbook and estate paths are read only when they name a regular file under the size limit:
 * `/dev/zero`, a FIFO, a folder and a 100 MB file are refused at once with a clear message, in the
 * CLI (`lint`, `run`) and in the language server's estate store.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readTextFileSync, TextFileError } from '../../../src/adapters/files/text-file';
import { lint } from '../../../src/cli/lint';
import { run } from '../../../src/cli/run';
import { MAX_ESTATE_BYTES } from '../../../src/core/text-files';
import { EstateStore } from '../../../src/server/estates';

const SAMPLE = path.resolve(__dirname, '../../../samples/litware/persistent-chat-failover.runbook.md');
const LIMITS = { what: 'estate', maxBytes: MAX_ESTATE_BYTES };

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lync-text-file-'));
}

/** Hostile paths an `estate:` line or a command line can name, with what the refusal must say. */
function hostilePaths(): { name: string; file: string; says: RegExp }[] {
  const dir = scratch();
  const fifo = path.join(dir, 'estate.fifo');
  const made = spawnSync('mkfifo', [fifo]);
  assert.equal(made.status, 0, `mkfifo: ${String(made.stderr)}`);
  const huge = path.join(dir, 'huge.yaml');
  fs.writeFileSync(huge, '');
  fs.truncateSync(huge, 100 * 1024 * 1024);
  return [
    { name: '/dev/zero', file: '/dev/zero', says: /not a regular file/ },
    { name: 'a FIFO', file: fifo, says: /not a regular file/ },
    { name: 'a 100 MB file', file: huge, says: /100\.0 MB, and estate files may be at most 10\.0 MB/ },
    { name: 'a folder', file: dir, says: /is a folder/ },
    { name: 'a missing file', file: path.join(dir, 'missing.yaml'), says: /no such estate file|not found/ },
  ];
}

/** Runs `body`, failing if it takes a second or more. */
async function withinASecond<T>(body: () => T | Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await body();
  const ms = performance.now() - started;
  assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
  return result;
}

describe('reading runbook and estate files', () => {
  for (const { name, file, says } of hostilePaths()) {
    it(`refuses ${name} at once, naming the file`, async () => {
      await withinASecond(() =>
        assert.throws(
          () => readTextFileSync(file, LIMITS),
          (e) => e instanceof TextFileError && says.test(e.message) && e.message.includes(file),
        ),
      );
    });

    it(`lint, run --dry-run and the language server refuse estate: ${name} within a second`, async () => {
      const dir = scratch();
      const runbook = path.join(dir, 'hostile.runbook.md');
      fs.writeFileSync(runbook, fs.readFileSync(SAMPLE, 'utf8').replace(/^estate: .*$/m, `estate: ${file}`));
      const out: string[] = [];
      const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
      // Warm up the PowerShell grammar: loading it is not what is measured.
      await lint(['--format', 'json', SAMPLE], { out: () => undefined, err: () => undefined });
      assert.equal(await withinASecond(() => lint(['--format', 'json', runbook], io)), 1);
      assert.match(out.join('\n'), says);
      out.length = 0;
      assert.equal(await withinASecond(() => run(['--dry-run', runbook], io, {})), 2);
      assert.match(out.join('\n'), says);
      const input = await withinASecond(() => new EstateStore().input(file));
      assert.match(input.error ?? '', says);
    });
  }

  it('refuses a runbook that is not a regular file, and lint says which', async () => {
    const out: string[] = [];
    assert.equal(await withinASecond(() => lint(['/dev/zero'], { out: (l) => out.push(l), err: (l) => out.push(l) })), 2);
    assert.match(out.join('\n'), /cannot read \/dev\/zero: it is not a regular file .*; name the runbook file/);
  });

  it('decodes what it reads: UTF-16 LE with a byte order mark', () => {
    const file = path.join(scratch(), 'lync-estate.yaml');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('version: 1\r\n', 'utf16le')]));
    assert.equal(readTextFileSync(file, LIMITS), 'version: 1\r\n');
  });
});
