import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PowerShellSession, type PowerShellSessionOptions } from '../../../src/adapters/shell/session';
import type { PowerShellCommand } from '../../../src/core/commands/powershell';
import { CancelledError, ShellError, TimeoutError } from '../../../src/core/recovery/ports';

const FAKE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'fake-pwsh.mjs');
const cmd = (text: string) => text as PowerShellCommand;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-shell-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A session on the fake shell; closed by the caller's `using`-style finally. */
function session(env: Record<string, string> = {}, options: Partial<PowerShellSessionOptions> = {}): PowerShellSession {
  return new PowerShellSession({ executable: process.execPath, args: [FAKE], env, invocationTimeoutMs: 10_000, ...options });
}

async function withSession(env: Record<string, string>, options: Partial<PowerShellSessionOptions>, body: (s: PowerShellSession) => Promise<void>): Promise<void> {
  const s = session(env, options);
  try {
    await body(s);
  } finally {
    await s.close();
  }
}

describe('PowerShellSession (fake shell)', () => {
  const modes: Record<string, Record<string, string>> = {
    'LF': {},
    'CRLF, whole replies in one write': { FAKE_PWSH_EOL: 'crlf', FAKE_PWSH_ONE_WRITE: '1' },
    'banner and BOM before the first reply': { FAKE_PWSH_BANNER: 'Windows PowerShell banner text, longer than 16 bytes', FAKE_PWSH_BOM: '1', FAKE_PWSH_ONE_WRITE: '1' },
  };
  for (const [mode, env] of Object.entries(modes)) {
    it(`runs text and JSON commands (${mode})`, () =>
      withSession(env, {}, async (s) => {
        assert.equal(await s.run(cmd('echo hello world')), 'hello world');
        const [obj] = (await s.runJson(cmd("Get-CsPersistentChatState -Identity 'service:atl-pchat-001.litwareinc.com'"))) as { said: string; when: Date }[];
        assert.equal(obj!.said, "Get-CsPersistentChatState -Identity 'service:atl-pchat-001.litwareinc.com'");
        assert.deepEqual(obj!.when, new Date(1700000000000));
        assert.equal(await s.run(cmd('echo second')), 'second');
      }));
  }

  it('starts PowerShell with -NoProfile -NonInteractive and runs the prelude after UTF-8 output, once per shell', async () => {
    const log = path.join(tmp, 'prelude.log');
    await withSession({ FAKE_PWSH_LOG: log }, { prelude: ["Import-Module 'Lync' -ErrorAction Stop"] }, async (s) => {
      const args = JSON.parse(await s.run(cmd('args'))) as string[];
      assert.ok(args.includes('-NoProfile') && args.includes('-NonInteractive'));
      await s.run(cmd('crash')).catch(() => undefined);
      await s.run(cmd('echo again'));
    });
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    assert.deepEqual(lines, ['[Console]::OutputEncoding = [Text.Encoding]::UTF8', "Import-Module 'Lync' -ErrorAction Stop", 'args', 'crash', '[Console]::OutputEncoding = [Text.Encoding]::UTF8', "Import-Module 'Lync' -ErrorAction Stop", 'echo again']);
  });

  it('passes the environment to the shell', () =>
    withSession({ LR_TEST_VALUE: 'from-env' }, {}, async (s) => assert.equal(await s.run(cmd('env LR_TEST_VALUE')), 'from-env')));

  it("surfaces PowerShell's error text (first line and CategoryInfo) as ShellError", () =>
    withSession({ FAKE_PWSH_EOL: 'crlf' }, {}, async (s) => {
      const e = await s.run(cmd('fail A parameter cannot be found.')).then(() => assert.fail('no error'), (x: unknown) => x);
      assert.ok(e instanceof ShellError);
      assert.equal(e.failure, 'command-failed');
      assert.equal(e.message, 'Get-Thing : A parameter cannot be found. (InvalidArgument: (:) [Get-Thing], ParameterBindingException)');
      assert.equal(e.errorId, 'NamedParameterNotFound,Get-Thing');
      const j = await s.runJson(cmd('fail Pool not found')).then(() => assert.fail('no error'), (x: unknown) => x);
      assert.ok(j instanceof ShellError && j.failure === 'command-failed' && j.message === 'Pool not found (InvalidArgument)');
    }));

  it('never takes an empty or truncated JSON reply for success', () =>
    withSession({}, {}, async (s) => {
      for (const bad of ['empty', 'truncated']) {
        const e = await s.runJson(cmd(bad)).then(() => assert.fail('no error'), (x: unknown) => x);
        assert.ok(e instanceof ShellError && e.failure === 'bad-reply', bad);
      }
    }));

  it('reports a crash (even with exit code 0) and starts a fresh shell for the next call', () =>
    withSession({}, {}, async (s) => {
      for (const how of ['crash', 'exit0']) {
        const e = await s.run(cmd(how)).then(() => assert.fail('no error'), (x: unknown) => x);
        assert.ok(e instanceof ShellError && e.failure === 'crashed', how);
        assert.match(e.message, /may or may not have run/);
        assert.equal(await s.run(cmd('echo alive')), 'alive');
      }
    }));

  it('times out a hung shell, kills it, and the next call works on a fresh one', () =>
    withSession({}, {}, async (s) => {
      const e = await s.run(cmd('hang'), { timeoutMs: 200 }).then(() => assert.fail('no error'), (x: unknown) => x);
      assert.ok(e instanceof TimeoutError);
      assert.equal(e.timeoutMs, 200);
      assert.equal(await s.run(cmd('echo recovered')), 'recovered');
    }));

  it('cancels on abort, and the next call works', () =>
    withSession({}, {}, async (s) => {
      const controller = new AbortController();
      const pending = s.run(cmd('hang'), { signal: controller.signal });
      const queued = s.run(cmd('echo queued'));
      controller.abort();
      await assert.rejects(pending, CancelledError);
      assert.equal(await queued, 'queued');
      await assert.rejects(s.run(cmd('echo x'), { signal: AbortSignal.abort() }), CancelledError);
    }));

  it('runs concurrent calls strictly one after another, in order', () =>
    withSession({ FAKE_PWSH_ONE_WRITE: '1' }, {}, async (s) => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => s.run(cmd(`echo ${i}`))));
      assert.deepEqual(results, Array.from({ length: 20 }, (_, i) => String(i)));
    }));

  it('reports a failing prelude as prelude-failed', () =>
    withSession({}, { prelude: ['fail The specified module Lync was not loaded.'] }, async (s) => {
      const e = await s.run(cmd('echo x')).then(() => assert.fail('no error'), (x: unknown) => x);
      assert.ok(e instanceof ShellError && e.failure === 'prelude-failed');
      assert.match(e.message, /start-up command failed.*module Lync was not loaded/);
    }));

  it('says how to fix a missing executable, without an unhandled rejection', async () => {
    const s = new PowerShellSession({ executable: path.join(tmp, 'no-such-pwsh') });
    try {
      const e = await s.run(cmd('echo x')).then(() => assert.fail('no error'), (x: unknown) => x);
      assert.ok(e instanceof ShellError && e.failure === 'not-found');
      assert.match(e.message, /^PowerShell not found: set lyncRecovery\.shell\.executable/);
    } finally {
      await s.close();
    }
  });

  it('says it is still waiting while a command hangs, every heartbeat, and stops saying it once the command ends', async () => {
    const waited: number[] = [];
    const abort = new AbortController();
    let heard = () => undefined as void;
    const thrice = new Promise<void>((resolve) => (heard = resolve));
    const onWaiting = (ms: number) => {
      waited.push(ms);
      if (waited.length === 3) heard();
    };
    await withSession({}, { onWaiting, heartbeatMs: 20 }, async (s) => {
      const hung = s.run(cmd('hang'), { timeoutMs: 60_000, signal: abort.signal }).then(() => assert.fail('no error'), (x: unknown) => x);
      await thrice;
      abort.abort();
      assert.ok((await hung) instanceof CancelledError);
      const count = waited.length;
      assert.ok(waited.every((ms, i) => i === 0 || ms >= waited[i - 1]!), `waits grow: ${waited.join(', ')}`);
      assert.ok(count >= 3);
      assert.equal(await s.run(cmd('echo done')), 'done');
      // The cancelled command's heartbeat stopped: what fired since is one growing count, the new command's.
      const after = waited.slice(count);
      assert.ok(after.every((ms, i) => i === 0 || ms >= after[i - 1]!), `no heartbeat left over: ${waited.join(', ')}`);
    });
  });

  it('marks a timeout or crash after the command was sent as outcome unknown; answers and failures before sending are not', () =>
    withSession({}, {}, async (s) => {
      const reject = (p: Promise<unknown>) => p.then(() => assert.fail('no error'), (x: unknown) => x);
      // The shell is started first: a 200 ms limit must time the hung command, not a slow start-up
      // (which is, rightly, not outcome-unknown) on a busy machine.
      assert.equal(await s.run(cmd('echo started')), 'started');
      const hung = await reject(s.run(cmd('hang'), { timeoutMs: 200 }));
      assert.ok(hung instanceof TimeoutError && hung.outcomeUnknown, 'hang');
      for (const how of ['crash', 'exit0']) {
        const e = await reject(s.run(cmd(how)));
        assert.ok(e instanceof ShellError && e.failure === 'crashed' && e.outcomeUnknown, how);
      }
      const failed = await reject(s.run(cmd('fail Pool not found')));
      assert.ok(failed instanceof ShellError && failed.failure === 'command-failed' && !failed.outcomeUnknown, 'an error record is an answer');
      const bad = await reject(s.runJson(cmd('truncated')));
      assert.ok(bad instanceof ShellError && bad.failure === 'bad-reply' && !bad.outcomeUnknown, 'bad-reply');
    }));

  it('a prelude that hangs or crashes fails before the command is sent: not outcome unknown', async () => {
    // The limit covers each start-up line, the process's own start included: long enough for a
    // busy machine to answer the first line, so that it is the hanging one that times out.
    await withSession({}, { prelude: ['hang'] }, async (s) => {
      const e = await s.run(cmd('echo x'), { timeoutMs: 5_000 }).then(() => assert.fail('no error'), (x: unknown) => x);
      assert.ok(e instanceof TimeoutError && !e.outcomeUnknown, String(e));
      assert.match(e.message, /did not start within 5000 ms \(no answer to its start-up command hang\); it was stopped before the command was sent/);
    });
    await withSession({}, { prelude: ['crash'] }, async (s) => {
      const e = await s.run(cmd('echo x')).then(() => assert.fail('no error'), (x: unknown) => x);
      assert.ok(e instanceof ShellError && e.failure === 'crashed' && !e.outcomeUnknown, String(e));
      assert.match(e.message, /ended \(exit code 255\) before the command was sent/);
    });
    const missing = new PowerShellSession({ executable: path.join(tmp, 'no-such-pwsh') });
    try {
      const e = await missing.run(cmd('echo x')).then(() => assert.fail('no error'), (x: unknown) => x);
      assert.ok(e instanceof ShellError && e.failure === 'not-found' && !e.outcomeUnknown);
    } finally {
      await missing.close();
    }
  });

  it('refuses a multi-line prelude entry', () => {
    assert.throws(() => new PowerShellSession({ prelude: ['Import-Module Lync\nGet-CsPool'] }), /one line/);
  });
});
