import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Credentials, MemorySecretStore, obsoleteSecrets, SECRET_INDEX_KEY, secretKey, type PasswordRequest } from '../../../src/extension/connections/credentials';
import type { Logger } from '../../../src/extension/log';

const PASSWORD = 'Pa55-w0rd-typed';

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (m: string) => lines.push(m);
  return { lines, trace: push, debug: push, info: push, warn: push, error: (m, e) => lines.push(`${m} ${String(e)}`) };
}

const request = (instanceId: string): PasswordRequest => ({ instanceId, account: 'lyncadmin', where: `${instanceId}\\pchat` });

test('a typed password is pending until a login succeeds, then saved under lyncRecovery.sql.<id>', async () => {
  const store = new MemorySecretStore();
  const log = recordingLog();
  let asked = 0;
  const credentials = new Credentials(store, async () => (asked++, PASSWORD), log);
  assert.equal(await credentials.password(request('dal-pcbak'), false), undefined, 'background reads never ask');
  assert.equal(asked, 0);
  assert.equal(await credentials.password(request('dal-pcbak'), true), PASSWORD);
  assert.equal(await credentials.password(request('dal-pcbak'), true), PASSWORD, 'asked once');
  assert.equal(asked, 1);
  assert.equal(await store.get(secretKey('dal-pcbak')), undefined);
  await credentials.accepted('dal-pcbak');
  assert.equal(await store.get('lyncRecovery.sql.dal-pcbak'), PASSWORD);
  assert.deepEqual(await credentials.saved(), ['dal-pcbak']);
  // A new session (e.g. after a reload) uses the saved one without asking.
  const again = new Credentials(store, async () => assert.fail('must not ask'), log);
  assert.equal(await again.password(request('dal-pcbak'), true), PASSWORD);
  assert.ok(log.lines.some((l) => /Saved the password for SQL instance dal-pcbak/.test(l)));
  assert.ok(log.lines.every((l) => !l.includes(PASSWORD)), 'no password in any log line');
});

test('a refused password is dropped (pending) or deleted (saved); a cancelled prompt saves nothing', async () => {
  const store = new MemorySecretStore();
  const log = recordingLog();
  const credentials = new Credentials(store, async () => PASSWORD, log);
  await credentials.password(request('a'), true);
  await credentials.refused('a');
  assert.equal(await credentials.has('a'), false);
  await credentials.password(request('b'), true);
  await credentials.accepted('b');
  await credentials.refused('b');
  assert.equal(await store.get(secretKey('b')), undefined);
  assert.deepEqual(await credentials.saved(), []);
  const cancelled = new Credentials(store, async () => undefined, log);
  assert.equal(await cancelled.password(request('c'), true), undefined);
  await cancelled.accepted('c');
  assert.equal(await store.get(secretKey('c')), undefined);
  assert.ok(log.lines.every((l) => !l.includes(PASSWORD)));
});

test('prompts run one at a time, and a second request for the same instance reuses the first answer', async () => {
  let open = 0;
  let maxOpen = 0;
  let asked = 0;
  const credentials = new Credentials(new MemorySecretStore(), async (r) => {
    open++;
    maxOpen = Math.max(maxOpen, open);
    asked++;
    await new Promise((res) => setTimeout(res, 5));
    open--;
    return `pw-${r.instanceId}`;
  }, recordingLog());
  const answers = await Promise.all([credentials.password(request('a'), true), credentials.password(request('b'), true), credentials.password(request('a'), true)]);
  assert.deepEqual(answers, ['pw-a', 'pw-b', 'pw-a']);
  assert.equal(maxOpen, 1);
  assert.equal(asked, 2);
});

test('forget deletes the secret and its index entry; a replacement prompt can be installed and restored', async () => {
  const store = new MemorySecretStore();
  const credentials = new Credentials(store, async () => 'from-inputbox', recordingLog());
  const restore = credentials.usePrompt(async () => 'from-test');
  assert.equal(await credentials.password(request('x'), true), 'from-test');
  await credentials.accepted('x');
  restore();
  await credentials.forget('x');
  assert.equal(await store.get(secretKey('x')), undefined);
  assert.equal(store.values.has(SECRET_INDEX_KEY), false);
  assert.equal(await credentials.password(request('x'), true), 'from-inputbox');
});

test('estate change: passwords of instances that left the estate are deleted, the others kept', async () => {
  assert.deepEqual(obsoleteSecrets(['a', 'b', 'c'], ['b']), ['a', 'c']);
  const store = new MemorySecretStore();
  const log = recordingLog();
  let n = 0;
  const credentials = new Credentials(store, async () => `${PASSWORD}-${n++}`, log);
  for (const id of ['atl-pcsql', 'dal-pcbak', 'old-sql']) {
    await credentials.password(request(id), true);
    await credentials.accepted(id);
  }
  let changes = 0;
  credentials.onDidChange(() => changes++);
  assert.deepEqual(await credentials.keepOnly(['atl-pcsql', 'dal-pcbak', 'dal-pcbakm']), ['old-sql']);
  assert.deepEqual(await credentials.saved(), ['atl-pcsql', 'dal-pcbak']);
  assert.equal(await store.get(secretKey('old-sql')), undefined);
  assert.notEqual(await store.get(secretKey('dal-pcbak')), undefined);
  assert.equal(changes, 1);
  assert.ok(log.lines.some((l) => /left the estate; their saved passwords were deleted: old-sql/.test(l)));
  assert.ok(log.lines.every((l) => !l.includes(PASSWORD)));
});
