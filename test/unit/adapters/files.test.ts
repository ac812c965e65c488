import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FsLogBackupFiles, type FsLogBackupFilesOptions } from '../../../src/adapters/files/log-backup-files';
import { uncShare, wildcardToRegExp, windowsBaseName } from '../../../src/adapters/files/windows-paths';
import { CancelledError, FileError } from '../../../src/core/recovery/ports';

let root: string;
/** `\\backup\logs\mgc` → <root>/share/mgc, `D:\copy` → <root>/copy: a stand-in for the lab's labPathFor. */
const mapPath = (windowsPath: string) =>
  windowsPath
    .replace(/^\\\\backup\\logs/i, path.join(root, 'share'))
    .replace(/^D:/i, path.join(root, 'drive-d'))
    .replaceAll('\\', path.sep);
const SHARE = '\\\\backup\\logs\\mgc';
const COPY = 'D:\\copy';
const local = (windowsPath: string) => mapPath(windowsPath);
const files = (options: Partial<FsLogBackupFilesOptions> = {}) => new FsLogBackupFiles({ mapPath, ...options });
const put = (windowsPath: string, content: string | Buffer) => {
  fs.mkdirSync(path.dirname(local(windowsPath)), { recursive: true });
  fs.writeFileSync(local(windowsPath), content);
};
const leftovers = () => fs.readdirSync(local(COPY)).filter((n) => n.endsWith('.lrpart'));
const failure = async (p: Promise<unknown>): Promise<FileError> => {
  const e = await p.then(() => assert.fail('no error'), (x: unknown) => x);
  assert.ok(e instanceof FileError, String(e));
  return e;
};

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-files-'));
  fs.mkdirSync(local(SHARE), { recursive: true });
  fs.mkdirSync(local(COPY), { recursive: true });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('Windows path helpers', () => {
  it('name, share and wildcards', () => {
    assert.equal(windowsBaseName('\\\\backup\\logs\\mgc\\mgc_20240101.trn'), 'mgc_20240101.trn');
    assert.equal(uncShare('\\\\backup\\logs\\mgc\\x.trn'), '\\\\backup\\logs');
    assert.equal(uncShare('D:\\copy'), undefined);
    assert.ok(wildcardToRegExp('mgc_*.TRN').test('MGC_20240101.trn'));
    assert.ok(!wildcardToRegExp('mgc_*.trn').test('mgc_1.trn.lrpart'));
    assert.ok(wildcardToRegExp('a?c.(1)').test('abc.(1)'));
  });
});

describe('FsLogBackupFiles.list', () => {
  it('lists matching files with sizes and times, sorted, as Windows paths', async () => {
    put(`${SHARE}\\mgc_20240101000500.trn`, 'bb');
    put(`${SHARE}\\mgc_20240101000000.trn`, 'a');
    put(`${SHARE}\\readme.txt`, 'x');
    fs.mkdirSync(local(`${SHARE}\\sub.trn`));
    const list = await files().list(SHARE, '*.trn');
    assert.deepEqual(list.map((f) => [f.name, f.path, f.size]), [
      ['mgc_20240101000000.trn', `${SHARE}\\mgc_20240101000000.trn`, 1],
      ['mgc_20240101000500.trn', `${SHARE}\\mgc_20240101000500.trn`, 2],
    ]);
    assert.ok(list.every((f) => f.modified instanceof Date && !Number.isNaN(f.modified.getTime())));
  });

  it('names the share when it cannot be reached', async () => {
    fs.rmSync(local(SHARE), { recursive: true });
    const e = await failure(files().list(SHARE, '*.trn'));
    assert.equal(e.failure, 'share-unreachable');
    assert.equal(e.target, '\\\\backup\\logs');
    assert.match(e.message, /The share \\\\backup\\logs cannot be reached/);
  });
});

describe('FsLogBackupFiles.copy', () => {
  const SOURCE = `${SHARE}\\mgc_20240101000500.trn`;
  const DEST = `${COPY}\\mgc_20240101000500.trn`;

  it('copies through a temporary name and leaves only the finished file', async () => {
    put(SOURCE, Buffer.alloc(300_000, 7));
    const result = await files().copy(SOURCE, COPY);
    assert.deepEqual(result, { path: DEST, size: 300_000, outcome: 'copied' });
    assert.deepEqual(fs.readFileSync(local(DEST)), Buffer.alloc(300_000, 7));
    assert.deepEqual(fs.readdirSync(local(COPY)), ['mgc_20240101000500.trn']);
  });

  it('skips an identical file already there', async () => {
    put(SOURCE, 'same bytes');
    put(DEST, 'same bytes');
    assert.equal((await files().copy(SOURCE, COPY)).outcome, 'already-present');
  });

  it('refuses to overwrite a differing file, of another size or the same size', async () => {
    for (const other of ['longer content', 'SAME BYTES']) {
      put(SOURCE, 'same bytes');
      put(DEST, other);
      const e = await failure(files().copy(SOURCE, COPY));
      assert.equal(e.failure, 'differs');
      assert.equal(e.target, DEST);
      assert.equal(fs.readFileSync(local(DEST), 'utf8'), other);
    }
  });

  it('reports disk full naming the folder, and cleans up the partial copy', async () => {
    put(SOURCE, Buffer.alloc(500_000, 1));
    let chunks = 0;
    const fault = (p: string, op: string) =>
      op === 'write' && p === DEST && ++chunks > 1 ? Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }) : undefined;
    const e = await failure(files({ fault }).copy(SOURCE, COPY));
    assert.equal(e.failure, 'disk-full');
    assert.equal(e.target, COPY);
    assert.match(e.message, /The disk holding D:\\copy is full/);
    assert.ok(chunks > 1, 'the fault hit after a first chunk was written');
    assert.deepEqual(fs.readdirSync(local(COPY)), []);
  });

  it('names the share when the source share is unreachable, and a missing file as not-found', async () => {
    const missing = await failure(files().copy(`${SHARE}\\nope.trn`, COPY));
    assert.equal(missing.failure, 'not-found');
    fs.rmSync(local(SHARE), { recursive: true });
    const e = await failure(files().copy(SOURCE, COPY));
    assert.equal(e.failure, 'share-unreachable');
    assert.equal(e.target, '\\\\backup\\logs');
  });

  it('reports an injected share fault while reading as share-unreachable', async () => {
    put(SOURCE, 'data');
    const fault = (_p: string, op: string) => (op === 'read' ? Object.assign(new Error('network path not found'), { code: 'ENOENT' }) : undefined);
    const e = await failure(files({ fault }).copy(SOURCE, COPY));
    assert.equal(e.failure, 'share-unreachable');
    assert.deepEqual(leftovers(), []);
  });

  it('stops on abort, before or during a copy, and leaves nothing behind', async () => {
    put(SOURCE, Buffer.alloc(2_000_000, 3));
    await assert.rejects(files().copy(SOURCE, COPY, { signal: AbortSignal.abort() }), CancelledError);
    const controller = new AbortController();
    let chunks = 0;
    const fault = (_p: string, op: string) => {
      if (op === 'write' && ++chunks === 2) controller.abort();
      return undefined;
    };
    await assert.rejects(files({ fault }).copy(SOURCE, COPY, { signal: controller.signal }), CancelledError);
    assert.deepEqual(fs.readdirSync(local(COPY)), []);
  });
});
