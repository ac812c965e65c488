/**
 * The stand-in driven by the real node-powershell 5.0.1, launched exactly as the product does:
 * `executable` = the launch's executable, the launch's args as leading executableOptions (with
 * node-powershell's default `-NoLogo` switched off so the script comes first), and the launch's
 * env merged over the parent's.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { InvocationError, PowerShell } from 'node-powershell';
import { startShellServer, type ShellLaunch, type ShellServer } from '../../../src/lab/shell/server';
import { FakeFaults, FakeSql, litwareEstate } from '../../unit/lab/shell-fakes';

const PC = 'atl-gc-001.litwareinc.com';

function shell(launch: ShellLaunch, extra: { invocationTimeout?: number; env?: Record<string, string> } = {}): PowerShell {
  const executableOptions: Record<string, string | boolean> = { '-NoLogo': false };
  for (const a of launch.args) executableOptions[a] = true;
  executableOptions['-NoProfile'] = true;
  executableOptions['-NonInteractive'] = true;
  return new PowerShell({
    executable: launch.executable,
    executableOptions,
    spawnOptions: { env: { ...process.env, ...launch.env, ...extra.env } },
    invocationTimeout: extra.invocationTimeout,
  });
}

async function withServer(faults: FakeFaults, crlf: boolean, body: (s: ShellServer) => Promise<void>): Promise<void> {
  const server = await startShellServer({ estate: litwareEstate(), sql: new FakeSql(), scenario: 'pchat-dc-loss', faults, crlf });
  try {
    await body(server);
  } finally {
    await server.stop();
  }
}

describe('stand-in with the real node-powershell', () => {
  let server: ShellServer;
  const faults = new FakeFaults();
  before(async () => {
    server = await startShellServer({ estate: litwareEstate(), sql: new FakeSql(), scenario: 'pchat-dc-loss', faults });
  });
  after(() => server.stop());

  it('runs cmdlets and returns JSON the product can parse', async () => {
    const ps = shell(server.launch);
    try {
      assert.equal((await ps.invoke('Import-Module Lync')).raw, '');
      await ps.invoke(`Set-CsPersistentChatState -Identity 'service:${PC}' \u2013PoolState FailedOver`);
      const r = await ps.invoke(`Get-CsPersistentChatState -Identity 'service:${PC}' | Select-Object Identity, @{n='PoolState';e={[string]$_.PoolState}} | ConvertTo-Json -Compress; 'OK-7f3a'`);
      const [json, sentinel] = r.raw.split('\n');
      assert.deepEqual(JSON.parse(json), { Identity: `service:PersistentChatServer:${PC}`, PoolState: 'FailedOver' });
      assert.equal(sentinel, 'OK-7f3a');
      assert.equal(r.hadErrors, false);
      assert.equal(server.lync.pcPool(PC)?.poolState, 'FailedOver');
    } finally {
      await ps.dispose();
    }
  });

  it('surfaces parameter-binding errors as InvocationError with PowerShell text', async () => {
    const ps = shell(server.launch);
    try {
      await assert.rejects(ps.invoke(`Set-CsPersistentChatState -Identity 'service:${PC}' -PoolState Failover`), (e: unknown) => {
        assert.ok(e instanceof InvocationError);
        assert.match(e.message, /^Set-CsPersistentChatState : Cannot bind parameter 'PoolState'\. Cannot convert value "Failover"/);
        assert.match(e.message, /FullyQualifiedErrorId : CannotConvertArgumentNoMessage,/);
        return true;
      });
      // The session is still usable after an error.
      assert.equal((await ps.invoke(`'still here'`)).raw, 'still here');
    } finally {
      await ps.dispose();
    }
  });

  it('pwsh-hang: the invocation times out, and a fresh shell works', async () => {
    faults.armed.add('pwsh-hang');
    const ps = shell(server.launch, { invocationTimeout: 400 });
    try {
      await assert.rejects(ps.invoke(`Get-CsPersistentChatState`), (e: unknown) => e instanceof InvocationError && e.message === '');
    } finally {
      faults.armed.delete('pwsh-hang');
      await ps.dispose();
    }
    const fresh = shell(server.launch);
    try {
      assert.match((await fresh.invoke('Get-CsPersistentChatState | ConvertTo-Json -Compress')).raw, /"PoolState":\d/);
    } finally {
      await fresh.dispose();
    }
  });

  it('pwsh-crash: the process exits mid-command and node-powershell reports a ProcessError', async () => {
    faults.armed.add('pwsh-crash');
    const ps = shell(server.launch);
    try {
      await assert.rejects(ps.invoke(`Get-CsPool`), (e: unknown) => (e as Error).name === 'ProcessError' && (e as { exitCode?: number }).exitCode === 255);
      await assert.rejects(ps.invoke(`'after'`), /invoke called after process exited/);
    } finally {
      faults.armed.delete('pwsh-crash');
      // node-powershell's dispose() rethrows the exit error of a crashed shell.
      await assert.rejects(ps.dispose(), { name: 'ProcessError' });
    }
  });

  it('refuses a stand-in with a wrong token', async () => {
    const ps = shell(server.launch, { env: { LYNC_LAB_SHELL_TOKEN: 'not-the-token' } });
    try {
      await assert.rejects(ps.invoke(`Get-CsPool`), { name: 'ProcessError' });
    } finally {
      await assert.rejects(ps.dispose(), { name: 'ProcessError' });
    }
  });
});

describe('CRLF mode (Windows line endings)', () => {
  /** The session-start statement the product's ShellSession adapter must send first. */
  const LF_DELIMITERS = '[Console]::Out.NewLine = "`n"; [Console]::Error.NewLine = "`n"';

  it('writes output with CRLF, and completes every call once delimiters end in LF', async () => {
    await withServer(new FakeFaults(), true, async (server) => {
      const ps = shell(server.launch, { invocationTimeout: 5000 });
      try {
        await ps.invoke(LF_DELIMITERS);
        for (let i = 0; i < 25; i++) {
          const r = await ps.invoke(`Get-CsBackupServiceStatus -PoolFqdn dal-cs-001.litwareinc.com | ConvertTo-Json; 'OK-${i}'`);
          assert.match(r.raw, /^\{\r\n {4}"PoolFqdn": {2}"dal-cs-001\.litwareinc\.com",\r\n/);
          assert.ok(r.raw.endsWith(`}\r\nOK-${i}`));
        }
      } finally {
        await ps.dispose();
      }
    });
  });

  it('the stand-in ends delimiter lines with the [Console] writer NewLine and output lines with CRLF', async () => {
    await withServer(new FakeFaults(), true, async (server) => {
      const child = spawn(server.launch.executable, [...server.launch.args, '-NoProfile', '-NoExit', '-Command', '-'], { env: { ...process.env, ...server.launch.env } });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      const D = 'AbCdEfGhIjKlMnOp';
      const call = (command: string) => [`[Console]::Error.WriteLine("${D}")`, `[Console]::Out.WriteLine("${D}")`, command, `[Console]::Error.WriteLine("${D}")`, `[Console]::Out.WriteLine("${D}")`].join('\r\n') + '\r\n';
      child.stdin.end(call(`'one','two'`) + call(LF_DELIMITERS) + call(`'three'`));
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
      assert.equal(Buffer.concat(out).toString(), `${D}\r\none\r\ntwo\r\n${D}\r\n${D}\r\n${D}\n${D}\nthree\r\n${D}\n`);
      assert.equal(Buffer.concat(err).toString(), `${D}\r\n${D}\r\n${D}\r\n${D}\n${D}\n${D}\n`);
    });
  });

  it("node-powershell's delimiter scan never finishes on one chunk ending in CRLF, and does with LF", async () => {
    await withServer(new FakeFaults(), true, async (server) => {
      const ps = shell(server.launch);
      // The private scan node-powershell runs on each stream (child-shell Shell.readBulkFromOutput).
      const scan = (ps as unknown as { readBulkFromOutput(s: Readable, d: string): Promise<Buffer> }).readBulkFromOutput.bind(ps);
      const D = 'AbCdEfGhIjKlMnOp';
      const outcome = async (chunk: string) => {
        const source = new PassThrough();
        const result = scan(source, D).then((b) => `done:${b.toString()}`);
        source.end(chunk);
        await once(source, 'end');
        // Let the piped chunk reach the accumulator; the scan either finished or never will.
        await new Promise((r) => setImmediate(r));
        return Promise.race([result, Promise.resolve('pending')]);
      };
      try {
        assert.equal(await outcome(`${D}\r\nx\r\n${D}\r\n`), 'pending');
        assert.equal(await outcome(`${D}\r\nx\r\n${D}\n`), 'done:x');
      } finally {
        await ps.dispose();
      }
    });
  });
});
