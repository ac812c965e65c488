import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { FsLogBackupFiles } from '../../../src/adapters/files/log-backup-files';
import { FileError } from '../../../src/core/recovery/ports';
import type { Lab } from '../../../src/lab/lab';
import { sampleEstate, startSampleLab } from './lab-fixture';

describe('FsLogBackupFiles against the lab share and copy folder', () => {
  const pool = sampleEstate().pools.find((p) => p.logShipping)!;
  const { share, copyFolder } = pool.logShipping!;
  // The copy folder is a drive path on the backup SQL server of mgc.
  const server = sampleEstate().sqlInstances.find((i) => i.id === pool.stores!.mgc!.backup)!.server;
  let lab: Lab;
  let files: FsLogBackupFiles;
  const failure = async (p: Promise<unknown>): Promise<FileError> => {
    const e = await p.then(() => assert.fail('no error'), (x: unknown) => x);
    assert.ok(e instanceof FileError, String(e));
    return e;
  };
  /** A log backup on the share that the copy job has not copied yet. */
  const uncopied = async () => {
    const copied = new Set((await files.list(copyFolder, '*.trn')).map((f) => f.name));
    const file = (await files.list(share, '*.trn')).find((f) => !copied.has(f.name));
    assert.ok(file, 'the scenario leaves uncopied log backups on the share');
    return file;
  };

  before(async () => {
    lab = await startSampleLab();
    files = new FsLogBackupFiles({ mapPath: (p) => lab.pathFor(p, server), fault: (p, op) => lab.fileFault(p, op) });
  });
  after(() => lab.stop());

  it('lists the share with sizes and times, as Windows paths', async () => {
    const list = await files.list(share, 'mgc_*.trn');
    assert.ok(list.length > 0);
    assert.ok(list.every((f) => f.path === `${share}\\${f.name}` && f.size > 0 && f.modified instanceof Date));
    assert.deepEqual(list.map((f) => f.name), [...list.map((f) => f.name)].sort());
  });

  it('copies an uncopied log backup, then skips it as already there', async () => {
    const file = await uncopied();
    const copied = await files.copy(file.path, copyFolder);
    assert.deepEqual(copied, { path: `${copyFolder}\\${file.name}`, size: file.size, outcome: 'copied' });
    assert.deepEqual(fs.readFileSync(lab.pathFor(copied.path, server)), fs.readFileSync(lab.pathFor(file.path)));
    assert.equal((await files.copy(file.path, copyFolder)).outcome, 'already-present');
  });

  it('names the share when it is unreachable (share-unreachable)', async () => {
    const file = await uncopied();
    lab.faults.arm('share-unreachable');
    try {
      for (const attempt of [files.list(share, '*.trn'), files.copy(file.path, copyFolder)]) {
        const e = await failure(attempt);
        assert.equal(e.failure, 'share-unreachable');
        assert.equal(e.target, '\\\\atl-fs-001.litwareinc.com\\pchat-logs');
      }
    } finally {
      lab.faults.clear('share-unreachable');
    }
  });

  it('reports a full disk naming the copy folder, and leaves no partial file (copy-disk-full)', async () => {
    const file = await uncopied();
    const before = await files.list(copyFolder, '*');
    lab.faults.arm('copy-disk-full');
    try {
      const e = await failure(files.copy(file.path, copyFolder));
      assert.equal(e.failure, 'disk-full');
      assert.equal(e.target, copyFolder);
    } finally {
      lab.faults.clear('copy-disk-full');
    }
    assert.deepEqual(await files.list(copyFolder, '*'), before);
    assert.equal((await files.copy(file.path, copyFolder)).outcome, 'copied');
  });
});
