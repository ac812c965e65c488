/**
 * SQL passwords never reach the shell: asked from inside a real PowerShell (pwsh), which is what
 * a runbook line could do — its environment, its own /proc environ and its command line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PowerShellSession } from '../../../src/adapters/shell/session';
import type { PowerShellCommand } from '../../../src/core/commands/powershell';
import { requirePowerShell } from '../../../src/lab/shell/pwsh';

const cmd = (text: string) => text as PowerShellCommand;
const HOSTILE = 'Pw\'d"\\;--$(x)`y-7Q\n.*+?[';
const SHORT = 'Q7';

describe('the shell never holds a SQL password', () => {
  const saved = { ...process.env };
  let shell: PowerShellSession;

  before(() => {
    // As the CLI's user sets them: the general variable and one per instance.
    process.env['LYNC_RECOVERY_SQL_PASSWORD'] = HOSTILE;
    process.env['LYNC_RECOVERY_SQL_PASSWORD_PC_SQL01'] = SHORT;
    process.env['lync_recovery_sql_password_lower'] = `${SHORT}-lower`;
    shell = new PowerShellSession({ executable: requirePowerShell(), env: { LYNC_RECOVERY_SQL_PASSWORD_ADDED: `${SHORT}-added`, LR_VISIBLE: 'yes' }, invocationTimeoutMs: 60_000 });
  });
  after(async () => {
    await shell.close();
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });

  it('is absent from env:, /proc/$PID/environ and the command line, as seen by PowerShell itself', async () => {
    const env = await shell.run(cmd("Get-ChildItem env: | ForEach-Object { $_.Name + '=' + $_.Value }"));
    assert.match(env, /^LR_VISIBLE=yes$/m, 'the shell does get the variables it is given');
    const environ = await shell.run(cmd("[IO.File]::ReadAllText(\"/proc/$PID/environ\").Replace([char]0, [char]10)"));
    assert.match(environ, /^LR_VISIBLE=yes$/m);
    const argv = await shell.run(cmd('[Environment]::GetCommandLineArgs() -join [char]10'));
    for (const [where, text] of Object.entries({ env, environ, argv })) {
      assert.doesNotMatch(text, /LYNC_RECOVERY_SQL_PASSWORD/i, `${where} names no password variable`);
      for (const secret of [HOSTILE, SHORT, ...HOSTILE.split('\n')]) assert.ok(!text.includes(secret), `${where} does not hold ${JSON.stringify(secret)}`);
    }
  });
});
