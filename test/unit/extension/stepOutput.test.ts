/**
 * Step output under concurrent runs: every appended line is kept, in the order each run wrote it,
 * in memory and in the step's file (the CI failure "the step output lost its first line").
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { StepOutputStore } from '../../../src/extension/stepping/outputStore';

const tempFolder = () => fs.mkdtempSync(path.join(os.tmpdir(), 'lync-step-output-'));
const failOnWriteError = (stepId: string, file: string, error: unknown) => assert.fail(`write of ${stepId} to ${file} failed: ${String(error)}`);
const readFile = (folder: string, stepId: string) => fs.readFileSync(path.join(folder, StepOutputStore.fileName(stepId)), 'utf8').split('\n').slice(0, -1);

describe('step output store', () => {
  it('keeps the first line when two appends for one step start together', async () => {
    const folder = tempFolder();
    const store = new StepOutputStore((text) => text, failOnWriteError);
    await Promise.all([store.append(folder, 'apply-logs', ['first']), store.append(folder, 'apply-logs', ['second'])]);
    assert.deepEqual(await store.lines(folder, 'apply-logs'), ['first', 'second']);
    assert.deepEqual(readFile(folder, 'apply-logs'), ['first', 'second']);
  });

  it('loses no line when many runs append to the same steps at once, after an earlier session', async () => {
    const folder = tempFolder();
    const steps = ['capture', 'apply-logs', 'fail-over'];
    // An earlier session's output, read back on the first append of this one.
    for (const step of steps) fs.writeFileSync(path.join(folder, StepOutputStore.fileName(step)), `${step} earlier 1\n${step} earlier 2\n`);
    const store = new StepOutputStore((text) => text, failOnWriteError);
    const RUNS = 25;
    const APPENDS = 40;
    const pending: Promise<void>[] = [];
    // Interleaved: each round, every run appends one or two lines to every step, without waiting.
    for (let i = 0; i < APPENDS; i++) {
      for (let run = 0; run < RUNS; run++) {
        for (const step of steps) pending.push(store.append(folder, step, i % 3 === 0 ? [`${step} run${run} line${i}a`, `${step} run${run} line${i}b`] : [`${step} run${run} line${i}`]));
      }
    }
    await Promise.all(pending);
    for (const step of steps) {
      const expected = [`${step} earlier 1`, `${step} earlier 2`];
      for (let i = 0; i < APPENDS; i++) for (let run = 0; run < RUNS; run++) expected.push(...(i % 3 === 0 ? [`${step} run${run} line${i}a`, `${step} run${run} line${i}b`] : [`${step} run${run} line${i}`]));
      assert.deepEqual(await store.lines(folder, step), expected, `memory of ${step}`);
      assert.deepEqual(readFile(folder, step), expected, `file of ${step}`);
      // A reload reads the same lines back from the file.
      const reloaded = new StepOutputStore((text) => text, failOnWriteError);
      assert.deepEqual(await reloaded.lines(folder, step), expected, `${step} after a reload`);
    }
  });

  it('reads an earlier session\'s lines back after clear()', async () => {
    const folder = tempFolder();
    const store = new StepOutputStore((text) => text, failOnWriteError);
    await store.append(folder, 'capture', ['one']);
    store.clear();
    await store.append(folder, 'capture', ['two']);
    assert.deepEqual(await store.lines(folder, 'capture'), ['one', 'two']);
  });
});
