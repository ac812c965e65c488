/**
 * Files as Windows tools write them: a runbook and an estate saved with a UTF-8 byte order mark,
 * CRLF or CR-only line ends, or as UTF-16 LE/BE, lint and plan exactly like their UTF-8/LF twins.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lint } from '../../../src/cli/lint';
import { run } from '../../../src/cli/run';

const SAMPLES = path.resolve(__dirname, '../../../samples/litware');
const RUNBOOK = 'persistent-chat-failover.runbook.md';
const ESTATE = 'lync-estate.yaml';

/** How each variant turns UTF-8/LF text into bytes. */
const VARIANTS: Record<string, (text: string) => Buffer> = {
  'UTF-8 BOM': (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')]),
  CRLF: (t) => Buffer.from(t.replace(/\n/g, '\r\n'), 'utf8'),
  'CR only': (t) => Buffer.from(t.replace(/\n/g, '\r'), 'utf8'),
  'UTF-16 LE': (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
  'UTF-16 BE': (t) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, 'utf16le').swap16()]),
  'UTF-16 LE BOM + CRLF': (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t.replace(/\n/g, '\r\n'), 'utf16le')]),
};

/** A folder holding the runbook and its estate, both written by `encode`. */
function folderWith(encode: (text: string) => Buffer, runbookText?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-encodings-'));
  fs.writeFileSync(path.join(dir, RUNBOOK), encode(runbookText ?? fs.readFileSync(path.join(SAMPLES, RUNBOOK), 'utf8')));
  fs.writeFileSync(path.join(dir, ESTATE), encode(fs.readFileSync(path.join(SAMPLES, ESTATE), 'utf8')));
  return dir;
}

async function lintJson(file: string): Promise<{ code: number; rows: unknown[] }> {
  const out: string[] = [];
  const code = await lint(['--format', 'json', file], { out: (l) => out.push(l), err: (l) => out.push(l) });
  const rows = (JSON.parse(out.join('\n')) as { file: string }[]).map((r) => ({ ...r, file: path.basename(r.file) }));
  return { code, rows };
}

async function dryRun(dir: string): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await run(['--dry-run', path.join(dir, RUNBOOK)], { out: (l) => lines.push(l), err: (l) => lines.push(l) }, {});
  return { code, text: lines.join('\n').replaceAll(dir, '<dir>') };
}

describe('runbooks and estates in Windows encodings and line ends', () => {
  // A problem to compare too: an unknown step target makes lint report something with a position.
  const withProblem = fs.readFileSync(path.join(SAMPLES, RUNBOOK), 'utf8').replace('on=backup', 'on=nowhere');
  const plain = folderWith((t) => Buffer.from(t, 'utf8'));
  const plainWithProblem = folderWith((t) => Buffer.from(t, 'utf8'), withProblem);

  for (const [name, encode] of Object.entries(VARIANTS)) {
    it(`${name}: lint and the dry run's plan match the UTF-8/LF twin`, async () => {
      const expectedLint = await lintJson(path.join(plain, RUNBOOK));
      assert.deepEqual(await lintJson(path.join(folderWith(encode), RUNBOOK)), expectedLint);
      const expectedProblems = await lintJson(path.join(plainWithProblem, RUNBOOK));
      assert.ok(expectedProblems.rows.length > 0, 'the twin with a problem reports it');
      assert.deepEqual(await lintJson(path.join(folderWith(encode, withProblem), RUNBOOK)), expectedProblems);
      const expectedPlan = await dryRun(plain);
      assert.equal(expectedPlan.code, 0, expectedPlan.text);
      const dir = folderWith(encode);
      assert.deepEqual(await dryRun(dir), { ...expectedPlan, text: expectedPlan.text });
    });
  }
});
