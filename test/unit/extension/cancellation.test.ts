/**
 * Cancelling a lab start or a connection test: the command stops waiting as soon as the person
 * cancels, and a lab that finishes starting afterwards is stopped — never left running unseen.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { untilCancelled } from '../../../src/extension/cancellation';

/** A promise settled by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

test('not cancelled: the value, and nothing released', async () => {
  const released: string[] = [];
  const work = deferred<string>();
  const result = untilCancelled(work.promise, new AbortController().signal, (v) => released.push(v));
  work.resolve('lab');
  assert.equal(await result, 'lab');
  assert.deepEqual(released, []);
});

test('not cancelled: the failure is passed on', async () => {
  const work = deferred<string>();
  const result = untilCancelled(work.promise, new AbortController().signal, () => assert.fail('nothing to release'));
  work.reject(new Error('port in use'));
  await assert.rejects(result, /port in use/);
});

test('cancelled while starting: resolves undefined at once, and the lab that starts later is released', async () => {
  const released = deferred<string>();
  const work = deferred<string>();
  const controller = new AbortController();
  const result = untilCancelled(work.promise, controller.signal, (v) => released.resolve(v));
  controller.abort();
  assert.equal(await result, undefined, 'the caller does not wait for the start');
  work.resolve('late lab');
  assert.equal(await released.promise, 'late lab');
});

test('cancelled before it began: undefined, and the late value is released', async () => {
  const released = deferred<string>();
  const controller = new AbortController();
  controller.abort();
  assert.equal(await untilCancelled(Promise.resolve('lab'), controller.signal, (v) => released.resolve(v)), undefined);
  assert.equal(await released.promise, 'lab');
});

test('cancelled, then the work fails: no unhandled rejection, nothing released', async () => {
  const work = deferred<string>();
  const controller = new AbortController();
  const result = untilCancelled(work.promise, controller.signal, () => assert.fail('nothing to release'));
  controller.abort();
  assert.equal(await result, undefined);
  work.reject(new Error('certificate failed'));
  await work.promise.catch(() => undefined);
});
